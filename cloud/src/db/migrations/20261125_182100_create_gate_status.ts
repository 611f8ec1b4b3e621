import { type Kysely, sql } from 'kysely';

/**
 * Live status per gate, as last reported over MQTT (retained state, last will, heartbeats). One row per gate id that
 * has ever reported; no foreign key to the registry because the broker may carry a gate before it is registered
 * and the console should see that.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('gate_status')
    .addColumn('gate_id', 'text', (col) => col.primaryKey())
    .addColumn('site_id', 'text', (col) => col.notNull())
    .addColumn('online', 'integer', (col) => col.notNull().check(sql`online in (0, 1)`))
    .addColumn('mode', 'text')
    .addColumn('deny_unauthorized', 'integer', (col) => col.check(sql`deny_unauthorized in (0, 1)`))
    .addColumn('firmware', 'text')
    .addColumn('whitelist_version', 'bigint')
    .addColumn('config_version', 'bigint')
    .addColumn('since', 'bigint')
    .addColumn('last_seen_at', 'bigint', (col) => col.notNull())
    .addColumn('last_state_at', 'bigint')
    .addColumn('last_heartbeat_at', 'bigint')
    .addColumn('uptime_sec', 'bigint')
    .addColumn('scans', 'bigint')
    .addColumn('admits', 'bigint')
    .addColumn('denies', 'bigint')
    .addColumn('outbox_depth', 'bigint')
    .execute();
  await db.schema.createIndex('gate_status_site').on('gate_status').columns(['site_id', 'gate_id']).execute();
}
