/**
 * The lookup's SQL: finding tickets by what a visitor holds (barcode, card, ID hash) and reading their passages.
 * Read-only; the tickets and passages modules own these tables.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

type Db = Kysely<Database>;
const MAX_TICKETS = 50;
const MAX_PASSAGES = 100;

export async function ticketIdsBy(
  db: Db,
  column: 'barcode' | 'card_uid' | 'holder_id_hash',
  value: string,
): Promise<number[]> {
  const rows = await db
    .selectFrom('tickets')
    .select('id')
    .where(column, '=', value)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(MAX_TICKETS)
    .execute();
  return rows.map((row) => row.id);
}

/** The ticket's passages and denials, newest first. */
export async function passagesOf(db: Db, ticketId: number) {
  return db
    .selectFrom('passage_events')
    .select(['kind', 'gate_id', 'direction', 'persons', 'at', 'reason'])
    .where('ticket_id', '=', ticketId)
    .orderBy('at', 'desc')
    .limit(MAX_PASSAGES)
    .execute();
}
