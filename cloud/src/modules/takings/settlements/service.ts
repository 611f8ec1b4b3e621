/**
 * Day and month settlements (日结 / 月结). Finance (`settlements.manage`) closes a site's day once every shift that
 * took money that day, or opened that day, is closed (or approved); the close freezes the day's report — its takings
 * from the rollups by every dimension, the shifts, and the shift adjustments counted on it — as JSON, which is what
 * the day's report answers from then on, byte for byte.
 *
 * Nothing later rewrites a closed day. The journal files money on the day it moved, so a change after the close
 * lands on a later day; a correction of an earlier shift is an adjustment, counted on the day it is made. A day may
 * close before it has ended (the evening's 日结): takings still recorded on it afterwards, and adjustments made on it
 * afterwards, are carried into the next day that closes (`carriedIn`, with the day they belong to), so every fen is
 * in exactly one closed settlement and a month is the sum of its days.
 *
 * A month closes when each of its days is closed or was empty (over, with no takings, shifts or adjustments); its
 * report sums the days' frozen figures and carried-in takings, lists the adjustments, and links each agency to its
 * statement for the month (modules/agencies) rather than repeating it.
 */
import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../../../db/constraint-errors.js';
import type { Database } from '../../../db/schema.js';
import type { Connection } from '../../../db/scoped.js';
import { auditedTransaction, recordAudit } from '../../../platform/audit/record.js';
import type { ChangeContext } from '../../../platform/change-context.js';
import { AppError } from '../../../platform/errors.js';
import type { Language } from '../../../platform/language.js';
import { ALL_SITES, type SiteScope } from '../../../platform/site-scope.js';
import { clockOf, dayOfIsoDate, isoDateOfDay } from '../../capacity/local-time.js';
import type { Site } from '../../venues/schemas.js';
import type { VenuesService } from '../../venues/service.js';
import type { TakingMethod } from '../contract.js';
import { shiftsWithTakingsOn } from '../shifts/journal.js';
import * as shiftRepo from '../shifts/repo.js';
import { eventView } from '../shifts/report.js';
import { dayTable, monthTable } from './exports.js';
import { combine, emptyFigures, type Figures, figuresOf, isEmptyFigures, sumFigures } from './figures.js';
import * as repo from './repo.js';
import type { DayReport, MonthReport } from './schemas.js';

type Db = Kysely<Database>;

export interface SettlementsDependencies {
  readonly venues: VenuesService;
}

interface Closer {
  readonly id: string | null;
  readonly username: string;
}

/** A closed day before the one closing, and what of it arrived after its close. */
interface Late {
  readonly row: repo.DayRow;
  readonly figures: Figures;
}

export class SettlementsService {
  constructor(
    private readonly db: Db,
    private readonly deps: SettlementsDependencies,
    private readonly now: () => number = Date.now,
  ) {}

  /** The day's report: frozen once closed, otherwise as it stands (what a close now would freeze). */
  async dayReport(siteId: string, date: string, scope: SiteScope = ALL_SITES): Promise<DayReport> {
    const site = await this.deps.venues.getSite(siteId, this.db, scope);
    const day = dayOfIsoDate(date)!;
    const closed = await repo.findDay(this.db, siteId, day);
    if (closed) return JSON.parse(closed.report_json) as DayReport;
    return (await this.dayAsItStands(this.db, site, day)).report;
  }

  closeDay(siteId: string, date: string, context: ChangeContext): Promise<DayReport> {
    return auditedTransaction(this.db, async (trx) => {
      const now = this.now();
      const site = await this.deps.venues.getSite(siteId, trx, context.sites ?? ALL_SITES);
      const day = dayOfIsoDate(date)!;
      const today = clockOf(site.timezone).dayNumber(now);
      if (day > today) throw new AppError('SETTLEMENT_DAY_NOT_STARTED', { date });
      if (await repo.findDay(trx, siteId, day)) throw new AppError('SETTLEMENT_CLOSED', { period: date });
      const standing = await this.dayAsItStands(trx, site, day);
      const waiting = standing.report.shifts.filter((s) => s.state !== 'closed');
      if (waiting.length > 0)
        throw new AppError(
          'SETTLEMENT_SHIFTS_OPEN',
          { date, count: waiting.length },
          { details: { shiftIds: waiting.map((s) => s.id) } },
        );
      const closer: Closer = context.actor ?? { id: null, username: 'system' };
      const report: DayReport = {
        ...standing.report,
        state: 'closed',
        closedAt: now,
        closedBy: { id: closer.id, username: closer.username },
      };
      try {
        await repo.insertDay(trx, {
          site_id: siteId,
          day,
          closed_at: now,
          closed_by_id: closer.id,
          closed_by_username: closer.username,
          report_json: JSON.stringify(report),
          figures_json: JSON.stringify(standing.figures),
          carried_out_json: JSON.stringify(emptyFigures()),
          // Closed before it ended (or just after): takings may still be filed on it.
          late_open: day >= today - 1 ? 1 : 0,
        });
      } catch (error) {
        if (isUniqueViolation(error))
          throw new AppError('SETTLEMENT_CLOSED', { period: date }, { cause: error });
        throw error;
      }
      await shiftRepo.settleAdjustments(
        trx,
        standing.adjustments.map((a) => a.id),
        day,
      );
      for (const late of standing.late) {
        const carried = combine(JSON.parse(late.row.carried_out_json) as Figures, late.figures);
        // Two days back nothing more can be filed on it: later closes need not look at it again.
        await repo.updateCarried(
          trx,
          siteId,
          late.row.day,
          JSON.stringify(carried),
          late.row.day >= today - 1,
        );
      }
      await recordAudit(
        trx,
        {
          actor: context.actor,
          action: 'settlement.day_close',
          entity: 'settlement_day',
          entityId: `${siteId}/${date}`,
          after: {
            siteId,
            date,
            amountFen: report.total.amountFen,
            tickets: report.total.tickets,
            adjustmentsFen: report.total.adjustmentsFen,
            carriedInDays: report.carriedIn.map((c) => c.date),
          },
          ip: context.ip,
        },
        now,
      );
      return report;
    });
  }

  /** The day's report as an export table in one language (exports.ts). */
  async dayExport(siteId: string, date: string, language: Language, scope: SiteScope = ALL_SITES) {
    const report = await this.dayReport(siteId, date, scope);
    return dayTable(this.db, await this.deps.venues.getSite(siteId, this.db, scope), report, language);
  }

  /** The month's report as an export table in one language (exports.ts). */
  async monthExport(siteId: string, month: string, language: Language, scope: SiteScope = ALL_SITES) {
    const report = await this.monthReport(siteId, month, scope);
    return monthTable(await this.deps.venues.getSite(siteId, this.db, scope), report, language);
  }

  /**
   * The day as a close now would freeze it: its takings, what earlier closed days took after their close, the
   * adjustments not yet counted (made on this day, or later on a closed day), and its shifts.
   */
  private async dayAsItStands(
    db: Connection,
    site: Site,
    day: number,
  ): Promise<{ report: DayReport; figures: Figures; late: Late[]; adjustments: shiftRepo.ShiftEventRow[] }> {
    const figures = await this.liveFigures(db, site.id, day);
    const late: Late[] = [];
    for (const row of await repo.lateOpenDaysBefore(db, site.id, day)) {
      const arrived = combine(
        combine(
          await this.liveFigures(db, site.id, Number(row.day)),
          JSON.parse(row.figures_json) as Figures,
          -1,
        ),
        JSON.parse(row.carried_out_json) as Figures,
        -1,
      );
      late.push({ row, figures: arrived });
    }
    const closedLateDays = (await repo.lateOpenDays(db, site.id)).filter((d) => d < day);
    const adjustments = await shiftRepo.unsettledAdjustments(db, site.id, day, closedLateDays);
    const shiftIds = new Set(await shiftsWithTakingsOn(db, site.id, day));
    for (const shift of await shiftRepo.shiftsOpenedBetween(db, site.id, day, day)) shiftIds.add(shift.id);
    const shifts = (await shiftRepo.shiftsByIds(db, [...shiftIds])).sort(
      (a, b) => Number(a.opened_at) - Number(b.opened_at) || (a.id < b.id ? -1 : 1),
    );
    const carriedIn = late
      .filter((l) => !isEmptyFigures(l.figures))
      .map((l) => ({ date: isoDateOfDay(Number(l.row.day)), figures: l.figures }));
    const withCarried = sumFigures([figures, ...carriedIn.map((c) => c.figures)]);
    const adjustmentsByTender = tenderSums(adjustments);
    const report: DayReport = {
      siteId: site.id,
      date: isoDateOfDay(day),
      state: 'open',
      closedAt: null,
      closedBy: null,
      figures,
      carriedIn,
      adjustments: adjustments.map(eventView),
      adjustmentsByTender,
      shifts: shifts.map((s) => ({
        id: s.id,
        windowId: s.window_id,
        cashier: { id: s.cashier_id, username: s.cashier_username },
        state: s.state,
        floatFen: Number(s.float_fen),
        openedAt: Number(s.opened_at),
        closedAt: s.closed_at === null ? null : Number(s.closed_at),
        countedCashFen: s.counted_cash_fen === null ? null : Number(s.counted_cash_fen),
        expectedCashFen: s.expected_cash_fen === null ? null : Number(s.expected_cash_fen),
        varianceFen: s.variance_fen === null ? null : Number(s.variance_fen),
      })),
      total: {
        amountFen: withCarried.totals.amountFen,
        tickets: withCarried.totals.tickets,
        persons: withCarried.totals.persons,
        adjustmentsFen: adjustmentsByTender.reduce((sum, t) => sum + t.amountFen, 0),
      },
    };
    return { report, figures, late, adjustments };
  }

  private async liveFigures(db: Connection, siteId: string, day: number): Promise<Figures> {
    const { money, items, counts } = await repo.rollupsOf(db, siteId, day, day);
    return figuresOf(money, items, counts);
  }

  /** The month's report: frozen once closed, otherwise summed from its days as they stand. */
  async monthReport(siteId: string, month: string, scope: SiteScope = ALL_SITES): Promise<MonthReport> {
    const site = await this.deps.venues.getSite(siteId, this.db, scope);
    const closed = await repo.findMonth(this.db, siteId, month);
    if (closed) return JSON.parse(closed.report_json) as MonthReport;
    return this.monthAsItStands(this.db, site, month);
  }

  closeMonth(siteId: string, month: string, context: ChangeContext): Promise<MonthReport> {
    return auditedTransaction(this.db, async (trx) => {
      const now = this.now();
      const site = await this.deps.venues.getSite(siteId, trx, context.sites ?? ALL_SITES);
      if (await repo.findMonth(trx, siteId, month))
        throw new AppError('SETTLEMENT_CLOSED', { period: month });
      const standing = await this.monthAsItStands(trx, site, month);
      const open = standing.days.filter((d) => d.state === 'open');
      if (open.length > 0)
        throw new AppError(
          'SETTLEMENT_DAYS_OPEN',
          { month, count: open.length, first: open[0]!.date },
          { details: { dates: open.map((d) => d.date) } },
        );
      const closer: Closer = context.actor ?? { id: null, username: 'system' };
      const report: MonthReport = {
        ...standing,
        state: 'closed',
        closedAt: now,
        closedBy: { id: closer.id, username: closer.username },
      };
      try {
        await repo.insertMonth(trx, {
          site_id: siteId,
          month,
          closed_at: now,
          closed_by_id: closer.id,
          closed_by_username: closer.username,
          report_json: JSON.stringify(report),
        });
      } catch (error) {
        if (isUniqueViolation(error))
          throw new AppError('SETTLEMENT_CLOSED', { period: month }, { cause: error });
        throw error;
      }
      await recordAudit(
        trx,
        {
          actor: context.actor,
          action: 'settlement.month_close',
          entity: 'settlement_month',
          entityId: `${siteId}/${month}`,
          after: {
            siteId,
            month,
            amountFen: report.figures.totals.amountFen,
            tickets: report.figures.totals.tickets,
            adjustmentsFen: report.adjustmentsFen,
          },
          ip: context.ip,
        },
        now,
      );
      return report;
    });
  }

  /**
   * A month from its days: a closed day by its frozen report, any other by its rollups as they stand. A day is
   * `empty` when it is over and nothing happened on it (no takings, shift or adjustment): it needs no close.
   */
  private async monthAsItStands(db: Connection, site: Site, month: string): Promise<MonthReport> {
    const from = dayOfIsoDate(`${month}-01`)!;
    const [year, m] = month.split('-').map(Number) as [number, number];
    const nextMonth = m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
    const to = dayOfIsoDate(`${nextMonth}-01`)! - 1;
    const today = clockOf(site.timezone).dayNumber(this.now());
    const closed = new Map(
      (await repo.closedDaysBetween(db, site.id, from, to)).map((row) => [
        Number(row.day),
        JSON.parse(row.report_json) as DayReport,
      ]),
    );
    const rollups = await repo.rollupsOf(db, site.id, from, to);
    const shiftDays = new Set(
      (await shiftRepo.shiftsOpenedBetween(db, site.id, from, to)).map((s) => Number(s.open_day)),
    );
    const adjustments = await shiftRepo.unsettledAdjustmentsBetween(db, site.id, from, to);
    const days: MonthReport['days'] = [];
    const parts: Figures[] = [];
    const adjustmentRows: { method: TakingMethod; amountFen: number }[] = [];
    for (let day = from; day <= to; day++) {
      const report = closed.get(day);
      if (report) {
        const carried = sumFigures(report.carriedIn.map((c) => c.figures));
        parts.push(report.figures, carried);
        adjustmentRows.push(...report.adjustments);
        days.push({
          date: report.date,
          state: 'closed',
          amountFen: report.figures.totals.amountFen,
          tickets: report.figures.totals.tickets,
          persons: report.figures.totals.persons,
          carriedInFen: carried.totals.amountFen,
          adjustmentsFen: report.total.adjustmentsFen,
        });
        continue;
      }
      const figures = figuresOf(
        rollups.money.filter((r) => r.day === day),
        rollups.items.filter((r) => r.day === day),
        rollups.counts.filter((r) => r.day === day),
      );
      const ofDay = adjustments.filter((a) => Number(a.day) === day);
      parts.push(figures);
      adjustmentRows.push(...ofDay.map((a) => ({ method: a.method, amountFen: Number(a.amount_fen) })));
      const empty = isEmptyFigures(figures) && !shiftDays.has(day) && ofDay.length === 0;
      days.push({
        date: isoDateOfDay(day),
        state: empty && day < today ? 'empty' : 'open',
        amountFen: figures.totals.amountFen,
        tickets: figures.totals.tickets,
        persons: figures.totals.persons,
        carriedInFen: 0,
        adjustmentsFen: ofDay.reduce((sum, a) => sum + Number(a.amount_fen), 0),
      });
    }
    const figures = sumFigures(parts);
    const adjustmentsByTender = tenderSums(adjustmentRows);
    const first = isoDateOfDay(from);
    const last = isoDateOfDay(to);
    return {
      siteId: site.id,
      month,
      state: 'open',
      closedAt: null,
      closedBy: null,
      days,
      figures,
      adjustmentsFen: adjustmentsByTender.reduce((sum, t) => sum + t.amountFen, 0),
      adjustmentsByTender,
      agencies: figures.byAgency
        .filter((a): a is typeof a & { agencyId: string } => a.agencyId !== null)
        .map((a) => ({
          ...a,
          statement: {
            from: first,
            to: last,
            path: `/api/v1/agencies/${encodeURIComponent(a.agencyId)}/statement?from=${first}&to=${last}`,
          },
        })),
    };
  }
}

/** Adjustments summed per tender, in the tenders' order, leaving out those that sum to nothing. */
function tenderSums(
  rows: readonly ({ method: TakingMethod; amountFen: number } | shiftRepo.ShiftEventRow)[],
): { method: TakingMethod; amountFen: number }[] {
  const sums = new Map<TakingMethod, number>();
  for (const row of rows) {
    const amount = 'amount_fen' in row ? Number(row.amount_fen) : row.amountFen;
    sums.set(row.method, (sums.get(row.method) ?? 0) + amount);
  }
  return [...sums]
    .filter(([, amountFen]) => amountFen !== 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([method, amountFen]) => ({ method, amountFen }));
}
