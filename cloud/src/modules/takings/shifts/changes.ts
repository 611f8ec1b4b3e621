/**
 * What every change of a shift shares (service.ts, open.ts, close.ts): who acts, finding the shift they may act on,
 * the refusals, the site day a change counts on, and writing one of the shift's events.
 */
import { randomUUID } from 'node:crypto';
import type { Connection } from '../../../db/scoped.js';
import { AppError } from '../../../platform/errors.js';
import type { Localized } from '../../../platform/language.js';
import type { SiteScope } from '../../../platform/site-scope.js';
import { clockOf } from '../../capacity/local-time.js';
import type { VenuesService } from '../../venues/service.js';
import * as repo from './repo.js';
import { eventView } from './report.js';
import type { ShiftEvent } from './schemas.js';
import type { ShiftEventKind, ShiftState } from './tables.js';

export const SHIFT: Localized = { 'zh-CN': '班次', en: 'Shift' };

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

export function conflict(row: repo.ShiftRow, action: keyof typeof ACTIONS): AppError {
  return new AppError('SHIFT_STATE_CONFLICT', {
    shiftId: row.id,
    state: STATE_NAMES[row.state],
    action: ACTIONS[action],
  });
}

export function handoverInvalid(reason: Localized): AppError {
  return new AppError('SHIFT_HANDOVER_INVALID', { reason });
}

/** The shift, when its site is in `scope`; otherwise NOT_FOUND, like one that does not exist. */
export async function visibleShift(db: Connection, id: string, scope: SiteScope): Promise<repo.ShiftRow> {
  const row = await repo.findShift(db, id, scope);
  if (!row) throw new AppError('NOT_FOUND', { resource: SHIFT, id });
  return row;
}

/** A shift the actor may work: their own, or any in scope for a supervisor. */
export async function workedShift(
  db: Connection,
  id: string,
  actor: ShiftActor,
  scope: SiteScope,
): Promise<repo.ShiftRow> {
  const row = await visibleShift(db, id, scope);
  if (row.cashier_id !== actor.id && !actor.supervisor)
    throw new AppError('SHIFT_NOT_YOURS', { shiftId: id });
  return row;
}

/** The site-local day number of `now` at the shift's site. */
export async function siteDay(
  venues: VenuesService,
  db: Connection,
  siteId: string,
  now: number,
): Promise<number> {
  const site = await venues.getSite(siteId, db);
  return clockOf(site.timezone).dayNumber(now);
}

export interface EventFacts {
  readonly kind: ShiftEventKind;
  readonly method: repo.ShiftEventRow['method'];
  readonly amountFen: number;
  readonly reason: string | null;
  readonly actor: ShiftActor;
  readonly day: number;
  readonly now: number;
  /** The operator's Idempotency-Key and the hash of the request it came with, when given. */
  readonly idempotency?: { readonly key: string; readonly hash: string } | undefined;
}

/** Writes one event of the shift. */
export async function recordEvent(
  db: Connection,
  shift: Pick<repo.ShiftRow, 'id' | 'site_id'>,
  facts: EventFacts,
): Promise<ShiftEvent> {
  const event = {
    id: randomUUID(),
    shift_id: shift.id,
    site_id: shift.site_id,
    kind: facts.kind,
    method: facts.method,
    amount_fen: facts.amountFen,
    reason: facts.reason,
    at: facts.now,
    day: facts.day,
    by_id: facts.actor.id,
    by_username: facts.actor.username,
    idempotency_key: facts.idempotency?.key ?? null,
    request_hash: facts.idempotency?.hash ?? null,
    settled_day: null,
  };
  await repo.insertEvent(db, event);
  return eventView(event);
}

/** Drops the keys left undefined, in a stable order, for storing and auditing. */
export function compact<T extends Record<string, number | undefined>>(value: T): Record<string, number> {
  return Object.fromEntries(
    Object.entries(value)
      .filter((entry): entry is [string, number] => entry[1] !== undefined)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}
