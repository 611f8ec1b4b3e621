/** The sales module's SQL: sales, lines and payments. Callers pass a db or a transaction. */

import { type Insertable, PostgresAdapter, type QueryCreator, type Selectable } from 'kysely';
import { keyLookup } from '../../db/idempotency.js';
import type { PrecompiledStatement } from '../../db/precompiled.js';
import { type Connection, readModel } from '../../db/scoped.js';
import { ALL_SITES, type SiteScope, siteCondition } from '../../platform/site-scope.js';
import { isoDateOfDay } from '../capacity/local-time.js';
import type { ListSalesQuery, Sale, SaleSummary } from './schemas.js';
import {
  type SaleLinesTable,
  type SalePaymentsTable,
  type SalesTable,
  type SaleTables,
  saleTables,
} from './tables.js';

type Db = Connection;

export function summaryOf(row: Selectable<SalesTable>): SaleSummary {
  return {
    id: row.id,
    siteId: row.site_id,
    windowId: row.window_id,
    channel: row.channel,
    cashier: { id: row.cashier_id, username: row.cashier_username },
    totalFen: row.total_fen,
    paidFen: row.paid_fen,
    changeFen: row.change_fen,
    ticketCount: row.ticket_count,
    persons: row.persons,
    createdAt: row.created_at,
    customerId: row.customer_id,
  };
}

const SALE_COLUMNS = [
  'id',
  'site_id',
  'window_id',
  'channel',
  'cashier_id',
  'cashier_username',
  'idempotency_key',
  'request_hash',
  'total_fen',
  'paid_fen',
  'change_fen',
  'ticket_count',
  'persons',
  'created_at',
  'customer_id',
] as const satisfies readonly (keyof SalesTable)[];
const LINE_COLUMNS = [
  'sale_id',
  'line_no',
  'type_id',
  'type_version',
  'visit_day',
  'slot_id',
  'quantity',
  'persons',
  'amount_fen',
] as const satisfies readonly (keyof SaleLinesTable)[];
const PAYMENT_COLUMNS = [
  'sale_id',
  'seq',
  'method',
  'amount_fen',
] as const satisfies readonly (keyof SalePaymentsTable)[];

type Params = Record<string, unknown>;
type P = Readonly<Record<string, never>>;

/** Placeholder names: `s_<column>` for the sale, `l<i>_<column>` for line i, `p<i>_<column>` for payment i. */
function rowOf<C extends string>(p: P, prefix: string, columns: readonly C[]): Record<C, never> {
  return Object.fromEntries(columns.map((column) => [column, p[`${prefix}_${column}`]])) as Record<C, never>;
}

/** Placeholder names per prefix and column, built once: every sale binds ~30 of them. */
const placeholderNames = new Map<string, Map<string, string>>();

function bind(params: Params, prefix: string, row: object): void {
  let names = placeholderNames.get(prefix);
  if (!names) {
    names = new Map();
    placeholderNames.set(prefix, names);
  }
  for (const column in row) {
    let name = names.get(column);
    if (name === undefined) {
      name = `${prefix}_${column}`;
      names.set(column, name);
    }
    params[name] = (row as Record<string, unknown>)[column] ?? null;
  }
}

/**
 * The sale's inserts, compiled once per number of lines and payments (a window sale has one or two of each). On
 * PostgreSQL one statement writes all three tables (data-modifying CTEs; foreign keys are checked at its end), one
 * round trip instead of three while other sales wait on the audit lock; SQLite runs them in-process one by one.
 */
const inserts = new Map<string, PrecompiledStatement<Params, never>[]>();

function insertsFor(lineCount: number, paymentCount: number): PrecompiledStatement<Params, never>[] {
  const shape = `${lineCount}/${paymentCount}`;
  let statements = inserts.get(shape);
  if (statements) return statements;
  type Creator = QueryCreator<SaleTables>;
  const sale = (db: Creator, p: P) => db.insertInto('sales').values(rowOf(p, 's', SALE_COLUMNS));
  const lines = (db: Creator, p: P) =>
    db
      .insertInto('sale_lines')
      .values(Array.from({ length: lineCount }, (_, i) => rowOf(p, `l${i}`, LINE_COLUMNS)));
  const payments = (db: Creator, p: P) =>
    db
      .insertInto('sale_payments')
      .values(Array.from({ length: paymentCount }, (_, i) => rowOf(p, `p${i}`, PAYMENT_COLUMNS)));
  const sqlite = [
    saleTables.precompile<Params, never>((db, p) => sale(db, p as P)),
    saleTables.precompile<Params, never>((db, p) => lines(db, p as P)),
    ...(paymentCount > 0 ? [saleTables.precompile<Params, never>((db, p) => payments(db, p as P))] : []),
  ];
  const postgres = saleTables.precompile<Params, never>((db, p) => {
    const withSale = db.with('sale', (qb) => sale(qb, p as P)) as unknown as Creator;
    if (paymentCount === 0) return lines(withSale, p as P);
    const withLines = withSale.with('line', (qb) => lines(qb, p as P)) as unknown as Creator;
    return payments(withLines, p as P);
  });
  statements = [...sqlite, postgres];
  inserts.set(shape, statements);
  return statements;
}

export async function insertSale(
  db: Db,
  sale: Insertable<SalesTable>,
  lines: readonly Insertable<SaleLinesTable>[],
  payments: readonly Insertable<SalePaymentsTable>[],
): Promise<void> {
  const params: Params = {};
  bind(params, 's', sale);
  for (const [i, line] of lines.entries()) bind(params, `l${i}`, line);
  for (const [i, payment] of payments.entries()) bind(params, `p${i}`, payment);
  const statements = insertsFor(lines.length, payments.length);
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await statements.at(-1)!.rows(db, params);
    return;
  }
  for (const statement of statements.slice(0, -1)) await statement.rows(db, params);
}

/**
 * Read model: a sale's lines with their type version's names (ticket-types') and slot times (capacity's), one
 * statement for a sale's detail.
 */
const linesWithTypeAndSlot = readModel<'sale_lines' | 'ticket_type_versions' | 'capacity_slots'>();

/** The sale without its tickets (the tickets module reads those). */
export async function findSale(
  db: Db,
  id: string,
  scope: SiteScope = ALL_SITES,
): Promise<Omit<Sale, 'tickets'> | undefined> {
  const row = await saleTables(db)
    .selectFrom('sales')
    .selectAll()
    .where('id', '=', id)
    .where(siteCondition(scope, 'site_id'))
    .executeTakeFirst();
  if (!row) return undefined;
  const [lines, payments] = await Promise.all([
    linesWithTypeAndSlot(db)
      .selectFrom('sale_lines as l')
      .innerJoin('ticket_type_versions as v', (join) =>
        join.onRef('v.type_id', '=', 'l.type_id').onRef('v.version', '=', 'l.type_version'),
      )
      .leftJoin('capacity_slots as s', 's.id', 'l.slot_id')
      .selectAll('l')
      .select(['v.name_zh', 'v.name_en', 's.start_at', 's.end_at'])
      .where('l.sale_id', '=', id)
      .orderBy('l.line_no')
      .execute(),
    saleTables(db)
      .selectFrom('sale_payments')
      .select(['method', 'amount_fen'])
      .where('sale_id', '=', id)
      .orderBy('seq')
      .execute(),
  ]);
  return {
    ...summaryOf(row),
    lines: lines.map((line) => ({
      lineNo: line.line_no,
      typeId: line.type_id,
      typeVersion: line.type_version,
      typeName: { zh: line.name_zh, en: line.name_en },
      visitDate: isoDateOfDay(line.visit_day),
      slot:
        line.slot_id === null || line.start_at === null || line.end_at === null
          ? null
          : { id: line.slot_id, start: line.start_at, end: line.end_at },
      quantity: line.quantity,
      persons: line.persons,
      amountFen: line.amount_fen,
    })),
    payments: payments.map((payment) => ({ method: payment.method, amountFen: payment.amount_fen })),
  };
}

/** Newest first; keyset paging on (created_at, id) so pages stay stable while sales keep coming in. */
export async function listSales(
  db: Db,
  query: ListSalesQuery,
  cursor: { createdAt: number; id: string } | undefined,
  scope: SiteScope,
): Promise<SaleSummary[]> {
  let select = saleTables(db).selectFrom('sales').selectAll().where(siteCondition(scope, 'site_id'));
  if (query.siteId !== undefined) select = select.where('site_id', '=', query.siteId);
  if (query.windowId !== undefined) select = select.where('window_id', '=', query.windowId);
  if (query.cashierId !== undefined) select = select.where('cashier_id', '=', query.cashierId);
  if (query.from !== undefined) select = select.where('created_at', '>=', query.from);
  if (query.to !== undefined) select = select.where('created_at', '<', query.to);
  if (cursor)
    select = select.where((eb) =>
      eb.or([
        eb('created_at', '<', cursor.createdAt),
        eb.and([eb('created_at', '=', cursor.createdAt), eb('id', '<', cursor.id)]),
      ]),
    );
  const rows = await select.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
  return rows.map(summaryOf);
}

/** The row that answered a cashier's idempotency key (db/idempotency.ts). */
export const byIdempotencyKey = keyLookup(saleTables, 'sales');
