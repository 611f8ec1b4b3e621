import type { Kysely } from 'kysely';

/**
 * Visit days (任选 N 天): the venue-local days a ticket has entered on, as a JSON array of day numbers (days since
 * 1970-01-01, ascending), and the first entry of the latest of them. Kept for tickets of types with a visit-day limit
 * only; null otherwise and for tickets not yet used.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('tickets').addColumn('visit_days', 'text').execute();
  await db.schema.alterTable('tickets').addColumn('last_visit_at', 'bigint').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('tickets').dropColumn('last_visit_at').execute();
  await db.schema.alterTable('tickets').dropColumn('visit_days').execute();
}
