/**
 * The SQL of the day and month settlements, and their reads of the takings rollups. Callers pass a db or the
 * change's transaction.
 */
import type { Insertable } from 'kysely';
import type { Connection } from '../../../db/scoped.js';
import type { TakingSource } from '../contract.js';
import { takingTables } from '../tables.js';
import type { ItemRow, MoneyRow } from './figures.js';
import { type SettlementDaysTable, type SettlementMonthsTable, settlementTables } from './tables.js';

type Db = Connection;
export type DayRow = SettlementDaysTable;
export type MonthRow = SettlementMonthsTable;

/** The rollup rows of a site's days [fromDay, toDay], with their day. */
export async function rollupsOf(
  db: Db,
  siteId: string,
  fromDay: number,
  toDay: number,
): Promise<{
  money: (MoneyRow & { day: number })[];
  items: (ItemRow & { day: number })[];
  counts: { day: number; source: TakingSource; count: number }[];
}> {
  const tables = takingTables(db);
  const money = await tables
    .selectFrom('takings_day_money')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('day', '>=', fromDay)
    .where('day', '<=', toDay)
    .execute();
  const items = await tables
    .selectFrom('takings_day_items')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('day', '>=', fromDay)
    .where('day', '<=', toDay)
    .execute();
  const counts = await tables
    .selectFrom('takings')
    .select(['day', 'source', (eb) => eb.fn.countAll<number>().as('count')])
    .where('site_id', '=', siteId)
    .where('day', '>=', fromDay)
    .where('day', '<=', toDay)
    .groupBy(['day', 'source'])
    .execute();
  return {
    money: money.map((r) => ({
      day: Number(r.day),
      source: r.source,
      channel: r.channel,
      method: r.method,
      windowId: r.window_id,
      cashierId: r.cashier_id,
      agencyId: r.agency_id,
      payments: Number(r.payments),
      amountFen: Number(r.amount_fen),
    })),
    items: items.map((r) => ({
      day: Number(r.day),
      source: r.source,
      channel: r.channel,
      typeId: Number(r.type_id),
      windowId: r.window_id,
      cashierId: r.cashier_id,
      agencyId: r.agency_id,
      tickets: Number(r.tickets),
      persons: Number(r.persons),
      amountFen: Number(r.amount_fen),
    })),
    counts: counts.map((r) => ({ day: Number(r.day), source: r.source, count: Number(r.count) })),
  };
}

export function findDay(db: Db, siteId: string, day: number): Promise<DayRow | undefined> {
  return settlementTables(db)
    .selectFrom('settlement_days')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('day', '=', day)
    .executeTakeFirst();
}

export function closedDaysBetween(db: Db, siteId: string, fromDay: number, toDay: number): Promise<DayRow[]> {
  return settlementTables(db)
    .selectFrom('settlement_days')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('day', '>=', fromDay)
    .where('day', '<=', toDay)
    .orderBy('day')
    .execute();
}

/** Closed days before `day` whose takings may still have grown after their close. */
export function lateOpenDaysBefore(db: Db, siteId: string, day: number): Promise<DayRow[]> {
  return settlementTables(db)
    .selectFrom('settlement_days')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('late_open', '=', 1)
    .where('day', '<', day)
    .orderBy('day')
    .execute();
}

/** Closed days whose adjustments made after their close still wait for a later day settlement. */
export function lateOpenDays(db: Db, siteId: string): Promise<number[]> {
  return settlementTables(db)
    .selectFrom('settlement_days')
    .select('day')
    .where('site_id', '=', siteId)
    .where('late_open', '=', 1)
    .execute()
    .then((rows) => rows.map((row) => Number(row.day)));
}

export async function insertDay(db: Db, row: Insertable<DayRow>): Promise<void> {
  await settlementTables(db).insertInto('settlement_days').values(row).execute();
}

export async function updateCarried(
  db: Db,
  siteId: string,
  day: number,
  carriedOutJson: string,
  lateOpen: boolean,
): Promise<void> {
  await settlementTables(db)
    .updateTable('settlement_days')
    .set({ carried_out_json: carriedOutJson, late_open: lateOpen ? 1 : 0 })
    .where('site_id', '=', siteId)
    .where('day', '=', day)
    .execute();
}

export function findMonth(db: Db, siteId: string, month: string): Promise<MonthRow | undefined> {
  return settlementTables(db)
    .selectFrom('settlement_months')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('month', '=', month)
    .executeTakeFirst();
}

export async function insertMonth(db: Db, row: Insertable<MonthRow>): Promise<void> {
  await settlementTables(db).insertInto('settlement_months').values(row).execute();
}
