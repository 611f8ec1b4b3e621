/** The passages module's SQL. Callers pass a db or a transaction. */
import type { Kysely } from 'kysely';
import { chunkedInsert } from '../../db/chunked-insert.js';
import { precompile } from '../../db/precompiled.js';
import type { Database } from '../../db/schema.js';
import type { PassageEventsTable } from './tables.js';

type Db = Kysely<Database>;

export interface GatePlace {
  readonly id: string;
  readonly site_id: string;
  readonly zone_id: string;
}

const gateById = precompile<{ id: string }, GatePlace>((db, p) =>
  db.selectFrom('gates').select(['id', 'site_id', 'zone_id']).where('id', '=', p.id),
);

/** Where each of these gates stands; gates not in the registry are missing from the map. */
export async function gatePlaces(db: Db, ids: readonly string[]): Promise<Map<string, GatePlace>> {
  const distinct = [...new Set(ids)];
  const rows =
    distinct.length === 1
      ? await gateById.rows(db, { id: distinct[0]! })
      : await db
          .selectFrom('gates')
          .select(['id', 'site_id', 'zone_id'])
          .where('id', 'in', distinct)
          .execute();
  return new Map(rows.map((row) => [row.id, row]));
}

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
  build: (db: Db, rows) =>
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
export async function insertNewEvents(db: Db, events: readonly PassageEventsTable[]): Promise<Set<string>> {
  const stored = await insertEvents(db, events);
  return new Set(stored.map((row) => row.event_id));
}
