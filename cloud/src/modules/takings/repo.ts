/** The takings module's SQL: the journal and its day rollups. Callers pass a db or the change's transaction. */
import { type Insertable, PostgresAdapter, sql } from 'kysely';
import type { Connection } from '../../db/scoped.js';
import type { TakingEntry } from './contract.js';
import { type TakingsDayItemsTable, type TakingsDayMoneyTable, takingTables } from './tables.js';

type Db = Connection;

/** Absent dimensions are '' in the rollups (one primary key covers every row). */
const dim = (value: string | null): string => value ?? '';

/**
 * Records one taking: its journal rows and what it adds to the day rollups. On PostgreSQL an audited change holds the
 * audit chain's lock for its whole transaction, so every round trip in it is a round trip every other sale waits
 * for: there the five writes go as one statement (data-modifying CTEs, the rows passed as JSON). SQLite runs them
 * in-process, where separate statements cost microseconds.
 */
export async function recordTaking(db: Db, entry: TakingEntry, shiftId: string | null): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return recordInOneStatement(db, entry, shiftId);
  await insertTaking(db, entry, shiftId);
  await addToDay(db, entry);
}

async function recordInOneStatement(db: Db, entry: TakingEntry, shiftId: string | null): Promise<void> {
  const money = [...dayMoneyRows(entry).values()].map((row) => ({
    method: row.method,
    payments: row.payments,
    amount_fen: row.amount_fen,
  }));
  const items = [...dayItemRows(entry).values()].map((row) => ({
    type_id: row.type_id,
    tickets: row.tickets,
    persons: row.persons,
    amount_fen: row.amount_fen,
  }));
  const payments = entry.payments.map((p) => ({ method: p.method, amount_fen: p.amountFen }));
  const lines = entry.items.map((i) => ({
    type_id: i.typeId,
    tickets: i.tickets,
    persons: i.persons,
    amount_fen: i.amountFen,
  }));
  const totals = totalsOf(entry);
  const [window, cashier, agency] = [dim(entry.windowId), dim(entry.cashierId), dim(entry.agencyId)];
  await sql`
    with t as (
      insert into takings (source, source_id, site_id, day, at, channel, window_id, cashier_id, shift_id, agency_id,
        amount_fen, tickets, persons)
      values (${entry.source}, ${entry.sourceId}, ${entry.siteId}, ${entry.day}, ${entry.at}, ${entry.channel},
        ${entry.windowId}, ${entry.cashierId}, ${shiftId}, ${entry.agencyId}, ${totals.amountFen}, ${totals.tickets},
        ${totals.persons})
      returning id
    ), p as (
      insert into taking_payments (taking_id, method, amount_fen)
      select t.id, x.method, x.amount_fen from t, jsonb_to_recordset(${JSON.stringify(payments)}::jsonb)
        as x(method text, amount_fen bigint)
    ), i as (
      insert into taking_items (taking_id, type_id, tickets, persons, amount_fen)
      select t.id, x.type_id, x.tickets, x.persons, x.amount_fen from t,
        jsonb_to_recordset(${JSON.stringify(lines)}::jsonb)
        as x(type_id integer, tickets integer, persons integer, amount_fen bigint)
    ), m as (
      insert into takings_day_money (site_id, day, source, channel, method, window_id, cashier_id, agency_id,
        payments, amount_fen)
      select ${entry.siteId}, ${entry.day}, ${entry.source}, ${entry.channel}, x.method, ${window}, ${cashier},
        ${agency}, x.payments, x.amount_fen
      from jsonb_to_recordset(${JSON.stringify(money)}::jsonb) as x(method text, payments integer, amount_fen bigint)
      on conflict (site_id, day, source, channel, method, window_id, cashier_id, agency_id) do update
        set payments = takings_day_money.payments + excluded.payments,
            amount_fen = takings_day_money.amount_fen + excluded.amount_fen
    )
    insert into takings_day_items (site_id, day, source, channel, type_id, window_id, cashier_id, agency_id,
      tickets, persons, amount_fen)
    select ${entry.siteId}, ${entry.day}, ${entry.source}, ${entry.channel}, x.type_id, ${window}, ${cashier},
      ${agency}, x.tickets, x.persons, x.amount_fen
    from jsonb_to_recordset(${JSON.stringify(items)}::jsonb)
      as x(type_id integer, tickets integer, persons integer, amount_fen bigint)
    on conflict (site_id, day, source, channel, type_id, window_id, cashier_id, agency_id) do update
      set tickets = takings_day_items.tickets + excluded.tickets,
          persons = takings_day_items.persons + excluded.persons,
          amount_fen = takings_day_items.amount_fen + excluded.amount_fen
  `.execute(takingTables(db));
}

function totalsOf(entry: TakingEntry): { amountFen: number; tickets: number; persons: number } {
  return {
    amountFen: entry.payments.reduce((sum, p) => sum + p.amountFen, 0),
    tickets: entry.items.reduce((sum, i) => sum + i.tickets, 0),
    persons: entry.items.reduce((sum, i) => sum + i.persons, 0),
  };
}

/** Writes the journal rows of one taking; answers its id. */
async function insertTaking(db: Db, entry: TakingEntry, shiftId: string | null): Promise<number> {
  const tables = takingTables(db);
  const totals = totalsOf(entry);
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
      amount_fen: totals.amountFen,
      tickets: totals.tickets,
      persons: totals.persons,
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

function dayBase(entry: TakingEntry) {
  return {
    site_id: entry.siteId,
    day: entry.day,
    source: entry.source,
    channel: entry.channel,
    window_id: dim(entry.windowId),
    cashier_id: dim(entry.cashierId),
    agency_id: dim(entry.agencyId),
  };
}

/** Payments by the same method summed: one rollup row each. */
function dayMoneyRows(entry: TakingEntry): Map<string, DayMoneyRow> {
  const base = dayBase(entry);
  const money = new Map<string, DayMoneyRow>();
  for (const p of entry.payments) {
    const row = money.get(p.method) ?? { ...base, method: p.method, payments: 1, amount_fen: 0 };
    row.amount_fen += p.amountFen;
    money.set(p.method, row);
  }
  return money;
}

/** Items of the same type summed: one rollup row each. */
function dayItemRows(entry: TakingEntry): Map<number, DayItemRow> {
  const base = dayBase(entry);
  const items = new Map<number, DayItemRow>();
  for (const i of entry.items) {
    const row = items.get(i.typeId) ?? { ...base, type_id: i.typeId, tickets: 0, persons: 0, amount_fen: 0 };
    row.tickets += i.tickets;
    row.persons += i.persons;
    row.amount_fen += i.amountFen;
    items.set(i.typeId, row);
  }
  return items;
}

type DayMoneyRow = Insertable<TakingsDayMoneyTable> & { payments: number; amount_fen: number };
type DayItemRow = Insertable<TakingsDayItemsTable> & { tickets: number; persons: number; amount_fen: number };

/**
 * Adds one taking to the day rollups. Rows of one statement must not share a key (PostgreSQL refuses to update a
 * row twice in one ON CONFLICT), so payments by the same method and items of the same type are summed first.
 */
async function addToDay(db: Db, entry: TakingEntry): Promise<void> {
  const tables = takingTables(db);
  const money = dayMoneyRows(entry);
  const items = dayItemRows(entry);
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
