/** The supplements module's SQL: supplements, their payments and the fee rates. Callers pass a db or a transaction. */

import type { Insertable, Selectable } from 'kysely';
import { keyLookup } from '../../db/idempotency.js';
import type { Connection } from '../../db/scoped.js';
import { type SiteScope, siteCondition } from '../../platform/site-scope.js';
import type { ListSupplementsQuery } from './schemas.js';
import {
  type FeeReason,
  type SupplementPaymentsTable,
  type SupplementsTable,
  supplementTables,
} from './tables.js';

type Db = Connection;
export type SupplementRow = Selectable<SupplementsTable> & {
  payments: { method: SupplementPaymentsTable['method']; amountFen: number }[];
};

export async function insertSupplement(
  db: Db,
  row: Insertable<SupplementsTable>,
  payments: readonly Insertable<SupplementPaymentsTable>[],
): Promise<void> {
  await supplementTables(db).insertInto('supplements').values(row).execute();
  if (payments.length > 0)
    await supplementTables(db).insertInto('supplement_payments').values(payments).execute();
}

/** What earlier supplements of the sale's tickets charged: the second-approval threshold weighs it. */
export async function supplementedAmountOfSale(db: Db, saleId: string): Promise<number> {
  const row = await supplementTables(db)
    .selectFrom('supplements')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_fen'), eb.lit(0)).as('total'))
    .where('sale_id', '=', saleId)
    .executeTakeFirstOrThrow();
  return Number(row.total);
}

async function withPayments(db: Db, rows: Selectable<SupplementsTable>[]): Promise<SupplementRow[]> {
  if (rows.length === 0) return [];
  const payments = await supplementTables(db)
    .selectFrom('supplement_payments')
    .selectAll()
    .where(
      'supplement_id',
      'in',
      rows.map((row) => row.id),
    )
    .orderBy('seq')
    .execute();
  return rows.map((row) => ({
    ...row,
    payments: payments
      .filter((p) => p.supplement_id === row.id)
      .map((p) => ({ method: p.method, amountFen: p.amount_fen })),
  }));
}

export async function findSupplement(
  db: Db,
  id: string,
  scope: SiteScope,
): Promise<SupplementRow | undefined> {
  const row = await supplementTables(db)
    .selectFrom('supplements')
    .selectAll()
    .where('id', '=', id)
    .where(siteCondition(scope, 'site_id'))
    .executeTakeFirst();
  return row && (await withPayments(db, [row]))[0];
}

/** Supplements that concern or issued any of `ticketIds`, oldest first (a ticket's history). */
export async function supplementsOfTickets(db: Db, ticketIds: readonly number[]): Promise<SupplementRow[]> {
  if (ticketIds.length === 0) return [];
  const ids = [...ticketIds];
  const rows = await supplementTables(db)
    .selectFrom('supplements')
    .selectAll()
    .where((eb) => eb.or([eb('ticket_id', 'in', ids), eb('new_ticket_id', 'in', ids)]))
    .orderBy('created_at')
    .execute();
  return withPayments(db, rows);
}

export async function listSupplements(
  db: Db,
  query: ListSupplementsQuery,
  scope: SiteScope,
): Promise<SupplementRow[]> {
  let select = supplementTables(db)
    .selectFrom('supplements')
    .selectAll()
    .where(siteCondition(scope, 'site_id'));
  if (query.siteId !== undefined) select = select.where('site_id', '=', query.siteId);
  if (query.ticketId !== undefined) {
    const id = query.ticketId;
    select = select.where((eb) => eb.or([eb('ticket_id', '=', id), eb('new_ticket_id', '=', id)]));
  }
  if (query.before !== undefined) {
    // Keyset paging after the previous page's last supplement (newest first: created_at, then id, descending).
    const last = await supplementTables(db)
      .selectFrom('supplements')
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
  return withPayments(db, rows);
}

export async function feeRate(db: Db, typeId: number, reason: FeeReason): Promise<number | undefined> {
  const row = await supplementTables(db)
    .selectFrom('supplement_fee_rates')
    .select('amount_fen')
    .where('type_id', '=', typeId)
    .where('reason', '=', reason)
    .executeTakeFirst();
  return row?.amount_fen;
}

export async function setFeeRate(db: Db, typeId: number, reason: FeeReason, amountFen: number, now: number) {
  await supplementTables(db)
    .insertInto('supplement_fee_rates')
    .values({ type_id: typeId, reason, amount_fen: amountFen, updated_at: now })
    .onConflict((oc) =>
      oc.columns(['type_id', 'reason']).doUpdateSet({ amount_fen: amountFen, updated_at: now }),
    )
    .execute();
}

/** The standing rates; of the types in `typeIds` only, unless null (every type). */
export async function feeRates(db: Db, typeIds: readonly number[] | null) {
  if (typeIds?.length === 0) return [];
  return supplementTables(db)
    .selectFrom('supplement_fee_rates')
    .selectAll()
    .$if(typeIds !== null, (q) => q.where('type_id', 'in', [...typeIds!]))
    .orderBy('type_id')
    .orderBy('reason')
    .execute();
}

/** The row that answered a cashier's idempotency key (db/idempotency.ts). */
export const byIdempotencyKey = keyLookup(supplementTables, 'supplements');
