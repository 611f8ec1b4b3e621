import { type Kysely, sql } from 'kysely';

/**
 * The gate registry (闸机登记): one row per turnstile, owned by the venues module. Gate ids are unique across the
 * installation (they appear in MQTT topics and passage records); each gate stands in one zone of its site.
 * Credentials, live status and commands belong to the gates module, in its own tables keyed by this id.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('gates')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('site_id', 'text', (col) => col.notNull().references('sites.id'))
    .addColumn('zone_id', 'text', (col) => col.notNull())
    .addColumn('direction', 'text', (col) => col.notNull().check(sql`direction in ('in', 'out', 'both')`))
    .addColumn('kind', 'text', (col) => col.notNull().check(sql`kind in ('tripod', 'flap', 'swing')`))
    .addColumn('name_zh', 'text', (col) => col.notNull())
    .addColumn('name_en', 'text', (col) => col.notNull())
    .addColumn('active', 'integer', (col) => col.notNull().defaultTo(1).check(sql`active in (0, 1)`))
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .addForeignKeyConstraint('gates_zone_fk', ['site_id', 'zone_id'], 'zones', ['site_id', 'id'])
    .execute();
  await db.schema.createIndex('gates_site_zone').on('gates').columns(['site_id', 'zone_id']).execute();
}
