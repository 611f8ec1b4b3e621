import type { Kysely } from 'kysely';

/**
 * Per-gate settings the console may change (relay pulse, languages, online validation …) and the version of the
 * retained `gate_config` last published for the gate, with a fingerprint of its content: a new version is written
 * only when the content changed, so versions grow with every change and never otherwise. No foreign key to the
 * registry: the row outlives a removed gate, so a gate id that comes back continues its version sequence.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('gate_configs')
    .addColumn('gate_id', 'text', (col) => col.primaryKey())
    .addColumn('site_id', 'text', (col) => col.notNull())
    .addColumn('settings_json', 'text', (col) => col.notNull())
    .addColumn('version', 'bigint', (col) => col.notNull())
    .addColumn('fingerprint', 'text')
    .addColumn('published_at', 'bigint')
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();
}
