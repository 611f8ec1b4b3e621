import type { Kysely } from 'kysely';

/**
 * Lapsed online-validation reservations are pruned after a retention period, oldest expiry first and in bounded
 * batches: an index on `expires_at` keeps each batch a range scan instead of a scan of the whole table.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('ticket_reservations_expires')
    .on('ticket_reservations')
    .column('expires_at')
    .execute();
}
