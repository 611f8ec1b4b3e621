import { type Kysely, sql } from 'kysely';

/**
 * Capacity (限量 / 分时预约). `capacity_days` counts persons sold per site and venue-local day (day number since
 * 1970-01-01 in the site's zone); the cap is the site's `daily_capacity`, read at sale time. `capacity_slots` are
 * timed-entry slots of one local day with their own cap. Rows are only ever changed by conditional updates
 * (`sold = sold + n WHERE sold + n <= cap`), so the checks below are a last line of defence, not the mechanism.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('capacity_days')
    .addColumn('site_id', 'text', (col) => col.notNull().references('sites.id'))
    .addColumn('day', 'integer', (col) => col.notNull())
    .addColumn('sold', 'integer', (col) => col.notNull().defaultTo(0).check(sql`sold >= 0`))
    .addPrimaryKeyConstraint('capacity_days_pk', ['site_id', 'day'])
    .execute();

  await db.schema
    .createTable('capacity_slots')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('site_id', 'text', (col) => col.notNull().references('sites.id'))
    .addColumn('day', 'integer', (col) => col.notNull())
    .addColumn('start_minute', 'integer', (col) => col.notNull().check(sql`start_minute between 0 and 1439`))
    .addColumn('end_minute', 'integer', (col) => col.notNull().check(sql`end_minute between 1 and 1440`))
    .addColumn('start_at', 'bigint', (col) => col.notNull())
    .addColumn('end_at', 'bigint', (col) => col.notNull())
    .addColumn('cap', 'integer', (col) => col.notNull().check(sql`cap >= 0`))
    .addColumn('sold', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .addCheckConstraint('capacity_slots_times', sql`start_minute < end_minute and start_at < end_at`)
    .addCheckConstraint('capacity_slots_sold', sql`sold >= 0 and sold <= cap`)
    .addUniqueConstraint('capacity_slots_start_unique', ['site_id', 'day', 'start_minute'])
    .execute();
}
