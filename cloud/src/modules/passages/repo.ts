/** The passages module's SQL (it owns passage_events). Callers pass a db or a transaction. */
import { chunkedInsert } from '../../db/chunked-insert.js';
import type { Connection } from '../../db/scoped.js';
import type { GateFacts } from '../venues/reads.js';
import { type PassageDb, type PassageEventsTable, passageTables } from './tables.js';

/** Where a gate stands: the venue registry's (venues/reads.ts), read within the ingestion transaction. */
export type GatePlace = Pick<GateFacts, 'id' | 'site_id' | 'zone_id'>;
export { gatesByIds as gatePlaces } from '../venues/reads.js';

const COLUMNS = [
  'event_id',
  'kind',
  'site_id',
  'zone_id',
  'gate_id',
  'ticket_id',
  'credential_kind',
  'direction',
  'persons',
  'at',
  'received_at',
  'decided_offline',
  'entries_left',
  'correlation_id',
  'reason',
  'code_hash',
] as const satisfies readonly (keyof PassageEventsTable)[];

/** A batch of events is stored in chunks (db/chunked-insert.ts); RETURNING names the events that were new. */
const insertEvents = chunkedInsert({
  columns: COLUMNS,
  build: (db: PassageDb, rows) =>
    db
      .insertInto('passage_events')
      .values(rows)
      .onConflict((oc) => oc.column('event_id').doNothing())
      .returning('event_id'),
  read: (event: PassageEventsTable, column) => event[COLUMNS[column]!],
});

/**
 * Stores the events whose id is not stored yet (insert-or-ignore on the primary key); returns the ids it stored.
 * The ids must be distinct within one call.
 */
export async function insertNewEvents(
  db: Connection,
  events: readonly PassageEventsTable[],
): Promise<Set<string>> {
  const stored = await insertEvents(passageTables(db), events);
  return new Set(stored.map((row) => row.event_id));
}
