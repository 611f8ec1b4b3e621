import { type Kysely, PostgresAdapter, sql } from 'kysely';

const WITH_POINTS = sql`method in ('cash', 'bank_card', 'wechat', 'alipay', 'points')`;
const WITHOUT_POINTS = sql`method in ('cash', 'bank_card', 'wechat', 'alipay')`;

/**
 * A refund of a sale paid partly with points gives those points back: its payments may be by `points`. SQLite cannot
 * change a column's CHECK, so there the table is rebuilt with its rows; PostgreSQL replaces the constraint.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await methods(db, WITH_POINTS);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from refund_payments where method = 'points'`.execute(db);
  await methods(db, WITHOUT_POINTS);
}

async function methods(db: Kysely<unknown>, check: ReturnType<typeof sql>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`alter table refund_payments drop constraint refund_payments_method_check`.execute(db);
    await sql`alter table refund_payments add constraint refund_payments_method_check check (${check})`.execute(
      db,
    );
    return;
  }
  await db.schema
    .createTable('refund_payments_next')
    .addColumn('refund_id', 'text', (col) => col.notNull().references('refunds.id'))
    .addColumn('seq', 'integer', (col) => col.notNull())
    .addColumn('method', 'text', (col) => col.notNull().check(check))
    .addColumn('amount_fen', 'bigint', (col) => col.notNull().check(sql`amount_fen > 0`))
    .addColumn('supplement_fen', 'integer', (col) => col.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('refund_payments_pk', ['refund_id', 'seq'])
    .execute();
  await sql`insert into refund_payments_next (refund_id, seq, method, amount_fen, supplement_fen)
    select refund_id, seq, method, amount_fen, supplement_fen from refund_payments`.execute(db);
  await db.schema.dropTable('refund_payments').execute();
  await db.schema.alterTable('refund_payments_next').renameTo('refund_payments').execute();
}
