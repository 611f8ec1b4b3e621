import { type Kysely, sql } from 'kysely';

/**
 * Each gate's MQTT login (闸机接入凭证): user name `gate@{siteId}@{gateId}` and a Mosquitto-format `$7$` hash of a
 * random password that is shown once. Keyed by the gate id (unique across the installation, see the gates registry);
 * a revoked credential stays as a row with `revoked_at` so the history of who could connect is kept.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('gate_mqtt_credentials')
    .addColumn('gate_id', 'text', (col) => col.primaryKey())
    .addColumn('site_id', 'text', (col) => col.notNull())
    .addColumn('username', 'text', (col) => col.notNull().unique())
    .addColumn('password_hash', 'text', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('rotated_at', 'bigint', (col) => col.notNull())
    .addColumn('revoked_at', 'bigint')
    .addColumn('version', 'bigint', (col) => col.notNull().defaultTo(1).check(sql`version >= 1`))
    .execute();
}
