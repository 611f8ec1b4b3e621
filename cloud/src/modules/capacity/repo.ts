/**
 * The capacity module's SQL. Consuming is one conditional UPDATE per counter — `sold = sold + n` only while the result
 * stays within the cap — so the affected-row count is the verdict and no read-then-write race exists on either engine.
 */

import { type Selectable, sql } from 'kysely';
import { type Connection, readModel } from '../../db/scoped.js';
import { ALL_SITES, type SiteScope, siteCondition } from '../../platform/site-scope.js';
import { type CapacitySlotsTable, capacityTables } from './tables.js';

type Db = Connection;
export type SlotRow = Selectable<CapacitySlotsTable>;

/** Creates the day's counter at 0 unless it exists; concurrent callers both succeed (insert-or-ignore). */
export async function ensureDay(db: Db, siteId: string, day: number): Promise<void> {
  await capacityTables(db)
    .insertInto('capacity_days')
    .values({ site_id: siteId, day, sold: 0 })
    .onConflict((oc) => oc.columns(['site_id', 'day']).doNothing())
    .execute();
}

/**
 * Read model: the day's counter (this module's) capped by the site's daily_capacity (venues') read in the same UPDATE,
 * so a cap lowered concurrently is honoured by the very statement that sells (no oversell between a read and a write).
 */
const dayWithinSiteCap = readModel<'capacity_days' | 'sites'>();

// The two updates every sale runs, compiled once (db/precompiled.ts).
const takeDay = dayWithinSiteCap.precompile<{ siteId: string; day: number; persons: number }, never>(
  (db, p) => {
    const cap = sql<number | null>`(select daily_capacity from sites where sites.id = ${p.siteId})`;
    return db
      .updateTable('capacity_days')
      .set({ sold: sql`sold + ${p.persons}` })
      .where('site_id', '=', p.siteId)
      .where('day', '=', p.day)
      .where(sql<boolean>`(${cap} is null or sold + ${p.persons} <= ${cap})`);
  },
);

const takeSlot = capacityTables.precompile<
  { id: string; siteId: string; day: number; persons: number },
  { start_at: number; end_at: number }
>((db, p) =>
  db
    .updateTable('capacity_slots')
    .set({ sold: sql`sold + ${p.persons}` })
    .where('id', '=', p.id)
    .where('site_id', '=', p.siteId)
    .where('day', '=', p.day)
    .where(sql<boolean>`sold + ${p.persons} <= cap`)
    .returning(['start_at', 'end_at']),
);

/** Adds `persons` to the day while within the site's daily_capacity (none = unlimited); false when it would not fit. */
export async function consumeDay(db: Db, siteId: string, day: number, persons: number): Promise<boolean> {
  return (await takeDay.changed(db, { siteId, day, persons })) === 1;
}

/**
 * Adds `persons` to the slot while within its cap, only if it is a slot of that site and day; its times, or undefined
 * when nothing changed (unknown, another site or day, or full — the caller reads the slot to tell which).
 */
export function consumeSlot(
  db: Db,
  slot: { id: string; siteId: string; day: number },
  persons: number,
): Promise<{ start_at: number; end_at: number } | undefined> {
  return takeSlot.first(db, { id: slot.id, siteId: slot.siteId, day: slot.day, persons });
}

export async function releaseDay(db: Db, siteId: string, day: number, persons: number): Promise<boolean> {
  const result = await capacityTables(db)
    .updateTable('capacity_days')
    .set({ sold: sql`sold - ${persons}` })
    .where('site_id', '=', siteId)
    .where('day', '=', day)
    .where('sold', '>=', persons)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export async function releaseSlot(db: Db, slotId: string, persons: number): Promise<boolean> {
  const result = await capacityTables(db)
    .updateTable('capacity_slots')
    .set({ sold: sql`sold - ${persons}` })
    .where('id', '=', slotId)
    .where('sold', '>=', persons)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export async function dayExists(db: Db, siteId: string, day: number): Promise<boolean> {
  const row = await capacityTables(db)
    .selectFrom('capacity_days')
    .select('day')
    .where('site_id', '=', siteId)
    .where('day', '=', day)
    .executeTakeFirst();
  return row !== undefined;
}

export async function daySold(db: Db, siteId: string, day: number): Promise<number> {
  const row = await capacityTables(db)
    .selectFrom('capacity_days')
    .select('sold')
    .where('site_id', '=', siteId)
    .where('day', '=', day)
    .executeTakeFirst();
  return row?.sold ?? 0;
}

/** The slot, if it exists and its site is in `scope`. */
export async function findSlot(
  db: Db,
  id: string,
  scope: SiteScope = ALL_SITES,
): Promise<SlotRow | undefined> {
  return capacityTables(db)
    .selectFrom('capacity_slots')
    .selectAll()
    .where('id', '=', id)
    .where(siteCondition(scope, 'site_id'))
    .executeTakeFirst();
}

export async function listSlots(db: Db, siteId: string, day: number): Promise<SlotRow[]> {
  return capacityTables(db)
    .selectFrom('capacity_slots')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('day', '=', day)
    .orderBy('start_minute')
    .execute();
}

export async function hasSlots(db: Db, siteId: string, day: number): Promise<boolean> {
  const row = await capacityTables(db)
    .selectFrom('capacity_slots')
    .select('id')
    .where('site_id', '=', siteId)
    .where('day', '=', day)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertSlots(db: Db, rows: readonly SlotRow[]): Promise<void> {
  await capacityTables(db).insertInto('capacity_slots').values(rows).execute();
}

/** Sets the cap unless it would fall below what is already sold; false then. */
export async function updateSlotCap(db: Db, id: string, cap: number, now: number): Promise<boolean> {
  const result = await capacityTables(db)
    .updateTable('capacity_slots')
    .set({ cap, updated_at: now })
    .where('id', '=', id)
    .where('sold', '<=', cap)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** Sold per day over a range of days (days without a sale have no row). */
export function soldByDay(
  db: Db,
  siteId: string,
  fromDay: number,
  toDay: number,
): Promise<{ day: number; sold: number }[]> {
  return capacityTables(db)
    .selectFrom('capacity_days')
    .select(['day', 'sold'])
    .where('site_id', '=', siteId)
    .where('day', '>=', fromDay)
    .where('day', '<=', toDay)
    .execute();
}

/** Per day with slots: how many, the sum of their caps and of what they sold. */
export function slotTotalsByDay(
  db: Db,
  siteId: string,
  fromDay: number,
  toDay: number,
): Promise<{ day: number; count: number; cap: number; sold: number }[]> {
  return capacityTables(db)
    .selectFrom('capacity_slots')
    .select((eb) => [
      'day',
      eb.fn.countAll<number>().as('count'),
      eb.fn.sum<number>('cap').as('cap'),
      eb.fn.sum<number>('sold').as('sold'),
    ])
    .where('site_id', '=', siteId)
    .where('day', '>=', fromDay)
    .where('day', '<=', toDay)
    .groupBy('day')
    .execute();
}
