import type { Kysely } from 'kysely';

/**
 * The sites an operator is limited to (per-site access): no row for an operator means every site. Removing a site
 * an operator is limited to is refused (no cascade): were the row to vanish with the site, an operator limited to
 * that one site would silently be left with no limit at all, that is every site.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('operator_sites')
    .addColumn('operator_id', 'text', (col) => col.notNull().references('operators.id').onDelete('cascade'))
    .addColumn('site_id', 'text', (col) => col.notNull().references('sites.id'))
    .addPrimaryKeyConstraint('operator_sites_pk', ['operator_id', 'site_id'])
    .execute();
  await db.schema.createIndex('operator_sites_site').on('operator_sites').column('site_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('operator_sites').execute();
}
