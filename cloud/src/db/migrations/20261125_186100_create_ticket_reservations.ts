import type { Kysely } from 'kysely';

/**
 * Entries promised by online validation and not yet confirmed by a passage: while unconfirmed and unexpired, a
 * reservation counts as an entry used and as a passage (anti-passback, per-day limits), so concurrent questions
 * about the same ticket cannot both be admitted. The passage event carrying the same gate and correlation id
 * confirms it; one never confirmed lapses at `expires_at` (the visitor did not pass). Kept afterwards as history.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ticket_reservations')
    .addColumn('gate_id', 'text', (col) => col.notNull())
    .addColumn('correlation_id', 'text', (col) => col.notNull())
    .addColumn('site_id', 'text', (col) => col.notNull())
    .addColumn('ticket_id', 'bigint', (col) => col.notNull())
    .addColumn('direction', 'text', (col) => col.notNull())
    /** 1 when the admission consumes an entry (an entry with a limited total). */
    .addColumn('consumes', 'integer', (col) => col.notNull())
    .addColumn('at', 'bigint', (col) => col.notNull())
    .addColumn('expires_at', 'bigint', (col) => col.notNull())
    .addColumn('confirmed_at', 'bigint')
    .addColumn('event_id', 'text')
    .addPrimaryKeyConstraint('ticket_reservations_pk', ['gate_id', 'correlation_id'])
    .execute();
  await db.schema
    .createIndex('ticket_reservations_ticket')
    .on('ticket_reservations')
    .columns(['ticket_id', 'expires_at'])
    .execute();
}
