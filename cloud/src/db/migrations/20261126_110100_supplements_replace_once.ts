import { type Kysely, sql } from 'kysely';

/**
 * An upgrade or a reissue revokes the ticket it replaces, so a ticket is replaced at most once. The service checks
 * the ticket's state inside its transaction; this partial unique index is the last line should two parallel
 * supplements of one ticket ever both get past that check. Fees do not replace a ticket and may repeat.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('supplements_replace_once')
    .unique()
    .on('supplements')
    .column('ticket_id')
    .where(sql.ref('kind'), '<>', 'fee')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('supplements_replace_once').execute();
}
