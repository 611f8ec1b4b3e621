import { type Kysely, sql } from 'kysely';

/**
 * Refunds (退票): one row per refund with the tickets it refunded and the money handed back per payment method, all in
 * integer fen. `refund_tickets.ticket_id` is unique, so a ticket is refunded at most once even if two cashiers race;
 * `(cashier_id, idempotency_key)` is unique, so a retried request finds the refund it already made.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('refunds')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('site_id', 'text', (col) => col.notNull().references('sites.id'))
    .addColumn('sale_id', 'text', (col) => col.notNull().references('sales.id'))
    .addColumn('cashier_id', 'text', (col) => col.notNull())
    .addColumn('cashier_username', 'text', (col) => col.notNull())
    .addColumn('idempotency_key', 'text', (col) => col.notNull())
    .addColumn('request_hash', 'text', (col) => col.notNull())
    .addColumn('amount_fen', 'bigint', (col) => col.notNull().check(sql`amount_fen >= 0`))
    .addColumn('fee_fen', 'bigint', (col) => col.notNull().check(sql`fee_fen >= 0`))
    .addColumn('reason', 'text')
    .addColumn('approved_by_id', 'text')
    .addColumn('approved_by_username', 'text')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addUniqueConstraint('refunds_idempotency_unique', ['cashier_id', 'idempotency_key'])
    .execute();
  await db.schema.createIndex('refunds_sale').on('refunds').column('sale_id').execute();
  await db.schema
    .createIndex('refunds_site_created')
    .on('refunds')
    .columns(['site_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('refund_tickets')
    .addColumn('refund_id', 'text', (col) => col.notNull().references('refunds.id'))
    .addColumn('ticket_id', 'bigint', (col) => col.notNull().unique().references('tickets.id'))
    .addColumn('price_fen', 'bigint', (col) => col.notNull())
    .addColumn('entries_used', 'integer', (col) => col.notNull())
    .addColumn('entries_total', 'integer')
    .addColumn('gross_fen', 'bigint', (col) => col.notNull().check(sql`gross_fen >= 0`))
    .addColumn('fee_fen', 'bigint', (col) => col.notNull().check(sql`fee_fen >= 0`))
    .addColumn('amount_fen', 'bigint', (col) => col.notNull().check(sql`amount_fen >= 0`))
    .addPrimaryKeyConstraint('refund_tickets_pk', ['refund_id', 'ticket_id'])
    .addCheckConstraint('refund_tickets_amount', sql`amount_fen = gross_fen - fee_fen`)
    .execute();

  await db.schema
    .createTable('refund_payments')
    .addColumn('refund_id', 'text', (col) => col.notNull().references('refunds.id'))
    .addColumn('seq', 'integer', (col) => col.notNull())
    .addColumn('method', 'text', (col) =>
      col.notNull().check(sql`method in ('cash', 'bank_card', 'wechat', 'alipay')`),
    )
    .addColumn('amount_fen', 'bigint', (col) => col.notNull().check(sql`amount_fen > 0`))
    .addPrimaryKeyConstraint('refund_payments_pk', ['refund_id', 'seq'])
    .execute();
}
