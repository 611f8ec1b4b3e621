/** The passages module's SQL. Callers pass a db or a transaction. */
import type { Kysely } from 'kysely';
import { type PrecompiledStatement, precompile } from '../../db/precompiled.js';
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

/**
 * Multi-row inserts in a few fixed sizes, each compiled once: a batch of 150 events is stored with 64 + 64 + 16 +
 * 4 + 1 + 1 rows. Fixed sizes keep the number of distinct SQL texts small (SQLite keeps each prepared), and
 * 256 rows × 16 columns stays far below SQLite's 32,766 bound parameters.
 */
const CHUNK_SIZES = [256, 64, 16, 4, 1] as const;
const insertStatements = new Map<
  number,
  PrecompiledStatement<Record<string, unknown>, { event_id: string }>
>();

function insertStatement(rows: number) {
  let statement = insertStatements.get(rows);
  if (!statement) {
    statement = precompile<Record<string, unknown>, { event_id: string }>((db, p) =>
      db
        .insertInto('passage_events')
        .values(
          Array.from(
            { length: rows },
            (_, i) =>
              Object.fromEntries(
                COLUMNS.map((column) => [column, p[`${column}_${i}`]]),
              ) as unknown as PassageEventsTable,
          ),
        )
        .onConflict((oc) => oc.column('event_id').doNothing())
        .returning('event_id'),
    );
    insertStatements.set(rows, statement);
  }
  return statement;
}

/**
 * Stores the events whose id is not stored yet (insert-or-ignore on the primary key); returns the ids it stored.
 * The ids must be distinct within one call.
 */
export async function insertNewEvents(db: Db, events: readonly PassageEventsTable[]): Promise<Set<string>> {
  const stored = new Set<string>();
  let offset = 0;
  while (offset < events.length) {
    const size = CHUNK_SIZES.find((n) => n <= events.length - offset) ?? 1;
    const params: Record<string, unknown> = {};
    for (let i = 0; i < size; i++) {
      const event = events[offset + i]!;
      // null is a value here; only undefined would mean a missing parameter.
      for (const column of COLUMNS) params[`${column}_${i}`] = event[column];
    }
    for (const row of await insertStatement(size).rows(db, params)) stored.add(row.event_id);
    offset += size;
  }
  return stored;
}
