import { type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * The takings journal (营业收入流水) and its day rollups (modules/takings).
 * - `takings`: one row per money or ticket movement a sale, refund, supplement or group order made, with the
 *   dimensions every report groups by; `taking_payments` its money by method, `taking_items` its tickets by type.
 *   Append-only: a change after the fact is another taking on the day it was made.
 * - `takings_day_money` / `takings_day_items`: the same figures summed per day and dimension in the taking's own
 *   transaction (an upsert that adds), so live status, settlements and summaries read a few rows instead of
 *   millions. Absent dimensions are '' so the primary key covers every row.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const sources = sql`source in ('sale', 'refund', 'supplement', 'order')`;
  const methods = sql`method in ('cash', 'bank_card', 'wechat', 'alipay', 'points', 'agency_account')`;
  await db.schema
    .createTable('takings')
    .addColumn('id', postgres ? 'bigint' : 'integer', (col) =>
      postgres ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement(),
    )
    .addColumn('source', 'text', (col) => col.notNull().check(sources))
    .addColumn('source_id', 'text', (col) => col.notNull())
    .addColumn('site_id', 'text', (col) => col.notNull())
    .addColumn('day', 'integer', (col) => col.notNull())
    .addColumn('at', 'bigint', (col) => col.notNull())
    .addColumn('channel', 'text', (col) => col.notNull())
    .addColumn('window_id', 'text')
    .addColumn('cashier_id', 'text')
    .addColumn('shift_id', 'text')
    .addColumn('agency_id', 'text')
    .addColumn('amount_fen', 'bigint', (col) => col.notNull())
    .addColumn('tickets', 'integer', (col) => col.notNull())
    .addColumn('persons', 'integer', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('takings_site_day').on('takings').columns(['site_id', 'day', 'id']).execute();
  await db.schema.createIndex('takings_source').on('takings').columns(['source', 'source_id']).execute();
  await db.schema.createIndex('takings_shift').on('takings').columns(['shift_id']).execute();

  await db.schema
    .createTable('taking_payments')
    .addColumn('taking_id', 'bigint', (col) => col.notNull().references('takings.id'))
    .addColumn('method', 'text', (col) => col.notNull().check(methods))
    .addColumn('amount_fen', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('taking_payments_taking').on('taking_payments').column('taking_id').execute();

  await db.schema
    .createTable('taking_items')
    .addColumn('taking_id', 'bigint', (col) => col.notNull().references('takings.id'))
    .addColumn('type_id', 'integer', (col) => col.notNull())
    .addColumn('tickets', 'integer', (col) => col.notNull())
    .addColumn('persons', 'integer', (col) => col.notNull())
    .addColumn('amount_fen', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('taking_items_taking').on('taking_items').column('taking_id').execute();

  await db.schema
    .createTable('takings_day_money')
    .addColumn('site_id', 'text', (col) => col.notNull())
    .addColumn('day', 'integer', (col) => col.notNull())
    .addColumn('source', 'text', (col) => col.notNull().check(sources))
    .addColumn('channel', 'text', (col) => col.notNull())
    .addColumn('method', 'text', (col) => col.notNull().check(methods))
    .addColumn('window_id', 'text', (col) => col.notNull())
    .addColumn('cashier_id', 'text', (col) => col.notNull())
    .addColumn('agency_id', 'text', (col) => col.notNull())
    .addColumn('payments', 'integer', (col) => col.notNull())
    .addColumn('amount_fen', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('takings_day_money_pk', [
      'site_id',
      'day',
      'source',
      'channel',
      'method',
      'window_id',
      'cashier_id',
      'agency_id',
    ])
    .execute();

  await db.schema
    .createTable('takings_day_items')
    .addColumn('site_id', 'text', (col) => col.notNull())
    .addColumn('day', 'integer', (col) => col.notNull())
    .addColumn('source', 'text', (col) => col.notNull().check(sources))
    .addColumn('channel', 'text', (col) => col.notNull())
    .addColumn('type_id', 'integer', (col) => col.notNull())
    .addColumn('window_id', 'text', (col) => col.notNull())
    .addColumn('cashier_id', 'text', (col) => col.notNull())
    .addColumn('agency_id', 'text', (col) => col.notNull())
    .addColumn('tickets', 'integer', (col) => col.notNull())
    .addColumn('persons', 'integer', (col) => col.notNull())
    .addColumn('amount_fen', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('takings_day_items_pk', [
      'site_id',
      'day',
      'source',
      'channel',
      'type_id',
      'window_id',
      'cashier_id',
      'agency_id',
    ])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'takings_day_items',
    'takings_day_money',
    'taking_items',
    'taking_payments',
    'takings',
  ])
    await db.schema.dropTable(table).execute();
}
