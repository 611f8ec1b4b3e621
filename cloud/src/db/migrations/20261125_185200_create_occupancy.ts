import { type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * In-park occupancy (在园人数): running counters per site (zone_id '' = the whole site) and zone for each
 * venue-local occupancy day, the alert level each is at, the history of level changes, and each site's in-park
 * capacity (people inside at once, unlike sites.daily_capacity, which caps admissions per day).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('occupancy_counters')
    .addColumn('site_id', 'text', (col) => col.notNull())
    .addColumn('zone_id', 'text', (col) => col.notNull())
    .addColumn('day', 'text', (col) => col.notNull())
    .addColumn('entries', 'bigint', (col) => col.notNull())
    .addColumn('exits', 'bigint', (col) => col.notNull())
    .addColumn('inside', 'bigint', (col) => col.notNull().check(sql`inside >= 0`))
    .addColumn('clamped', 'bigint', (col) => col.notNull())
    .addColumn('level', 'integer', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('occupancy_counters_pk', ['site_id', 'zone_id', 'day'])
    .execute();

  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('occupancy_alerts')
    .addColumn('id', postgres ? 'bigint' : 'integer', (col) =>
      postgres ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement(),
    )
    .addColumn('site_id', 'text', (col) => col.notNull())
    .addColumn('zone_id', 'text', (col) => col.notNull())
    .addColumn('day', 'text', (col) => col.notNull())
    .addColumn('from_level', 'integer', (col) => col.notNull())
    .addColumn('to_level', 'integer', (col) => col.notNull())
    .addColumn('inside', 'bigint', (col) => col.notNull())
    .addColumn('capacity', 'bigint', (col) => col.notNull())
    .addColumn('at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('occupancy_alerts_at')
    .on('occupancy_alerts')
    .columns(['site_id', 'at'])
    .execute();

  await db.schema
    .createTable('site_occupancy_settings')
    .addColumn('site_id', 'text', (col) => col.primaryKey())
    .addColumn('capacity', 'bigint', (col) => col.check(sql`capacity is null or capacity > 0`))
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();
}
