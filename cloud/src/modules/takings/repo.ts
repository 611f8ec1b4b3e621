/** The takings module's SQL: the journal and its day rollups. Callers pass a db or the change's transaction. */
import type { Insertable } from 'kysely';
import type { Connection } from '../../db/scoped.js';
import type { TakingEntry } from './contract.js';
import { type TakingsDayItemsTable, type TakingsDayMoneyTable, takingTables } from './tables.js';

type Db = Connection;

/** Absent dimensions are '' in the rollups (one primary key covers every row). */
const dim = (value: string | null): string => value ?? '';

/** Writes the journal rows of one taking; answers its id. */
export async function insertTaking(db: Db, entry: TakingEntry, shiftId: string | null): Promise<number> {
  const tables = takingTables(db);
  const amountFen = entry.payments.reduce((sum, p) => sum + p.amountFen, 0);
  const { id } = await tables
    .insertInto('takings')
    .values({
      source: entry.source,
      source_id: entry.sourceId,
      site_id: entry.siteId,
      day: entry.day,
      at: entry.at,
      channel: entry.channel,
      window_id: entry.windowId,
      cashier_id: entry.cashierId,
      shift_id: shiftId,
      agency_id: entry.agencyId,
      amount_fen: amountFen,
      tickets: entry.items.reduce((sum, i) => sum + i.tickets, 0),
      persons: entry.items.reduce((sum, i) => sum + i.persons, 0),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const takingId = Number(id);
  if (entry.payments.length > 0)
    await tables
      .insertInto('taking_payments')
      .values(entry.payments.map((p) => ({ taking_id: takingId, method: p.method, amount_fen: p.amountFen })))
      .execute();
  if (entry.items.length > 0)
    await tables
      .insertInto('taking_items')
      .values(
        entry.items.map((i) => ({
          taking_id: takingId,
          type_id: i.typeId,
          tickets: i.tickets,
          persons: i.persons,
          amount_fen: i.amountFen,
        })),
      )
      .execute();
  return takingId;
}

/**
 * Adds one taking to the day rollups. Rows of one statement must not share a key (PostgreSQL refuses to update a
 * row twice in one ON CONFLICT), so payments by the same method and items of the same type are summed first.
 */
export async function addToDay(db: Db, entry: TakingEntry): Promise<void> {
  const tables = takingTables(db);
  const base = {
    site_id: entry.siteId,
    day: entry.day,
    source: entry.source,
    channel: entry.channel,
    window_id: dim(entry.windowId),
    cashier_id: dim(entry.cashierId),
    agency_id: dim(entry.agencyId),
  };
  const money = new Map<string, Insertable<TakingsDayMoneyTable>>();
  for (const p of entry.payments) {
    const row = money.get(p.method) ?? { ...base, method: p.method, payments: 1, amount_fen: 0 };
    row.amount_fen = Number(row.amount_fen) + p.amountFen;
    money.set(p.method, row);
  }
  const items = new Map<number, Insertable<TakingsDayItemsTable>>();
  for (const i of entry.items) {
    const row = items.get(i.typeId) ?? { ...base, type_id: i.typeId, tickets: 0, persons: 0, amount_fen: 0 };
    row.tickets = Number(row.tickets) + i.tickets;
    row.persons = Number(row.persons) + i.persons;
    row.amount_fen = Number(row.amount_fen) + i.amountFen;
    items.set(i.typeId, row);
  }
  if (money.size > 0)
    await tables
      .insertInto('takings_day_money')
      .values([...money.values()])
      .onConflict((oc) =>
        oc
          .columns(['site_id', 'day', 'source', 'channel', 'method', 'window_id', 'cashier_id', 'agency_id'])
          .doUpdateSet((eb) => ({
            payments: eb('takings_day_money.payments', '+', eb.ref('excluded.payments')),
            amount_fen: eb('takings_day_money.amount_fen', '+', eb.ref('excluded.amount_fen')),
          })),
      )
      .execute();
  if (items.size > 0)
    await tables
      .insertInto('takings_day_items')
      .values([...items.values()])
      .onConflict((oc) =>
        oc
          .columns(['site_id', 'day', 'source', 'channel', 'type_id', 'window_id', 'cashier_id', 'agency_id'])
          .doUpdateSet((eb) => ({
            tickets: eb('takings_day_items.tickets', '+', eb.ref('excluded.tickets')),
            persons: eb('takings_day_items.persons', '+', eb.ref('excluded.persons')),
            amount_fen: eb('takings_day_items.amount_fen', '+', eb.ref('excluded.amount_fen')),
          })),
      )
      .execute();
}
