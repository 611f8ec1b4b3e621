import { type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * SQLite: the takings' day rollups become WITHOUT ROWID tables, stored in the order of their primary key (site, day,
 * then the other dimensions). Every read of them asks for one site's range of days (live status, settlements,
 * summaries), which is then one contiguous stretch of the table read without a second lookup per row; before, the
 * key was a separate index holding a copy of every row's key, and each row found there was fetched again from the
 * table by its rowid (a one-year summary read ~100,000 rows that way). The adding upsert of every taking also writes
 * one b-tree instead of two. Same columns, checks and key; the rows are copied as they are.
 *
 * PostgreSQL has no such table kind and reads these ranges fast from its primary key index: nothing changes there.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return;
  await rebuild(db, true);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return;
  await rebuild(db, false);
}

const MONEY = ['site_id', 'day', 'source', 'channel', 'method', 'window_id', 'cashier_id', 'agency_id'];
const ITEMS = ['site_id', 'day', 'source', 'channel', 'type_id', 'window_id', 'cashier_id', 'agency_id'];

/** Each rollup created anew under a scratch name (as migration 20261212_100000 made it), filled, then renamed. */
async function rebuild(db: Kysely<unknown>, withoutRowid: boolean): Promise<void> {
  const sources = sql`source in ('sale', 'refund', 'supplement', 'order')`;
  const methods = sql`method in ('cash', 'bank_card', 'wechat', 'alipay', 'points', 'agency_account')`;
  const kind = withoutRowid ? sql`without rowid` : sql``;

  await db.schema
    .createTable('takings_day_money_next')
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
    .addPrimaryKeyConstraint('takings_day_money_pk', MONEY as never[])
    .modifyEnd(kind)
    .execute();
  await copy(db, 'takings_day_money', [...MONEY, 'payments', 'amount_fen']);

  await db.schema
    .createTable('takings_day_items_next')
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
    .addPrimaryKeyConstraint('takings_day_items_pk', ITEMS as never[])
    .modifyEnd(kind)
    .execute();
  await copy(db, 'takings_day_items', [...ITEMS, 'tickets', 'persons', 'amount_fen']);
}

async function copy(db: Kysely<unknown>, table: string, columns: readonly string[]): Promise<void> {
  const list = sql.join(columns.map((c) => sql.ref(c)));
  await sql`insert into ${sql.table(`${table}_next`)} (${list}) select ${list} from ${sql.table(table)}`.execute(
    db,
  );
  await db.schema.dropTable(table).execute();
  await db.schema.alterTable(`${table}_next`).renameTo(table).execute();
}
