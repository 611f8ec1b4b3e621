import { type Kysely, sql } from 'kysely';

/**
 * Sales (销售): one row per sale with its lines and payments, all in integer fen. `(cashier_id, idempotency_key)` is
 * unique, so a retried request (double click, network retry) finds the sale it already made instead of selling
 * twice; `request_hash` lets a reused key with a different body be refused.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sales')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('site_id', 'text', (col) => col.notNull().references('sites.id'))
    .addColumn('window_id', 'text')
    .addColumn('channel', 'text', (col) => col.notNull())
    .addColumn('cashier_id', 'text', (col) => col.notNull())
    .addColumn('cashier_username', 'text', (col) => col.notNull())
    .addColumn('idempotency_key', 'text', (col) => col.notNull())
    .addColumn('request_hash', 'text', (col) => col.notNull())
    .addColumn('total_fen', 'bigint', (col) => col.notNull().check(sql`total_fen >= 0`))
    .addColumn('paid_fen', 'bigint', (col) => col.notNull().check(sql`paid_fen >= 0`))
    .addColumn('change_fen', 'bigint', (col) => col.notNull().check(sql`change_fen >= 0`))
    .addColumn('ticket_count', 'integer', (col) => col.notNull())
    .addColumn('persons', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addCheckConstraint('sales_paid', sql`paid_fen = total_fen + change_fen`)
    .addUniqueConstraint('sales_idempotency_unique', ['cashier_id', 'idempotency_key'])
    .execute();
  await db.schema.createIndex('sales_site_created').on('sales').columns(['site_id', 'created_at']).execute();
  await db.schema
    .createIndex('sales_cashier_created')
    .on('sales')
    .columns(['cashier_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('sale_lines')
    .addColumn('sale_id', 'text', (col) => col.notNull().references('sales.id'))
    .addColumn('line_no', 'integer', (col) => col.notNull())
    .addColumn('type_id', 'integer', (col) => col.notNull())
    .addColumn('type_version', 'integer', (col) => col.notNull())
    .addColumn('visit_day', 'integer', (col) => col.notNull())
    .addColumn('slot_id', 'text')
    .addColumn('quantity', 'integer', (col) => col.notNull().check(sql`quantity >= 1`))
    .addColumn('persons', 'integer', (col) => col.notNull().check(sql`persons >= 1`))
    .addColumn('amount_fen', 'bigint', (col) => col.notNull().check(sql`amount_fen >= 0`))
    .addPrimaryKeyConstraint('sale_lines_pk', ['sale_id', 'line_no'])
    .addForeignKeyConstraint(
      'sale_lines_type_version_fk',
      ['type_id', 'type_version'],
      'ticket_type_versions',
      ['type_id', 'version'],
    )
    .execute();

  await db.schema
    .createTable('sale_payments')
    .addColumn('sale_id', 'text', (col) => col.notNull().references('sales.id'))
    .addColumn('seq', 'integer', (col) => col.notNull())
    .addColumn('method', 'text', (col) =>
      col.notNull().check(sql`method in ('cash', 'bank_card', 'wechat', 'alipay')`),
    )
    .addColumn('amount_fen', 'bigint', (col) => col.notNull().check(sql`amount_fen > 0`))
    .addPrimaryKeyConstraint('sale_payments_pk', ['sale_id', 'seq'])
    .execute();
}
