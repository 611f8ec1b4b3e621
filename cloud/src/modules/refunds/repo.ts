/** The refunds module's SQL: refunds, their tickets and payments. Callers pass a db or a transaction. */

import type { Insertable, Selectable } from 'kysely';
import { keyLookup } from '../../db/idempotency.js';
import type { Connection } from '../../db/scoped.js';
import { type SiteScope, siteCondition } from '../../platform/site-scope.js';
import type { MethodAmount } from './policy.js';
import type { ListRefundsQuery, Refund } from './schemas.js';
import {
  type RefundPaymentsTable,
  type RefundsTable,
  type RefundTicketsTable,
  refundTables,
} from './tables.js';

type Db = Connection;

export async function insertRefund(
  db: Db,
  refund: Insertable<RefundsTable>,
  tickets: readonly Insertable<RefundTicketsTable>[],
  payments: readonly Insertable<RefundPaymentsTable>[],
): Promise<void> {
  await refundTables(db).insertInto('refunds').values(refund).execute();
  for (let i = 0; i < tickets.length; i += 200)
    await refundTables(db)
      .insertInto('refund_tickets')
      .values(tickets.slice(i, i + 200))
      .execute();
  if (payments.length > 0) await refundTables(db).insertInto('refund_payments').values(payments).execute();
}

/**
 * The sale's own money already returned, per method (earlier refunds of some of its tickets), leaving out what those
 * refunds returned of upgrade supplements' payments.
 */
export async function refundedForSale(db: Db, saleId: string): Promise<MethodAmount[]> {
  return (
    await refundTables(db)
      .selectFrom('refund_payments as p')
      .innerJoin('refunds as r', 'r.id', 'p.refund_id')
      .select(['p.method', 'p.amount_fen', 'p.supplement_fen'])
      .where('r.sale_id', '=', saleId)
      .execute()
  ).map((row) => ({ method: row.method, amountFen: row.amount_fen - row.supplement_fen }));
}

/** Money already handed back by refunds of the sale (every method, upgrade money included): the threshold weighs it. */
export async function refundedAmountOfSale(db: Db, saleId: string): Promise<number> {
  const row = await refundTables(db)
    .selectFrom('refunds')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_fen'), eb.lit(0)).as('total'))
    .where('sale_id', '=', saleId)
    .executeTakeFirstOrThrow();
  return Number(row.total);
}

/** Money a cashier handed back by refunds made in [from, to) (epoch ms). */
export async function refundedByCashier(
  db: Db,
  cashierId: string,
  from: number,
  to: number,
): Promise<number> {
  const row = await refundTables(db)
    .selectFrom('refunds')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_fen'), eb.lit(0)).as('total'))
    .where('cashier_id', '=', cashierId)
    .where('created_at', '>=', from)
    .where('created_at', '<', to)
    .executeTakeFirstOrThrow();
  return Number(row.total);
}

function refundOf(
  row: Selectable<RefundsTable>,
  tickets: Selectable<RefundTicketsTable>[],
  payments: Selectable<RefundPaymentsTable>[],
): Refund {
  return {
    id: row.id,
    siteId: row.site_id,
    saleId: row.sale_id,
    cashier: { id: row.cashier_id, username: row.cashier_username },
    amountFen: row.amount_fen,
    feeFen: row.fee_fen,
    reason: row.reason,
    approvedBy:
      row.approved_by_id === null
        ? null
        : { id: row.approved_by_id, username: row.approved_by_username ?? '' },
    createdAt: row.created_at,
    tickets: tickets.map((t) => ({
      ticketId: t.ticket_id,
      priceFen: t.price_fen,
      entriesUsed: t.entries_used,
      entriesTotal: t.entries_total,
      grossFen: t.gross_fen,
      feeFen: t.fee_fen,
      amountFen: t.amount_fen,
      supplementFen: t.supplement_fen,
    })),
    payments: payments.map((p) => ({
      method: p.method,
      amountFen: p.amount_fen,
      supplementFen: p.supplement_fen,
    })),
  };
}

/** Refunds with their tickets and payments, in the order of `rows`. */
async function withDetails(db: Db, rows: Selectable<RefundsTable>[]): Promise<Refund[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const [tickets, payments] = await Promise.all([
    refundTables(db)
      .selectFrom('refund_tickets')
      .selectAll()
      .where('refund_id', 'in', ids)
      .orderBy('ticket_id')
      .execute(),
    refundTables(db)
      .selectFrom('refund_payments')
      .selectAll()
      .where('refund_id', 'in', ids)
      .orderBy('seq')
      .execute(),
  ]);
  return rows.map((row) =>
    refundOf(
      row,
      tickets.filter((t) => t.refund_id === row.id),
      payments.filter((p) => p.refund_id === row.id),
    ),
  );
}

export async function findRefund(db: Db, id: string, scope: SiteScope): Promise<Refund | undefined> {
  const row = await refundTables(db)
    .selectFrom('refunds')
    .selectAll()
    .where('id', '=', id)
    .where(siteCondition(scope, 'site_id'))
    .executeTakeFirst();
  return row && (await withDetails(db, [row]))[0];
}

/** The refunds that include any of `ticketIds` (a ticket's refund history). */
export async function refundsOfTickets(db: Db, ticketIds: readonly number[]): Promise<Refund[]> {
  if (ticketIds.length === 0) return [];
  const rows = await refundTables(db)
    .selectFrom('refunds')
    .selectAll()
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('refund_tickets')
        .select('refund_id')
        .where('ticket_id', 'in', [...ticketIds]),
    )
    .orderBy('created_at')
    .execute();
  return withDetails(db, rows);
}

/** Newest first. */
export async function listRefunds(db: Db, query: ListRefundsQuery, scope: SiteScope): Promise<Refund[]> {
  let select = refundTables(db).selectFrom('refunds').selectAll().where(siteCondition(scope, 'site_id'));
  if (query.siteId !== undefined) select = select.where('site_id', '=', query.siteId);
  if (query.saleId !== undefined) select = select.where('sale_id', '=', query.saleId);
  if (query.cashierId !== undefined) select = select.where('cashier_id', '=', query.cashierId);
  if (query.from !== undefined) select = select.where('created_at', '>=', query.from);
  if (query.to !== undefined) select = select.where('created_at', '<', query.to);
  if (query.before !== undefined) {
    // Keyset paging after the previous page's last refund (newest first: created_at, then id, descending).
    const last = await refundTables(db)
      .selectFrom('refunds')
      .select(['created_at', 'id'])
      .where('id', '=', query.before)
      .executeTakeFirst();
    if (!last) return [];
    select = select.where((eb) =>
      eb.or([
        eb('created_at', '<', last.created_at),
        eb.and([eb('created_at', '=', last.created_at), eb('id', '<', last.id)]),
      ]),
    );
  }
  const rows = await select.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
  return withDetails(db, rows);
}

/** The row that answered a cashier's idempotency key (db/idempotency.ts). */
export const byIdempotencyKey = keyLookup(refundTables, 'refunds');
