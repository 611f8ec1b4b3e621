import type { Kysely } from 'kysely';

/**
 * The entries left that an online admit answered, kept with its reservation: a gate that repeats the request (its
 * answer was lost, or two cloud instances both received it) is answered from here — the same admit, without
 * deciding again or holding a second entry. Null for tickets without an entry count and for the reservations stored
 * before the column existed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('ticket_reservations').addColumn('entries_left', 'integer').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('ticket_reservations').dropColumn('entries_left').execute();
}
