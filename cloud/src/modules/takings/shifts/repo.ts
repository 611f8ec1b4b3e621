/** The SQL of the cashier shifts and their events. Callers pass a db or the change's transaction. */
import { type Insertable, sql, type Updateable } from 'kysely';
import type { Connection } from '../../../db/scoped.js';
import { type SiteScope, siteCondition } from '../../../platform/site-scope.js';
import { type ShiftState, shiftTables, type TillShiftEventsTable, type TillShiftsTable } from './tables.js';

type Db = Connection;
export type ShiftRow = TillShiftsTable;
export type ShiftEventRow = TillShiftEventsTable;

// Opening a shift asks whether the cashier already has one open at the window: compiled once.
// `state = 'open'` is written as a literal, not bound: a bound value compared where a partial index's WHERE has a
// literal (till_shifts_one_open) makes SQLite plan the statement anew on every run to check the value (~30 µs).
const OPEN = sql.lit<ShiftState>('open');
const openAtWindow = shiftTables.precompile<
  { siteId: string; windowId: string; cashierId: string },
  { id: string }
>((db, p) =>
  db
    .selectFrom('till_shifts')
    .select('id')
    .where('site_id', '=', p.siteId)
    .where('window_id', '=', p.windowId)
    .where('cashier_id', '=', p.cashierId)
    .where('state', '=', OPEN),
);

/** The cashier's open shift at that window (at most one: the partial unique index). */
export async function openShiftAt(
  db: Db,
  at: { siteId: string; windowId: string; cashierId: string },
): Promise<string | undefined> {
  return (await openAtWindow.first(db, at))?.id;
}

export async function insertShift(db: Db, row: Insertable<ShiftRow>): Promise<void> {
  await shiftTables(db).insertInto('till_shifts').values(row).execute();
}

/** The shift, when its site is in `scope`. */
export function findShift(db: Db, id: string, scope: SiteScope): Promise<ShiftRow | undefined> {
  return shiftTables(db)
    .selectFrom('till_shifts')
    .selectAll()
    .where('id', '=', id)
    .where(siteCondition(scope, 'site_id'))
    .executeTakeFirst();
}

/**
 * Touches the shift while it is in `state`, which also takes its row lock for the rest of the transaction: a close
 * waits for a drop in flight and the other way round. False when it is no longer in that state.
 */
export async function touchInState(db: Db, id: string, state: ShiftState, now: number): Promise<boolean> {
  const result = await shiftTables(db)
    .updateTable('till_shifts')
    .set({ updated_at: now })
    .where('id', '=', id)
    .where('state', '=', state)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Moves the shift from `from` to the state in `changes`, only if it is still in `from`; false when it was not. */
export async function transition(
  db: Db,
  id: string,
  from: ShiftState,
  changes: Updateable<ShiftRow>,
): Promise<boolean> {
  const result = await shiftTables(db)
    .updateTable('till_shifts')
    .set(changes)
    .where('id', '=', id)
    .where('state', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The shift that took this one's till over, if any. */
export async function successorOf(db: Db, id: string): Promise<string | undefined> {
  return (
    await shiftTables(db)
      .selectFrom('till_shifts')
      .select('id')
      .where('handover_from', '=', id)
      .executeTakeFirst()
  )?.id;
}

export function openShiftsOf(db: Db, cashierId: string, scope: SiteScope): Promise<ShiftRow[]> {
  return shiftTables(db)
    .selectFrom('till_shifts')
    .selectAll()
    .where('cashier_id', '=', cashierId)
    .where('state', '=', 'open')
    .where(siteCondition(scope, 'site_id'))
    .orderBy('opened_at')
    .execute();
}

/** Shifts handed over to this cashier that nobody has taken over yet. */
export function handoversTo(db: Db, cashierId: string, scope: SiteScope): Promise<ShiftRow[]> {
  return shiftTables(db)
    .selectFrom('till_shifts as s')
    .selectAll('s')
    .where('s.handover_to_cashier_id', '=', cashierId)
    .where('s.state', '<>', 'open')
    .where(siteCondition(scope, 's.site_id'))
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('till_shifts as n').select('n.id').whereRef('n.handover_from', '=', 's.id'))),
    )
    .orderBy('s.closed_at')
    .execute();
}

export interface ShiftFilter {
  readonly siteId?: string;
  readonly windowId?: string;
  readonly cashierId?: string;
  readonly state?: ShiftState;
  readonly fromDay?: number;
  readonly toDay?: number;
  readonly limit: number;
  readonly offset: number;
}

/** Newest first, with the count of all that match. */
export async function listShifts(
  db: Db,
  filter: ShiftFilter,
  scope: SiteScope,
): Promise<{ rows: ShiftRow[]; total: number }> {
  let query = shiftTables(db).selectFrom('till_shifts').where(siteCondition(scope, 'site_id'));
  if (filter.siteId !== undefined) query = query.where('site_id', '=', filter.siteId);
  if (filter.windowId !== undefined) query = query.where('window_id', '=', filter.windowId);
  if (filter.cashierId !== undefined) query = query.where('cashier_id', '=', filter.cashierId);
  if (filter.state !== undefined) query = query.where('state', '=', filter.state);
  if (filter.fromDay !== undefined) query = query.where('open_day', '>=', filter.fromDay);
  if (filter.toDay !== undefined) query = query.where('open_day', '<=', filter.toDay);
  const rows = await query
    .selectAll()
    .orderBy('opened_at', 'desc')
    .orderBy('id')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
  const { total } = await query
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow();
  return { rows, total: Number(total) };
}

/** Shifts by id (any site): the day settlement's check of the shifts that took money that day. */
export function shiftsByIds(db: Db, ids: readonly string[]): Promise<ShiftRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return shiftTables(db).selectFrom('till_shifts').selectAll().where('id', 'in', ids).execute();
}

/** The shifts a site opened on days [fromDay, toDay]. */
export function shiftsOpenedBetween(
  db: Db,
  siteId: string,
  fromDay: number,
  toDay: number,
): Promise<ShiftRow[]> {
  return shiftTables(db)
    .selectFrom('till_shifts')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('open_day', '>=', fromDay)
    .where('open_day', '<=', toDay)
    .execute();
}

export async function insertEvent(db: Db, row: Insertable<ShiftEventRow>): Promise<void> {
  await shiftTables(db).insertInto('till_shift_events').values(row).execute();
}

/** The event that answered an operator's Idempotency-Key (db/idempotency.ts): compiled once. */
export const eventKeyLookup = shiftTables.precompile<
  { cashierId: string; key: string },
  { id: string; request_hash: string }
>((db, p) =>
  db
    .selectFrom('till_shift_events')
    // Only events made with a key are found by one, and those always carry its request's hash.
    .select(['id', sql<string>`request_hash`.as('request_hash')])
    .where('by_id', '=', p.cashierId)
    .where('idempotency_key', '=', p.key),
);

export async function eventById(db: Db, id: string): Promise<ShiftEventRow> {
  return shiftTables(db)
    .selectFrom('till_shift_events')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

export function eventsOf(db: Db, shiftId: string): Promise<ShiftEventRow[]> {
  return shiftTables(db)
    .selectFrom('till_shift_events')
    .selectAll()
    .where('shift_id', '=', shiftId)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

/**
 * Adjustments a day settlement counts: the site's made on that day, and those made later on a day already closed
 * (`closedDays`), none yet counted by a settlement.
 */
export function unsettledAdjustments(
  db: Db,
  siteId: string,
  day: number,
  closedDays: readonly number[],
): Promise<ShiftEventRow[]> {
  return shiftTables(db)
    .selectFrom('till_shift_events')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('kind', '=', 'adjustment')
    .where('settled_day', 'is', null)
    .where((eb) =>
      closedDays.length === 0
        ? eb('day', '=', day)
        : eb.or([eb('day', '=', day), eb('day', 'in', [...closedDays])]),
    )
    .orderBy('at')
    .orderBy('id')
    .execute();
}

/** Marks adjustments as counted by the day settlement of `day`. */
export async function settleAdjustments(db: Db, ids: readonly string[], day: number): Promise<void> {
  if (ids.length === 0) return;
  await shiftTables(db)
    .updateTable('till_shift_events')
    .set({ settled_day: day })
    .where('id', 'in', ids)
    .where('settled_day', 'is', null)
    .execute();
}

/** Adjustments made on days [fromDay, toDay] that no day settlement has counted yet. */
export function unsettledAdjustmentsBetween(
  db: Db,
  siteId: string,
  fromDay: number,
  toDay: number,
): Promise<ShiftEventRow[]> {
  return shiftTables(db)
    .selectFrom('till_shift_events')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('kind', '=', 'adjustment')
    .where('settled_day', 'is', null)
    .where('day', '>=', fromDay)
    .where('day', '<=', toDay)
    .orderBy('at')
    .orderBy('id')
    .execute();
}
