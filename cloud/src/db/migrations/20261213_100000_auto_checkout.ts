import type { Kysely } from 'kysely';

/**
 * Automatic check-out (自动清场): a site's local check-out time (`sites.auto_checkout_at`, "HH:MM", null = none) and
 * the record of each run, one per site and local day (the primary key makes a second run of a day impossible, so a
 * restart or a failover to another instance never checks a day out twice).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sites').addColumn('auto_checkout_at', 'text').execute();
  await db.schema
    .createTable('auto_checkout_runs')
    .addColumn('site_id', 'text', (col) => col.notNull())
    .addColumn('day', 'text', (col) => col.notNull())
    .addColumn('at', 'bigint', (col) => col.notNull())
    .addColumn('occupancy_day', 'text', (col) => col.notNull())
    .addColumn('checked_out', 'bigint', (col) => col.notNull())
    .addColumn('ran_at', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('auto_checkout_runs_pk', ['site_id', 'day'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('auto_checkout_runs').execute();
  await db.schema.alterTable('sites').dropColumn('auto_checkout_at').execute();
}
