import { type Kysely, sql } from 'kysely';

/**
 * Supplementary tickets (补票): an upgrade or extension, an overstay / re-entry fee, or the reissue of a lost ticket —
 * one row each with the ticket it concerns, the ticket it issued (if any) and the money taken per method, in
 * integer fen. `(cashier_id, idempotency_key)` is unique like sales. `supplement_fee_rates` holds the standing fee
 * per ticket type and reason, used when a request names no amount.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('supplements')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('site_id', 'text', (col) => col.notNull().references('sites.id'))
    .addColumn('kind', 'text', (col) => col.notNull().check(sql`kind in ('upgrade', 'fee', 'reissue')`))
    .addColumn('ticket_id', 'bigint', (col) => col.notNull().references('tickets.id'))
    .addColumn('new_ticket_id', 'bigint', (col) => col.references('tickets.id'))
    .addColumn('reason', 'text')
    .addColumn('note', 'text')
    .addColumn('amount_fen', 'bigint', (col) => col.notNull().check(sql`amount_fen >= 0`))
    .addColumn('paid_fen', 'bigint', (col) => col.notNull().check(sql`paid_fen >= 0`))
    .addColumn('change_fen', 'bigint', (col) => col.notNull().check(sql`change_fen >= 0`))
    .addColumn('cashier_id', 'text', (col) => col.notNull())
    .addColumn('cashier_username', 'text', (col) => col.notNull())
    .addColumn('idempotency_key', 'text', (col) => col.notNull())
    .addColumn('request_hash', 'text', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addCheckConstraint('supplements_paid', sql`paid_fen = amount_fen + change_fen`)
    .addUniqueConstraint('supplements_idempotency_unique', ['cashier_id', 'idempotency_key'])
    .execute();
  await db.schema.createIndex('supplements_ticket').on('supplements').column('ticket_id').execute();
  await db.schema.createIndex('supplements_new_ticket').on('supplements').column('new_ticket_id').execute();

  await db.schema
    .createTable('supplement_payments')
    .addColumn('supplement_id', 'text', (col) => col.notNull().references('supplements.id'))
    .addColumn('seq', 'integer', (col) => col.notNull())
    .addColumn('method', 'text', (col) =>
      col.notNull().check(sql`method in ('cash', 'bank_card', 'wechat', 'alipay')`),
    )
    .addColumn('amount_fen', 'bigint', (col) => col.notNull().check(sql`amount_fen > 0`))
    .addPrimaryKeyConstraint('supplement_payments_pk', ['supplement_id', 'seq'])
    .execute();

  await db.schema
    .createTable('supplement_fee_rates')
    .addColumn('type_id', 'integer', (col) => col.notNull())
    .addColumn('reason', 'text', (col) => col.notNull().check(sql`reason in ('overstay', 'reentry')`))
    .addColumn('amount_fen', 'bigint', (col) => col.notNull().check(sql`amount_fen >= 0`))
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('supplement_fee_rates_pk', ['type_id', 'reason'])
    .execute();
}
