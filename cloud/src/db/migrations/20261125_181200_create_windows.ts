import { type Kysely, sql } from 'kysely';

/** Ticket windows (售票窗口) of a site, identified by a per-site code such as `W01`; sales record where they sold. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('windows')
    .addColumn('site_id', 'text', (col) => col.notNull().references('sites.id'))
    .addColumn('id', 'text', (col) => col.notNull())
    .addColumn('name_zh', 'text', (col) => col.notNull())
    .addColumn('name_en', 'text', (col) => col.notNull())
    .addColumn('active', 'integer', (col) => col.notNull().defaultTo(1).check(sql`active in (0, 1)`))
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('windows_pk', ['site_id', 'id'])
    .execute();
}
