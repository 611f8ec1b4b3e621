import type { Kysely } from 'kysely';

/**
 * Tickets by the key that signed them: how many live tickets a key would strand if retired, and re-signing them
 * with the current key, read a key's own tickets instead of every ticket.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('tickets_key_status')
    .on('tickets')
    .columns(['key_id', 'status', 'valid_to'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('tickets_key_status').execute();
}
