import { type Kysely, sql } from 'kysely';

/**
 * Zones (区域) of a site: the park itself, a paid attraction inside it, a hall. Zone ids are per site and appear in
 * gate configuration and ticket-type rules, so they follow protocol's idStringSchema.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('zones')
    .addColumn('site_id', 'text', (col) => col.notNull().references('sites.id'))
    .addColumn('id', 'text', (col) => col.notNull())
    .addColumn('name_zh', 'text', (col) => col.notNull())
    .addColumn('name_en', 'text', (col) => col.notNull())
    .addColumn('capacity', 'bigint', (col) => col.check(sql`capacity >= 0`))
    .addColumn('active', 'integer', (col) => col.notNull().defaultTo(1).check(sql`active in (0, 1)`))
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('zones_pk', ['site_id', 'id'])
    .execute();
}
