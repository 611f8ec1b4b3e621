/** The sales module's SQL: sales, lines and payments. Callers pass a db or a transaction. */
import type { Insertable, Kysely, Selectable } from 'kysely';
import { findByIdempotencyKey } from '../../db/idempotency.js';
import type { Database } from '../../db/schema.js';
import { isoDateOfDay } from '../capacity/local-time.js';
import type { ListSalesQuery, Sale, SaleSummary } from './schemas.js';
import type { SaleLinesTable, SalePaymentsTable, SalesTable } from './tables.js';

type Db = Kysely<Database>;

function summaryOf(row: Selectable<SalesTable>): SaleSummary {
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
  };
}

export function findByKey(db: Db, cashierId: string, key: string) {
  return findByIdempotencyKey(db, 'sales', cashierId, key);
}

export async function insertSale(
  db: Db,
  sale: Insertable<SalesTable>,
  lines: readonly Insertable<SaleLinesTable>[],
  payments: readonly Insertable<SalePaymentsTable>[],
): Promise<void> {
  await db.insertInto('sales').values(sale).execute();
  await db.insertInto('sale_lines').values(lines).execute();
  if (payments.length > 0) await db.insertInto('sale_payments').values(payments).execute();
}

/** The sale without its tickets (the tickets module reads those). */
export async function findSale(db: Db, id: string): Promise<Omit<Sale, 'tickets'> | undefined> {
  const row = await db.selectFrom('sales').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const [lines, payments] = await Promise.all([
    db
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
    db
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
): Promise<SaleSummary[]> {
  let select = db.selectFrom('sales').selectAll();
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
