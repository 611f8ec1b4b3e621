import type { Kysely } from 'kysely';

/**
 * Same-day re-entry (当日可多次进出): the latest entry and exit of a ticket whose type allows coming back in on the
 * day of its entry, so every gate knows whether the holder is inside or out. Null for other tickets.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('tickets').addColumn('last_entry_at', 'bigint').execute();
  await db.schema.alterTable('tickets').addColumn('last_exit_at', 'bigint').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('tickets').dropColumn('last_exit_at').execute();
  await db.schema.alterTable('tickets').dropColumn('last_entry_at').execute();
}
