import { type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * The communication log (终端通信明细): one row per MQTT message to or from a gate, valid or not. Written in batches
 * and pruned after COMM_LOG_RETENTION_DAYS. No foreign keys: it records whatever arrived, including unknown gates.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('comm_log')
    // An increasing id gives a stable order for paging among rows with the same millisecond.
    .addColumn('id', postgres ? 'bigint' : 'integer', (col) =>
      postgres ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement(),
    )
    .addColumn('at', 'bigint', (col) => col.notNull())
    .addColumn('direction', 'text', (col) => col.notNull().check(sql`direction in ('in', 'out')`))
    .addColumn('site_id', 'text')
    .addColumn('gate_id', 'text')
    .addColumn('topic', 'text', (col) => col.notNull())
    .addColumn('channel', 'text')
    .addColumn('message_type', 'text')
    .addColumn('size', 'bigint', (col) => col.notNull())
    .addColumn('result', 'text', (col) => col.notNull().check(sql`result in ('ok', 'rejected')`))
    .addColumn('reason', 'text')
    .addColumn('latency_ms', 'bigint')
    .execute();
  await db.schema.createIndex('comm_log_at').on('comm_log').column('at').execute();
  await db.schema.createIndex('comm_log_gate_at').on('comm_log').columns(['gate_id', 'at']).execute();
}
