/**
 * The holiday calendar (节假日): the breaks and make-up working days that year-on-year comparisons match days by,
 * shared by every site (changing it needs holidays.manage and an operator who reaches every site). China's public
 * holidays for 2024–2027 come with the database (migration 20261212_120000); the venue corrects and extends them
 * here, each change audited.
 *
 * Rules a period keeps: its first day is not after its last; a break lasts at most MAX_PERIOD_DAYS days, a run of
 * make-up days at most a week; it lies within a month of its year (New Year's break may start in December); it
 * shares no day with another row; a holiday has at most one break a year (the unique index decides a race; every
 * change runs in an audited transaction, which queues writers on the audit chain, so the overlap check and the write
 * are not interleaved with another change).
 *
 * Reports ask `yearOnYear`, `previous` or `calendarFor` and compare with comparison.ts.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../../db/constraint-errors.js';
import type { Database } from '../../db/schema.js';
import type { Connection } from '../../db/scoped.js';
import { auditedTransaction, recordAudit } from '../../platform/audit/record.js';
import type { ChangeContext } from '../../platform/change-context.js';
import { AppError } from '../../platform/errors.js';
import {
  civilDateOfDayNumber,
  dayNumberOf,
  formatIsoDate,
  parseIsoDate,
} from '../../platform/identity/civil-date.js';
import type { Localized } from '../../platform/language.js';
import {
  type BaseDay,
  type CalendarPeriod,
  type DayRange,
  type PreviousPeriod,
  type PreviousPeriodKind,
  previousPeriod,
  type YearOnYearBasis,
  yearOnYearBases,
} from './comparison.js';
import type { HolidayRow } from './repo.js';
import * as repo from './repo.js';
import {
  type Bases,
  type BasesQuery,
  type Holiday,
  type HolidayInput,
  type HolidayPatch,
  MAX_PERIOD_DAYS,
} from './schemas.js';

type Db = Kysely<Database>;

const HOLIDAY: Localized = { 'zh-CN': '节假日', en: 'Holiday' };
const MAX_SWAP_DAYS = 7;
/** How far from its year a period may lie (a New Year break, or its make-up day, in the December before). */
const YEAR_SLACK_DAYS = 31;

const isoOfDay = (day: number) => formatIsoDate(civilDateOfDayNumber(day));

/** A date the schema already checked as `YYYY-MM-DD`. */
function dayOf(iso: string): number {
  const date = parseIsoDate(iso);
  if (!date)
    throw new AppError('HOLIDAY_PERIOD_INVALID', {
      reason: { 'zh-CN': `${iso} 不是有效日期`, en: `${iso} is not a real date` },
    });
  return dayNumberOf(date);
}

export function holidayView(row: HolidayRow): Holiday {
  return {
    id: row.id,
    code: row.code,
    name: { 'zh-CN': row.name_zh, en: row.name_en },
    year: row.year,
    firstDay: isoOfDay(row.first_day),
    lastDay: isoOfDay(row.last_day),
    days: row.last_day - row.first_day + 1,
    kind: row.kind,
    note: row.note,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export function calendarPeriod(row: HolidayRow): CalendarPeriod {
  return {
    id: row.id,
    code: row.code,
    name: { 'zh-CN': row.name_zh, en: row.name_en },
    year: row.year,
    firstDay: row.first_day,
    lastDay: row.last_day,
    kind: row.kind,
  };
}

interface Period {
  readonly code: string;
  readonly year: number;
  readonly firstDay: number;
  readonly lastDay: number;
  readonly kind: HolidayRow['kind'];
}

/** The rules a period keeps on its own (the file's comment); the ones against other rows are checked in SQL. */
function checkPeriod(period: Period): void {
  const invalid = (zh: string, en: string) =>
    new AppError('HOLIDAY_PERIOD_INVALID', { reason: { 'zh-CN': zh, en } });
  if (period.firstDay > period.lastDay) throw invalid('首日晚于末日', 'the first day is after the last day');
  const days = period.lastDay - period.firstDay + 1;
  const max = period.kind === 'holiday' ? MAX_PERIOD_DAYS : MAX_SWAP_DAYS;
  if (days > max) throw invalid(`最长 ${max} 天，此处 ${days} 天`, `at most ${max} days, not ${days}`);
  const yearStart = dayNumberOf({ year: period.year, month: 1, day: 1 });
  const yearEnd = dayNumberOf({ year: period.year, month: 12, day: 31 });
  if (period.lastDay < yearStart - YEAR_SLACK_DAYS || period.firstDay > yearEnd + YEAR_SLACK_DAYS)
    throw invalid(`日期不在 ${period.year} 年`, `the dates are not in ${period.year}`);
}

export class HolidaysService {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  async list(year?: number): Promise<Holiday[]> {
    return (await repo.list(this.db, year)).map(holidayView);
  }

  async get(id: string): Promise<Holiday> {
    return holidayView(await this.row(this.db, id));
  }

  create(input: HolidayInput, context: ChangeContext): Promise<Holiday> {
    const period: Period = {
      code: input.code,
      year: input.year,
      firstDay: dayOf(input.firstDay),
      lastDay: dayOf(input.lastDay),
      kind: input.kind,
    };
    checkPeriod(period);
    return this.unique(period, () =>
      auditedTransaction(this.db, async (trx) => {
        await this.checkAgainstOthers(trx, period);
        const at = this.now();
        const row: HolidayRow = {
          id: randomUUID(),
          code: period.code,
          name_zh: input.name['zh-CN'],
          name_en: input.name.en,
          year: period.year,
          first_day: period.firstDay,
          last_day: period.lastDay,
          kind: period.kind,
          note: input.note,
          created_at: at,
          updated_at: at,
        };
        await repo.insert(trx, row);
        const view = holidayView(row);
        await recordAudit(trx, {
          actor: context.actor,
          ip: context.ip,
          action: 'holiday.create',
          entity: 'holiday',
          entityId: row.id,
          after: view,
        });
        return view;
      }),
    );
  }

  update(id: string, patch: HolidayPatch, context: ChangeContext): Promise<Holiday> {
    return auditedTransaction(this.db, async (trx) => {
      const before = await this.row(trx, id);
      const period: Period = {
        code: patch.code ?? before.code,
        year: patch.year ?? before.year,
        firstDay: patch.firstDay === undefined ? before.first_day : dayOf(patch.firstDay),
        lastDay: patch.lastDay === undefined ? before.last_day : dayOf(patch.lastDay),
        kind: patch.kind ?? before.kind,
      };
      checkPeriod(period);
      await this.checkAgainstOthers(trx, period, id);
      const row: HolidayRow = {
        ...before,
        code: period.code,
        name_zh: patch.name?.['zh-CN'] ?? before.name_zh,
        name_en: patch.name?.en ?? before.name_en,
        year: period.year,
        first_day: period.firstDay,
        last_day: period.lastDay,
        kind: period.kind,
        note: patch.note === undefined ? before.note : patch.note,
        updated_at: this.now(),
      };
      await this.unique(period, () => repo.update(trx, id, row));
      const view = holidayView(row);
      await recordAudit(trx, {
        actor: context.actor,
        ip: context.ip,
        action: 'holiday.update',
        entity: 'holiday',
        entityId: id,
        before: holidayView(before),
        after: view,
      });
      return view;
    });
  }

  remove(id: string, context: ChangeContext): Promise<void> {
    return auditedTransaction(this.db, async (trx) => {
      const before = await this.row(trx, id);
      await repo.remove(trx, id);
      await recordAudit(trx, {
        actor: context.actor,
        ip: context.ip,
        action: 'holiday.delete',
        entity: 'holiday',
        entityId: id,
        before: holidayView(before),
      });
    });
  }

  /**
   * The calendar a comparison over `range` needs: the holidays of the years it touches, the year before (their
   * bases, the break before the first) and the year after (a New Year break that starts in December).
   */
  async calendarFor(range: DayRange): Promise<CalendarPeriod[]> {
    const fromYear = civilDateOfDayNumber(range.from).year - 1;
    const toYear = civilDateOfDayNumber(range.to).year + 1;
    return (await repo.ofYears(this.db, fromYear, toYear)).map(calendarPeriod);
  }

  /** Each day of `range` (venue day numbers) with its base day a year earlier. */
  async yearOnYear(range: DayRange, basis: YearOnYearBasis): Promise<BaseDay[]> {
    return yearOnYearBases(range, basis, await this.calendarFor(range));
  }

  /** The period a 环比 compares `range` with (undefined: none, see comparison.ts). */
  async previous(range: DayRange, kind: PreviousPeriodKind): Promise<PreviousPeriod | undefined> {
    return previousPeriod(range, kind, kind === 'previous_holiday' ? await this.calendarFor(range) : []);
  }

  /** The comparison bases of a range, as the API shows them. */
  async bases(query: BasesQuery): Promise<Bases> {
    const range = { from: dayOf(query.from), to: dayOf(query.to) };
    const calendar = await this.calendarFor(range);
    const range_ = (p: DayRange) => ({ from: isoOfDay(p.from), to: isoOfDay(p.to) });
    const holiday = previousPeriod(range, 'previous_holiday', calendar);
    return {
      basis: query.basis,
      days: yearOnYearBases(range, query.basis, calendar).map((base) => ({
        date: isoOfDay(base.day),
        baseDate: isoOfDay(base.base),
        match: base.match,
        fallback: base.fallback ?? null,
        holiday: base.holiday ?? null,
        baseHolidayId: base.baseHolidayId ?? null,
        baseInHoliday: base.baseInHoliday ?? null,
      })),
      previous: {
        previous_days: range_(previousPeriod(range, 'previous_days')!),
        previous_month: range_(previousPeriod(range, 'previous_month')!),
        previous_holiday: holiday ? { ...range_(holiday), holidayId: holiday.holiday!.id } : null,
      },
    };
  }

  private async row(db: Connection, id: string): Promise<HolidayRow> {
    const row = await repo.find(db, id);
    if (!row) throw new AppError('NOT_FOUND', { resource: HOLIDAY, id });
    return row;
  }

  /** No shared day with another row; one break per holiday and year. */
  private async checkAgainstOthers(db: Connection, period: Period, exceptId?: string): Promise<void> {
    const [other] = await repo.overlapping(db, period.firstDay, period.lastDay, exceptId);
    if (other) {
      const dates = `${isoOfDay(other.first_day)}–${isoOfDay(other.last_day)}`;
      throw new AppError('HOLIDAY_OVERLAP', {
        other: { 'zh-CN': `${other.name_zh}（${dates}）`, en: `${other.name_en} (${dates})` },
      });
    }
    if (period.kind !== 'holiday') return;
    const taken = (await repo.list(db, period.year)).find(
      (row) => row.kind === 'holiday' && row.code === period.code && row.id !== exceptId,
    );
    if (taken) throw new AppError('HOLIDAY_TAKEN', { code: period.code, year: period.year });
  }

  /** A break taken by a concurrent change answers HOLIDAY_TAKEN (the unique index decides). */
  private async unique<T>(period: Period, change: () => Promise<T>): Promise<T> {
    try {
      return await change();
    } catch (error) {
      if (isUniqueViolation(error))
        throw new AppError('HOLIDAY_TAKEN', { code: period.code, year: period.year }, { cause: error });
      throw error;
    }
  }
}
