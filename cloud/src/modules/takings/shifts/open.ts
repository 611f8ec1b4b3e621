/**
 * Opening a shift (开班), inside the caller's audited transaction: at an active window of the site, with a float
 * counted in, or by taking over a till handed to this cashier at the same window (its counted cash is the float).
 * One open shift per cashier and window: checked first for a clear answer, and enforced by the partial unique index
 * when two opens race (the loser answers SHIFT_ALREADY_OPEN, or SHIFT_HANDOVER_INVALID for a take-over already made).
 */
import { randomUUID } from 'node:crypto';
import { isUniqueViolation } from '../../../db/constraint-errors.js';
import type { Connection } from '../../../db/scoped.js';
import { recordAudit } from '../../../platform/audit/record.js';
import type { ChangeContext } from '../../../platform/change-context.js';
import { AppError } from '../../../platform/errors.js';
import type { SiteScope } from '../../../platform/site-scope.js';
import { clockOf } from '../../capacity/local-time.js';
import type { VenuesService } from '../../venues/service.js';
import { handoverInvalid, recordEvent, SHIFT, type ShiftActor } from './changes.js';
import * as repo from './repo.js';
import { shiftView } from './report.js';
import type { OpenShift, Shift } from './schemas.js';

export interface OpenDependencies {
  readonly venues: VenuesService;
  /** Whether counts at this window are blind. */
  readonly blindAt: (siteId: string, windowId: string) => boolean;
}

export interface OpenCommand {
  readonly input: OpenShift;
  readonly actor: ShiftActor;
  readonly context: ChangeContext;
  readonly scope: SiteScope;
  readonly now: number;
}

const TAKEN: Parameters<typeof handoverInvalid>[0] = {
  'zh-CN': '该班次已被接班',
  en: 'that shift was already taken over',
};

export async function openShift(
  trx: Connection,
  deps: OpenDependencies,
  command: OpenCommand,
): Promise<Shift> {
  const { input, actor, context, scope, now } = command;
  const site = await deps.venues.getSite(input.siteId, trx, scope);
  const window = await deps.venues.getWindow(input.siteId, input.windowId, trx, scope);
  if (!window.active) throw new AppError('WINDOW_INACTIVE', { windowId: input.windowId });
  const floatFen = input.handoverFrom
    ? await handedOverFloat(trx, input, actor, scope)
    : (input.floatFen ?? 0);
  if (await repo.openShiftAt(trx, { siteId: input.siteId, windowId: input.windowId, cashierId: actor.id }))
    throw new AppError('SHIFT_ALREADY_OPEN', { windowId: input.windowId });
  const day = clockOf(site.timezone).dayNumber(now);
  const row: repo.ShiftRow = {
    id: randomUUID(),
    site_id: input.siteId,
    window_id: input.windowId,
    cashier_id: actor.id,
    cashier_username: actor.username,
    state: 'open',
    blind: deps.blindAt(input.siteId, input.windowId) ? 1 : 0,
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
    if (input.handoverFrom && (await repo.successorOf(trx, input.handoverFrom))) throw handoverInvalid(TAKEN);
    throw new AppError('SHIFT_ALREADY_OPEN', { windowId: input.windowId }, { cause: error });
  }
  await recordEvent(trx, row, {
    kind: 'float',
    method: 'cash',
    amountFen: floatFen,
    reason: input.handoverFrom ? 'handover' : null,
    actor,
    day,
    now,
  });
  await recordAudit(
    trx,
    {
      actor: context.actor,
      action: 'shift.open',
      entity: 'till_shift',
      entityId: row.id,
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
}

/** The float of a take-over: the handed-over shift's counted cash, when it was handed to this cashier here. */
async function handedOverFloat(
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
  if (await repo.successorOf(trx, previous.id)) throw handoverInvalid(TAKEN);
  const handed = Number(previous.counted_cash_fen);
  if (input.floatFen !== undefined && input.floatFen !== handed)
    throw handoverInvalid({
      'zh-CN': `备用金须为交班实点现金 ${handed} 分`,
      en: `the float must be the handed-over cash of ${handed} fen`,
    });
  return handed;
}
