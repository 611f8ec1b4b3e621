/** The holidays module's SQL: the calendar's rows. Callers pass a db or a transaction. */
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Connection } from '../../db/scoped.js';
import { type HolidaysTable, holidayTables } from './tables.js';

export type HolidayRow = Selectable<HolidaysTable>;

/** Every row, or one year's, by first day (a break before its make-up days on the same day). */
export function list(db: Connection, year?: number): Promise<HolidayRow[]> {
  let query = holidayTables(db).selectFrom('holidays').selectAll();
  if (year !== undefined) query = query.where('year', '=', year);
  return query.orderBy('first_day').orderBy('kind').orderBy('id').execute();
}

/** The rows of the holidays' years `fromYear`…`toYear` (a comparison's calendar). */
export function ofYears(db: Connection, fromYear: number, toYear: number): Promise<HolidayRow[]> {
  return holidayTables(db)
    .selectFrom('holidays')
    .selectAll()
    .where('year', '>=', fromYear)
    .where('year', '<=', toYear)
    .orderBy('first_day')
    .execute();
}

export function find(db: Connection, id: string): Promise<HolidayRow | undefined> {
  return holidayTables(db).selectFrom('holidays').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The rows sharing a day with `firstDay`…`lastDay`, other than `exceptId`. */
export function overlapping(
  db: Connection,
  firstDay: number,
  lastDay: number,
  exceptId?: string,
): Promise<HolidayRow[]> {
  let query = holidayTables(db)
    .selectFrom('holidays')
    .selectAll()
    .where('first_day', '<=', lastDay)
    .where('last_day', '>=', firstDay);
  if (exceptId !== undefined) query = query.where('id', '<>', exceptId);
  return query.orderBy('first_day').execute();
}

export async function insert(db: Connection, row: Insertable<HolidaysTable>): Promise<void> {
  await holidayTables(db).insertInto('holidays').values(row).execute();
}

export async function update(db: Connection, id: string, changes: Updateable<HolidaysTable>): Promise<void> {
  await holidayTables(db).updateTable('holidays').set(changes).where('id', '=', id).execute();
}

export async function remove(db: Connection, id: string): Promise<boolean> {
  const result = await holidayTables(db).deleteFrom('holidays').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
