/**
 * Cashier shifts (交接班 / 营业员日结): a cashier opens a till at a window with a float (备用金), takes money (the
 * takings journal files it under the open shift, resolver.ts), drops cash to the safe (上缴) and pays out (支出),
 * then closes with the till counted — or hands over, closing with the count and leaving the counted cash to the
 * next cashier as float. The close freezes the expected cash and the variance (report.ts); above the threshold
 * (`SHIFT_VARIANCE_APPROVAL_FEN`) the shift waits for a supervisor (`shifts.approve`), otherwise it is closed. A
 * closed shift never changes: a correction is an adjustment, its own row, counted on the day it was made.
 *
 * Every change is one audited transaction that changes the shift only from the state it was read in (a conditional
 * UPDATE), so of two parallel closes exactly one wins and the other answers SHIFT_STATE_CONFLICT; one open shift per
 * cashier and window is the database's partial unique index, so of two parallel opens exactly one inserts.
 *
 * Who: a shift is worked by its own cashier (`shifts.operate`); a supervisor (`shifts.approve`) may also close it or
 * record its drops (a cashier who went home), approves variances and adjusts closed shifts — never their own. A
 * reader without `shifts.approve` sees only their own shifts, and a blind shift's expected figures stay hidden from
 * its cashier until it is closed.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ShiftPolicy } from '../../../config.js';
import { isUniqueViolation } from '../../../db/constraint-errors.js';
import type { Database } from '../../../db/schema.js';
import type { Connection } from '../../../db/scoped.js';
import { auditedTransaction, recordAudit } from '../../../platform/audit/record.js';
import { findOperatorById, rolesAndPermissionsOf } from '../../../platform/auth/repo.js';
import type { ChangeContext } from '../../../platform/change-context.js';
import { AppError } from '../../../platform/errors.js';
import type { Localized } from '../../../platform/language.js';
import { ALL_SITES, assertSiteInScope, type SiteScope } from '../../../platform/site-scope.js';
import { clockOf, dayOfIsoDate } from '../../capacity/local-time.js';
import type { VenuesService } from '../../venues/service.js';
import { journalOfShift } from './journal.js';
import * as repo from './repo.js';
import {
  denominationsSum,
  eventView,
  expectedByMethod,
  expectedCash,
  needsApproval,
  shiftReport,
  shiftView,
} from './report.js';
import type {
  Adjustment,
  Approve,
  CloseShift,
  Handover,
  ListShiftsQuery,
  Movement,
  NonCashMethod,
  OpenShift,
  Shift,
  ShiftEvent,
  ShiftReport,
} from './schemas.js';
import type { ShiftEventKind, ShiftState } from './tables.js';

type Db = Kysely<Database>;

const SHIFT: Localized = { 'zh-CN': '班次', en: 'Shift' };

const ACTIONS = {
  drop: { 'zh-CN': '上缴现金', en: 'given a drop' },
  payout: { 'zh-CN': '支出现金', en: 'given a payout' },
  close: { 'zh-CN': '收班', en: 'closed' },
  handover: { 'zh-CN': '交班', en: 'handed over' },
  approve: { 'zh-CN': '审批', en: 'approved' },
  adjust: { 'zh-CN': '调整', en: 'adjusted' },
} as const satisfies Record<string, Localized>;

const STATE_NAMES: Record<ShiftState, Localized> = {
  open: { 'zh-CN': '未结', en: 'open' },
  pending_approval: { 'zh-CN': '待审批', en: 'awaiting approval' },
  closed: { 'zh-CN': '已结', en: 'closed' },
};

/** Who is acting or reading: the operator, and whether they hold `shifts.approve` (a supervisor). */
export interface ShiftActor {
  readonly id: string;
  readonly username: string;
  readonly supervisor: boolean;
}

export interface ShiftsDependencies {
  readonly venues: VenuesService;
  readonly policy: ShiftPolicy;
}

function conflict(row: repo.ShiftRow, action: keyof typeof ACTIONS): AppError {
  return new AppError('SHIFT_STATE_CONFLICT', {
    shiftId: row.id,
    state: STATE_NAMES[row.state],
    action: ACTIONS[action],
  });
}

function handoverInvalid(reason: Localized): AppError {
  return new AppError('SHIFT_HANDOVER_INVALID', { reason });
}

export class ShiftsService {
  constructor(
    private readonly db: Db,
    private readonly deps: ShiftsDependencies,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether counts at this window are blind (config SHIFT_BLIND_COUNT). */
  blindAt(siteId: string, windowId: string): boolean {
    const { blindCount } = this.deps.policy;
    return blindCount.all || blindCount.windows.includes(`${siteId}/${windowId}`);
  }

  /** Opens a shift for the signed-in cashier, with a float or by taking over a handed-over till. */
  open(input: OpenShift, actor: ShiftActor, context: ChangeContext): Promise<Shift> {
    const scope = context.sites ?? ALL_SITES;
    assertSiteInScope(scope, input.siteId);
    return auditedTransaction(this.db, async (trx) => {
      const now = this.now();
      const site = await this.deps.venues.getSite(input.siteId, trx, scope);
      const window = await this.deps.venues.getWindow(input.siteId, input.windowId, trx, scope);
      if (!window.active) throw new AppError('WINDOW_INACTIVE', { windowId: input.windowId });
      const floatFen = input.handoverFrom
        ? await this.handedOverFloat(trx, input, actor, scope)
        : (input.floatFen ?? 0);
      if (
        await repo.openShiftAt(trx, { siteId: input.siteId, windowId: input.windowId, cashierId: actor.id })
      )
        throw new AppError('SHIFT_ALREADY_OPEN', { windowId: input.windowId });
      const id = randomUUID();
      const day = clockOf(site.timezone).dayNumber(now);
      const row = {
        id,
        site_id: input.siteId,
        window_id: input.windowId,
        cashier_id: actor.id,
        cashier_username: actor.username,
        state: 'open' as const,
        blind: this.blindAt(input.siteId, input.windowId) ? 1 : 0,
        float_fen: floatFen,
        handover_from: input.handoverFrom ?? null,
        handover_to_cashier_id: null,
        opened_at: now,
        open_day: day,
        closed_at: null,
        close_day: null,
        closed_by_id: null,
        closed_by_username: null,
        counted_cash_fen: null,
        denominations_json: null,
        recorded_json: null,
        expected_cash_fen: null,
        variance_fen: null,
        threshold_fen: null,
        close_note: null,
        approved_at: null,
        approved_by_id: null,
        approved_by_username: null,
        approval_note: null,
        updated_at: now,
      };
      try {
        await repo.insertShift(trx, row);
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        // A parallel open of the same till, or a parallel take-over of the same handover, won the insert.
        if (input.handoverFrom && (await repo.successorOf(trx, input.handoverFrom)))
          throw handoverInvalid({ 'zh-CN': '该班次已被接班', en: 'that shift was already taken over' });
        throw new AppError('SHIFT_ALREADY_OPEN', { windowId: input.windowId }, { cause: error });
      }
      await this.event(
        trx,
        row,
        'float',
        'cash',
        floatFen,
        input.handoverFrom ? 'handover' : null,
        actor,
        day,
        now,
      );
      await recordAudit(
        trx,
        {
          actor: context.actor,
          action: 'shift.open',
          entity: 'till_shift',
          entityId: id,
          after: {
            siteId: input.siteId,
            windowId: input.windowId,
            cashierId: actor.id,
            floatFen,
            handoverFrom: input.handoverFrom ?? null,
          },
          ip: context.ip,
        },
        now,
      );
      return shiftView(row);
    });
  }

  /** The float of a take-over: the handed-over shift's counted cash, when it was handed to this cashier here. */
  private async handedOverFloat(
    trx: Connection,
    input: OpenShift,
    actor: ShiftActor,
    scope: SiteScope,
  ): Promise<number> {
    const previous = await repo.findShift(trx, input.handoverFrom!, scope);
    if (!previous) throw new AppError('NOT_FOUND', { resource: SHIFT, id: input.handoverFrom! });
    if (previous.state === 'open' || previous.handover_to_cashier_id === null)
      throw handoverInvalid({ 'zh-CN': '该班次未交班', en: 'that shift was not handed over' });
    if (previous.handover_to_cashier_id !== actor.id)
      throw handoverInvalid({
        'zh-CN': '该班次交给了其他收银员',
        en: 'that shift was handed to another cashier',
      });
    if (previous.site_id !== input.siteId || previous.window_id !== input.windowId)
      throw handoverInvalid({
        'zh-CN': `交班窗口为 ${previous.window_id}，须在同一窗口接班`,
        en: `it was handed over at window ${previous.window_id}; take it over there`,
      });
    if (await repo.successorOf(trx, previous.id))
      throw handoverInvalid({ 'zh-CN': '该班次已被接班', en: 'that shift was already taken over' });
    const handed = Number(previous.counted_cash_fen);
    if (input.floatFen !== undefined && input.floatFen !== handed)
      throw handoverInvalid({
        'zh-CN': `备用金须为交班实点现金 ${handed} 分`,
        en: `the float must be the handed-over cash of ${handed} fen`,
      });
    return handed;
  }

  drop(id: string, input: Movement, actor: ShiftActor, context: ChangeContext): Promise<ShiftEvent> {
    return this.movement('drop', id, input, actor, context);
  }

  payout(id: string, input: Movement, actor: ShiftActor, context: ChangeContext): Promise<ShiftEvent> {
    return this.movement('payout', id, input, actor, context);
  }

  private movement(
    kind: 'drop' | 'payout',
    id: string,
    input: Movement,
    actor: ShiftActor,
    context: ChangeContext,
  ): Promise<ShiftEvent> {
    return auditedTransaction(this.db, async (trx) => {
      const now = this.now();
      const row = await this.worked(trx, id, actor, context);
      if (row.state !== 'open' || !(await repo.touchInState(trx, id, 'open', now))) throw conflict(row, kind);
      const day = await this.dayOf(trx, row.site_id, now);
      const event = await this.event(trx, row, kind, 'cash', input.amountFen, input.reason, actor, day, now);
      await recordAudit(
        trx,
        {
          actor: context.actor,
          action: `shift.${kind}`,
          entity: 'till_shift',
          entityId: id,
          after: { amountFen: input.amountFen, reason: input.reason, eventId: event.id },
          ip: context.ip,
        },
        now,
      );
      return event;
    });
  }

  close(id: string, input: CloseShift, actor: ShiftActor, context: ChangeContext): Promise<ShiftReport> {
    return this.closeWith(id, input, null, actor, context);
  }

  /** Closes with the count and leaves the counted cash in the till for `toCashierId`, who opens with it. */
  handover(id: string, input: Handover, actor: ShiftActor, context: ChangeContext): Promise<ShiftReport> {
    const { toCashierId, ...count } = input;
    return this.closeWith(id, count, toCashierId, actor, context);
  }

  private closeWith(
    id: string,
    input: CloseShift,
    toCashierId: string | null,
    actor: ShiftActor,
    context: ChangeContext,
  ): Promise<ShiftReport> {
    if (input.denominations) {
      const sum = denominationsSum(input.denominations);
      if (sum !== input.countedCashFen)
        throw new AppError('SHIFT_COUNT_MISMATCH', { sum, counted: input.countedCashFen });
    }
    const action = toCashierId === null ? 'close' : 'handover';
    return auditedTransaction(this.db, async (trx) => {
      const now = this.now();
      const row = await this.worked(trx, id, actor, context);
      // Taking the row lock first: a drop or a taking in flight commits before the count is weighed.
      if (row.state !== 'open' || !(await repo.touchInState(trx, id, 'open', now)))
        throw conflict(row, action);
      if (toCashierId !== null) await this.requireSuccessor(trx, row, toCashierId);
      const events = await repo.eventsOf(trx, id);
      const journal = await journalOfShift(trx, id);
      const expectedFen = expectedCash(row, events, journal);
      const varianceFen = input.countedCashFen - expectedFen;
      const expected = expectedByMethod(journal);
      const recorded = input.recorded ?? {};
      const differences = (Object.keys(recorded) as NonCashMethod[]).map(
        (method) => (recorded[method] ?? 0) - expected[method],
      );
      const thresholdFen = this.deps.policy.varianceApprovalFen;
      const state: ShiftState = needsApproval(varianceFen, differences, thresholdFen)
        ? 'pending_approval'
        : 'closed';
      const day = await this.dayOf(trx, row.site_id, now);
      const changes = {
        state,
        closed_at: now,
        close_day: day,
        closed_by_id: actor.id,
        closed_by_username: actor.username,
        counted_cash_fen: input.countedCashFen,
        denominations_json: input.denominations ? JSON.stringify(compact(input.denominations)) : null,
        recorded_json: input.recorded ? JSON.stringify(compact(input.recorded)) : null,
        expected_cash_fen: expectedFen,
        variance_fen: varianceFen,
        threshold_fen: thresholdFen,
        close_note: input.note || null,
        handover_to_cashier_id: toCashierId,
        updated_at: now,
      };
      if (!(await repo.transition(trx, id, 'open', changes))) throw conflict(row, action);
      if (toCashierId !== null)
        await this.event(trx, row, 'handover', 'cash', input.countedCashFen, null, actor, day, now);
      await recordAudit(
        trx,
        {
          actor: context.actor,
          action: `shift.${action}`,
          entity: 'till_shift',
          entityId: id,
          after: {
            state,
            countedCashFen: input.countedCashFen,
            expectedCashFen: expectedFen,
            varianceFen,
            thresholdFen,
            recorded: input.recorded ? compact(input.recorded) : null,
            ...(toCashierId !== null && { toCashierId }),
          },
          ip: context.ip,
        },
        now,
      );
      const closed = { ...row, ...changes };
      return shiftReport({
        row: closed,
        takenOverBy: null,
        events: await repo.eventsOf(trx, id),
        journal,
        hidden: false,
      });
    });
  }

  /** The cashier taking over: another active operator who may work a till. */
  private async requireSuccessor(trx: Connection, row: repo.ShiftRow, toCashierId: string): Promise<void> {
    if (toCashierId === row.cashier_id)
      throw handoverInvalid({ 'zh-CN': '不能交班给自己', en: 'a cashier cannot hand over to themselves' });
    const operator = await findOperatorById(trx, toCashierId);
    const allowed =
      operator?.active === 1 &&
      (await rolesAndPermissionsOf(trx, toCashierId)).permissions.includes('shifts.operate');
    if (!allowed)
      throw handoverInvalid({
        'zh-CN': '接班人不是可开班的在职收银员',
        en: 'the cashier named is not an active operator who may open a shift',
      });
  }

  /** Approves a variance above the threshold: the shift is closed from then on. */
  approve(id: string, input: Approve, actor: ShiftActor, context: ChangeContext): Promise<Shift> {
    return auditedTransaction(this.db, async (trx) => {
      const now = this.now();
      const row = await this.visible(trx, id, context.sites ?? ALL_SITES);
      if (row.cashier_id === actor.id) throw new AppError('SHIFT_SELF_APPROVAL', { shiftId: id });
      const changes = {
        state: 'closed' as const,
        approved_at: now,
        approved_by_id: actor.id,
        approved_by_username: actor.username,
        approval_note: input.note,
        updated_at: now,
      };
      if (row.state !== 'pending_approval' || !(await repo.transition(trx, id, 'pending_approval', changes)))
        throw conflict(row, 'approve');
      await recordAudit(
        trx,
        {
          actor: context.actor,
          action: 'shift.approve',
          entity: 'till_shift',
          entityId: id,
          after: {
            note: input.note,
            varianceFen: row.variance_fen === null ? null : Number(row.variance_fen),
          },
          ip: context.ip,
        },
        now,
      );
      return shiftView({ ...row, ...changes }, (await repo.successorOf(trx, id)) ?? null);
    });
  }

  /**
   * Corrects a closed shift after the fact: a row of its own, counted on the day it is made (the day settlement of
   * that day, or the next one when that day is already closed), never rewriting the shift or a closed day.
   */
  adjust(id: string, input: Adjustment, actor: ShiftActor, context: ChangeContext): Promise<ShiftEvent> {
    return auditedTransaction(this.db, async (trx) => {
      const now = this.now();
      const row = await this.visible(trx, id, context.sites ?? ALL_SITES);
      if (row.cashier_id === actor.id) throw new AppError('SHIFT_SELF_APPROVAL', { shiftId: id });
      // Closed is final (nothing moves a shift out of it), so the shift's row is read, never written.
      if (row.state !== 'closed') throw conflict(row, 'adjust');
      const day = await this.dayOf(trx, row.site_id, now);
      const event = await this.event(
        trx,
        row,
        'adjustment',
        input.method,
        input.amountFen,
        input.reason,
        actor,
        day,
        now,
      );
      await recordAudit(
        trx,
        {
          actor: context.actor,
          action: 'shift.adjust',
          entity: 'till_shift',
          entityId: id,
          after: {
            method: input.method,
            amountFen: input.amountFen,
            reason: input.reason,
            eventId: event.id,
          },
          ip: context.ip,
        },
        now,
      );
      return event;
    });
  }

  async get(id: string, viewer: ShiftActor, scope: SiteScope = ALL_SITES): Promise<Shift> {
    const row = await this.readable(id, viewer, scope);
    const view = shiftView(row, (await repo.successorOf(this.db, id)) ?? null);
    return view;
  }

  async report(id: string, viewer: ShiftActor, scope: SiteScope = ALL_SITES): Promise<ShiftReport> {
    const row = await this.readable(id, viewer, scope);
    return shiftReport({
      row,
      takenOverBy: (await repo.successorOf(this.db, id)) ?? null,
      events: await repo.eventsOf(this.db, id),
      journal: await journalOfShift(this.db, id),
      hidden: row.blind === 1 && row.state === 'open' && !viewer.supervisor,
    });
  }

  async list(
    query: ListShiftsQuery,
    viewer: ShiftActor,
    scope: SiteScope = ALL_SITES,
  ): Promise<{ shifts: Shift[]; total: number }> {
    const { rows, total } = await repo.listShifts(
      this.db,
      {
        ...(query.siteId !== undefined && { siteId: query.siteId }),
        ...(query.windowId !== undefined && { windowId: query.windowId }),
        // Without shifts.approve, one's own shifts only.
        ...(viewer.supervisor
          ? query.cashierId !== undefined && { cashierId: query.cashierId }
          : { cashierId: viewer.id }),
        ...(query.state !== undefined && { state: query.state }),
        ...(query.from !== undefined && { fromDay: dayOfIsoDate(query.from)! }),
        ...(query.to !== undefined && { toDay: dayOfIsoDate(query.to)! }),
        limit: query.limit,
        offset: query.offset,
      },
      scope,
    );
    return { shifts: rows.map((row) => shiftView(row)), total };
  }

  /** The caller's open shifts, and the tills handed over to them that they have not taken over yet. */
  async mine(
    viewer: ShiftActor,
    scope: SiteScope = ALL_SITES,
  ): Promise<{ open: Shift[]; handoversToMe: Shift[] }> {
    return {
      open: (await repo.openShiftsOf(this.db, viewer.id, scope)).map((row) => shiftView(row)),
      handoversToMe: (await repo.handoversTo(this.db, viewer.id, scope)).map((row) => shiftView(row)),
    };
  }

  /** A shift the viewer may read: in scope, and their own unless they supervise. */
  private async readable(id: string, viewer: ShiftActor, scope: SiteScope): Promise<repo.ShiftRow> {
    const row = await this.visible(this.db, id, scope);
    if (!viewer.supervisor && row.cashier_id !== viewer.id)
      throw new AppError('NOT_FOUND', { resource: SHIFT, id });
    return row;
  }

  private async visible(db: Connection, id: string, scope: SiteScope): Promise<repo.ShiftRow> {
    const row = await repo.findShift(db, id, scope);
    if (!row) throw new AppError('NOT_FOUND', { resource: SHIFT, id });
    return row;
  }

  /** A shift the actor may work: their own, or any in scope for a supervisor. */
  private async worked(
    trx: Connection,
    id: string,
    actor: ShiftActor,
    context: ChangeContext,
  ): Promise<repo.ShiftRow> {
    const row = await this.visible(trx, id, context.sites ?? ALL_SITES);
    if (row.cashier_id !== actor.id && !actor.supervisor)
      throw new AppError('SHIFT_NOT_YOURS', { shiftId: id });
    return row;
  }

  private async dayOf(trx: Connection, siteId: string, now: number): Promise<number> {
    const site = await this.deps.venues.getSite(siteId, trx);
    return clockOf(site.timezone).dayNumber(now);
  }

  private async event(
    trx: Connection,
    row: Pick<repo.ShiftRow, 'id' | 'site_id'>,
    kind: ShiftEventKind,
    method: repo.ShiftEventRow['method'],
    amountFen: number,
    reason: string | null,
    actor: ShiftActor,
    day: number,
    now: number,
  ): Promise<ShiftEvent> {
    const event = {
      id: randomUUID(),
      shift_id: row.id,
      site_id: row.site_id,
      kind,
      method,
      amount_fen: amountFen,
      reason,
      at: now,
      day,
      by_id: actor.id,
      by_username: actor.username,
      settled_day: null,
    };
    await repo.insertEvent(trx, event);
    return eventView(event);
  }
}

/** Drops the keys left undefined, in a stable order, for storing and auditing. */
function compact<T extends Record<string, number | undefined>>(value: T): Record<string, number> {
  return Object.fromEntries(
    Object.entries(value)
      .filter((entry): entry is [string, number] => entry[1] !== undefined)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}
