import { type Kysely, PostgresAdapter, sql } from 'kysely';

const WITH_POINTS = sql`method in ('cash', 'bank_card', 'wechat', 'alipay', 'points')`;
const WITHOUT_POINTS = sql`method in ('cash', 'bank_card', 'wechat', 'alipay')`;

/**
 * A window sale may name its customer (客户), whose points it accrues, and may be paid partly with points (积分抵扣):
 * `sales.customer_id` (no foreign key, like tickets.sale_id: the sales module does not depend on the customers'
 * table) and `points` among the payment methods. SQLite cannot change a column's CHECK, so there the payments table
 * is rebuilt with its rows; PostgreSQL replaces the constraint.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sales').addColumn('customer_id', 'text').execute();
  await db.schema
    .createIndex('sales_customer_created')
    .on('sales')
    .columns(['customer_id', 'created_at'])
    .where(sql.ref('customer_id'), 'is not', null)
    .execute();
  await methods(db, WITH_POINTS);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from sale_payments where method = 'points'`.execute(db);
  await methods(db, WITHOUT_POINTS);
  await db.schema.dropIndex('sales_customer_created').execute();
  await db.schema.alterTable('sales').dropColumn('customer_id').execute();
}

async function methods(db: Kysely<unknown>, check: ReturnType<typeof sql>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`alter table sale_payments drop constraint sale_payments_method_check`.execute(db);
    await sql`alter table sale_payments add constraint sale_payments_method_check check (${check})`.execute(
      db,
    );
    return;
  }
  await db.schema
    .createTable('sale_payments_next')
    .addColumn('sale_id', 'text', (col) => col.notNull().references('sales.id'))
    .addColumn('seq', 'integer', (col) => col.notNull())
    .addColumn('method', 'text', (col) => col.notNull().check(check))
    .addColumn('amount_fen', 'bigint', (col) => col.notNull().check(sql`amount_fen > 0`))
    .addPrimaryKeyConstraint('sale_payments_pk', ['sale_id', 'seq'])
    .execute();
  await sql`insert into sale_payments_next (sale_id, seq, method, amount_fen)
    select sale_id, seq, method, amount_fen from sale_payments`.execute(db);
  await db.schema.dropTable('sale_payments').execute();
  await db.schema.alterTable('sale_payments_next').renameTo('sale_payments').execute();
}
