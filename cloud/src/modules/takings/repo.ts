/** The takings module's SQL: the journal and its day rollups. Callers pass the change's transaction. */
import { PostgresAdapter, type RawBuilder, sql } from 'kysely';
import type { PrecompiledStatement } from '../../db/precompiled.js';
import type { Connection } from '../../db/scoped.js';
import type { TakingEntry } from './contract.js';
import { takingTables } from './tables.js';

type Db = Connection;

/**
 * Every statement here is compiled once (db/precompiled.ts) and takes its variable-length rows as one JSON text
 * parameter, so a sale pays for no query building: the takings run in every sale, refund and supplement.
 */
// Type aliases, not interfaces: precompile's parameters must be Record<string, unknown>.
type Header = {
  source: string;
  sourceId: string;
  siteId: string;
  day: number;
  at: number;
  channel: string;
  windowId: string | null;
  cashierId: string | null;
  agencyId: string | null;
  amountFen: number;
  tickets: number;
  persons: number;
  /** The rollups' dimensions: absent ones are '' so one primary key covers every row. */
  window: string;
  cashier: string;
  agency: string;
};

type Rows = {
  /** JSON arrays: the journal's payments and items, and the same summed per method and per type. */
  payments: string;
  lines: string;
  money: string;
  items: string;
};

/**
 * The cashier's open shift (交接班) the taking belongs to, as an SQL expression over the taking's site, window (null
 * when none was named) and cashier, each given as a value to interpolate (a placeholder of the statement): the
 * shifts answer it (shifts/resolver.ts) and it is evaluated inside the statement that writes the taking's header,
 * so finding the shift costs no statement of its own. Without shifts, every taking is outside a shift.
 */
export type ShiftOf = (at: {
  siteId: unknown;
  windowId: unknown;
  cashierId: unknown;
}) => RawBuilder<string | null>;

/** A taking's shift: none without a cashier (what partners and the system do), else what `shiftOf` finds. */
function shiftOfHeader(
  shiftOf: ShiftOf | undefined,
  p: { siteId: unknown; windowId: unknown; cashierId: unknown },
) {
  if (shiftOf === undefined) return sql<string | null>`null`;
  // Cast: PostgreSQL must know the parameter's type even where it is only tested for null.
  return sql<string | null>`case when cast(${p.cashierId} as text) is null then null else ${shiftOf(p)} end`;
}

/** The statements that record a taking, compiled once per `shiftOf` (once per service) and dialect. */
interface Writer {
  readonly onPostgres: PrecompiledStatement<Header & Rows, never>;
  readonly header: PrecompiledStatement<Header, { id: number }>;
}

/**
 * PostgreSQL: an audited change holds the audit chain's lock for its whole transaction, so each round trip in it is
 * one every other sale waits for; the five writes and the shift lookup go as one statement (data-modifying CTEs over
 * the JSON rows).
 */
const recordOnPostgres = (shiftOf: ShiftOf | undefined) =>
  takingTables.precompile<Header & Rows, never>((db, p) => ({
    compile: () =>
      sql<never>`
      with t as (
        insert into takings (source, source_id, site_id, day, at, channel, window_id, cashier_id, shift_id,
          agency_id, amount_fen, tickets, persons)
        values (${p.source}, ${p.sourceId}, ${p.siteId}, ${p.day}, ${p.at}, ${p.channel}, ${p.windowId},
          ${p.cashierId}, ${shiftOfHeader(shiftOf, p)}, ${p.agencyId}, ${p.amountFen}, ${p.tickets}, ${p.persons})
        returning id
      ), p as (
        insert into taking_payments (taking_id, method, amount_fen)
        select t.id, x.method, x.amount_fen from t, jsonb_to_recordset(${p.payments}::jsonb)
          as x(method text, amount_fen bigint)
      ), i as (
        insert into taking_items (taking_id, type_id, tickets, persons, amount_fen)
        select t.id, x.type_id, x.tickets, x.persons, x.amount_fen from t, jsonb_to_recordset(${p.lines}::jsonb)
          as x(type_id integer, tickets integer, persons integer, amount_fen bigint)
      ), m as (
        insert into takings_day_money (site_id, day, source, channel, method, window_id, cashier_id, agency_id,
          payments, amount_fen)
        select ${p.siteId}, ${p.day}, ${p.source}, ${p.channel}, x.method, ${p.window}, ${p.cashier}, ${p.agency},
          x.payments, x.amount_fen
        from jsonb_to_recordset(${p.money}::jsonb) as x(method text, payments integer, amount_fen bigint)
        on conflict (site_id, day, source, channel, method, window_id, cashier_id, agency_id) do update
          set payments = takings_day_money.payments + excluded.payments,
              amount_fen = takings_day_money.amount_fen + excluded.amount_fen
      )
      insert into takings_day_items (site_id, day, source, channel, type_id, window_id, cashier_id, agency_id,
        tickets, persons, amount_fen)
      select ${p.siteId}, ${p.day}, ${p.source}, ${p.channel}, x.type_id, ${p.window}, ${p.cashier}, ${p.agency},
        x.tickets, x.persons, x.amount_fen
      from jsonb_to_recordset(${p.items}::jsonb)
        as x(type_id integer, tickets integer, persons integer, amount_fen bigint)
      on conflict (site_id, day, source, channel, type_id, window_id, cashier_id, agency_id) do update
        set tickets = takings_day_items.tickets + excluded.tickets,
            persons = takings_day_items.persons + excluded.persons,
            amount_fen = takings_day_items.amount_fen + excluded.amount_fen`.compile(db),
  }));

// SQLite runs in-process, where a statement costs microseconds: the same writes as five statements, the shift found
// in the first.
const insertHeader = (shiftOf: ShiftOf | undefined) =>
  takingTables.precompile<Header, { id: number }>((db, p) =>
    db
      .insertInto('takings')
      .values({
        source: p.source as TakingEntry['source'],
        source_id: p.sourceId,
        site_id: p.siteId,
        day: p.day,
        at: p.at,
        channel: p.channel,
        window_id: p.windowId,
        cashier_id: p.cashierId,
        shift_id: shiftOfHeader(shiftOf, p),
        agency_id: p.agencyId,
        amount_fen: p.amountFen,
        tickets: p.tickets,
        persons: p.persons,
      })
      .returning('id'),
  );

const field = (name: string) => sql.raw(`json_extract(value, '$.${name}')`);

const insertPayments = takingTables.precompile<{ id: number; rows: string }, never>((db, p) => ({
  compile: () =>
    sql<never>`insert into taking_payments (taking_id, method, amount_fen)
      select ${p.id}, ${field('method')}, ${field('amount_fen')} from json_each(${p.rows})`.compile(db),
}));

const insertItems = takingTables.precompile<{ id: number; rows: string }, never>((db, p) => ({
  compile: () =>
    sql<never>`insert into taking_items (taking_id, type_id, tickets, persons, amount_fen)
      select ${p.id}, ${field('type_id')}, ${field('tickets')}, ${field('persons')}, ${field('amount_fen')}
      from json_each(${p.rows})`.compile(db),
}));

// `where true`: SQLite's parser needs it between a SELECT and ON CONFLICT.
const addDayMoney = takingTables.precompile<Header & { rows: string }, never>((db, p) => ({
  compile: () =>
    sql<never>`insert into takings_day_money (site_id, day, source, channel, method, window_id, cashier_id,
        agency_id, payments, amount_fen)
      select ${p.siteId}, ${p.day}, ${p.source}, ${p.channel}, ${field('method')}, ${p.window}, ${p.cashier},
        ${p.agency}, ${field('payments')}, ${field('amount_fen')}
      from json_each(${p.rows}) where true
      on conflict (site_id, day, source, channel, method, window_id, cashier_id, agency_id) do update
        set payments = takings_day_money.payments + excluded.payments,
            amount_fen = takings_day_money.amount_fen + excluded.amount_fen`.compile(db),
}));

const addDayItems = takingTables.precompile<Header & { rows: string }, never>((db, p) => ({
  compile: () =>
    sql<never>`insert into takings_day_items (site_id, day, source, channel, type_id, window_id, cashier_id,
        agency_id, tickets, persons, amount_fen)
      select ${p.siteId}, ${p.day}, ${p.source}, ${p.channel}, ${field('type_id')}, ${p.window}, ${p.cashier},
        ${p.agency}, ${field('tickets')}, ${field('persons')}, ${field('amount_fen')}
      from json_each(${p.rows}) where true
      on conflict (site_id, day, source, channel, type_id, window_id, cashier_id, agency_id) do update
        set tickets = takings_day_items.tickets + excluded.tickets,
            persons = takings_day_items.persons + excluded.persons,
            amount_fen = takings_day_items.amount_fen + excluded.amount_fen`.compile(db),
}));

// A window sale mostly pays by one method for one ticket type: such a row is bound as values, which spares SQLite
// the JSON parsing (≈ 3 µs a statement, in every sale).
const insertPayment = takingTables.precompile<{ id: number; method: string; amountFen: number }, never>(
  (db, p) => ({
    compile: () =>
      sql<never>`insert into taking_payments (taking_id, method, amount_fen)
        values (${p.id}, ${p.method}, ${p.amountFen})`.compile(db),
  }),
);

const insertItem = takingTables.precompile<
  { id: number; typeId: number; itemTickets: number; itemPersons: number; itemFen: number },
  never
>((db, p) => ({
  compile: () =>
    sql<never>`insert into taking_items (taking_id, type_id, tickets, persons, amount_fen)
      values (${p.id}, ${p.typeId}, ${p.itemTickets}, ${p.itemPersons}, ${p.itemFen})`.compile(db),
}));

const addDayMoneyRow = takingTables.precompile<Header & { method: string; methodFen: number }, never>(
  (db, p) => ({
    compile: () =>
      sql<never>`insert into takings_day_money (site_id, day, source, channel, method, window_id, cashier_id,
          agency_id, payments, amount_fen)
        values (${p.siteId}, ${p.day}, ${p.source}, ${p.channel}, ${p.method}, ${p.window}, ${p.cashier},
          ${p.agency}, 1, ${p.methodFen})
        on conflict (site_id, day, source, channel, method, window_id, cashier_id, agency_id) do update
          set payments = takings_day_money.payments + excluded.payments,
              amount_fen = takings_day_money.amount_fen + excluded.amount_fen`.compile(db),
  }),
);

const addDayItemsRow = takingTables.precompile<
  Header & { typeId: number; itemTickets: number; itemPersons: number; itemFen: number },
  never
>((db, p) => ({
  compile: () =>
    sql<never>`insert into takings_day_items (site_id, day, source, channel, type_id, window_id, cashier_id,
        agency_id, tickets, persons, amount_fen)
      values (${p.siteId}, ${p.day}, ${p.source}, ${p.channel}, ${p.typeId}, ${p.window}, ${p.cashier},
        ${p.agency}, ${p.itemTickets}, ${p.itemPersons}, ${p.itemFen})
      on conflict (site_id, day, source, channel, type_id, window_id, cashier_id, agency_id) do update
        set tickets = takings_day_items.tickets + excluded.tickets,
            persons = takings_day_items.persons + excluded.persons,
            amount_fen = takings_day_items.amount_fen + excluded.amount_fen`.compile(db),
}));

/** The statements of takings filed under shifts by `shiftOf` (none without it); built once per service. */
export function takingsWriter(shiftOf: ShiftOf | undefined): Writer {
  return { onPostgres: recordOnPostgres(shiftOf), header: insertHeader(shiftOf) };
}

/** Records one taking: its journal rows, the shift it belongs to and what it adds to the day rollups. */
export async function recordTaking(db: Db, writer: Writer, entry: TakingEntry): Promise<void> {
  const header = headerOf(entry);
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await writer.onPostgres.rows(db, { ...header, ...rowsOf(entry) });
    return;
  }
  const { id } = (await writer.header.first(db, header))!;
  const payment = entry.payments.length === 1 ? entry.payments[0]! : undefined;
  const item = entry.items.length === 1 ? entry.items[0]! : undefined;
  const rows = payment !== undefined && item !== undefined ? undefined : rowsOf(entry);
  if (payment !== undefined) {
    await insertPayment.rows(db, { id, method: payment.method, amountFen: payment.amountFen });
    await addDayMoneyRow.rows(db, { ...header, method: payment.method, methodFen: payment.amountFen });
  } else if (entry.payments.length > 0) {
    await insertPayments.rows(db, { id, rows: rows!.payments });
    await addDayMoney.rows(db, { ...header, rows: rows!.money });
  }
  if (item !== undefined) {
    const values = {
      typeId: item.typeId,
      itemTickets: item.tickets,
      itemPersons: item.persons,
      itemFen: item.amountFen,
    };
    await insertItem.rows(db, { id, ...values });
    await addDayItemsRow.rows(db, { ...header, ...values });
  } else if (entry.items.length > 0) {
    await insertItems.rows(db, { id, rows: rows!.lines });
    await addDayItems.rows(db, { ...header, rows: rows!.items });
  }
}

function headerOf(entry: TakingEntry): Header {
  let amountFen = 0;
  for (const p of entry.payments) amountFen += p.amountFen;
  let tickets = 0;
  let persons = 0;
  for (const i of entry.items) {
    tickets += i.tickets;
    persons += i.persons;
  }
  return {
    source: entry.source,
    sourceId: entry.sourceId,
    siteId: entry.siteId,
    day: entry.day,
    at: entry.at,
    channel: entry.channel,
    windowId: entry.windowId,
    cashierId: entry.cashierId,
    agencyId: entry.agencyId,
    amountFen,
    tickets,
    persons,
    window: entry.windowId ?? '',
    cashier: entry.cashierId ?? '',
    agency: entry.agencyId ?? '',
  };
}

/**
 * The journal's rows as given, and the rollups' rows summed per method and per type: rows of one statement must not
 * share a key (PostgreSQL refuses to update a row twice in one ON CONFLICT).
 */
function rowsOf(entry: TakingEntry): Rows {
  const money = new Map<string, { method: string; payments: number; amount_fen: number }>();
  for (const p of entry.payments) {
    const row = money.get(p.method) ?? { method: p.method, payments: 1, amount_fen: 0 };
    row.amount_fen += p.amountFen;
    money.set(p.method, row);
  }
  const items = new Map<number, { type_id: number; tickets: number; persons: number; amount_fen: number }>();
  for (const i of entry.items) {
    const row = items.get(i.typeId) ?? { type_id: i.typeId, tickets: 0, persons: 0, amount_fen: 0 };
    row.tickets += i.tickets;
    row.persons += i.persons;
    row.amount_fen += i.amountFen;
    items.set(i.typeId, row);
  }
  const lines = entry.items.map((i) => ({
    type_id: i.typeId,
    tickets: i.tickets,
    persons: i.persons,
    amount_fen: i.amountFen,
  }));
  return {
    payments: JSON.stringify(entry.payments.map((p) => ({ method: p.method, amount_fen: p.amountFen }))),
    lines: JSON.stringify(lines),
    money: JSON.stringify([...money.values()]),
    items: JSON.stringify([...items.values()]),
  };
}
