/** The passages module's SQL. Callers pass a db or a transaction. */
import { CompiledQuery, type Kysely } from 'kysely';
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

/**
 * Multi-row inserts in a few fixed sizes, each built and compiled once per dialect: a batch of 150 events is stored
 * with 64 + 64 + 16 + 4 + 1 + 1 rows. Fixed sizes keep the number of distinct SQL texts small (SQLite keeps each
 * prepared), and 256 rows × 16 columns stays far below SQLite's 32,766 bound parameters. Unlike db/precompiled.ts
 * the values are bound by position: naming 4,096 parameters per call cost more than running the insert.
 */
const CHUNK_SIZES = [256, 64, 16, 4, 1] as const;

/** Stands for row `row`'s value of column COLUMNS[column] while a statement is compiled. */
class Slot {
  constructor(
    readonly row: number,
    readonly column: number,
  ) {}
}

interface CompiledInsert {
  readonly sql: string;
  /** For each bound parameter, in order: the row and the column whose value it takes. */
  readonly slots: readonly Slot[];
}

const compiledInserts = new Map<unknown, Map<number, CompiledInsert>>();

function compiledInsert(db: Db, rows: number): CompiledInsert {
  const dialect = db.getExecutor().adapter.constructor;
  let bySize = compiledInserts.get(dialect);
  if (!bySize) {
    bySize = new Map();
    compiledInserts.set(dialect, bySize);
  }
  let compiled = bySize.get(rows);
  if (!compiled) {
    const values = Array.from(
      { length: rows },
      (_, row) =>
        Object.fromEntries(
          COLUMNS.map((name, column) => [name, new Slot(row, column)]),
        ) as unknown as PassageEventsTable,
    );
    const query = db
      .insertInto('passage_events')
      .values(values)
      .onConflict((oc) => oc.column('event_id').doNothing())
      .returning('event_id')
      .compile();
    const slots = query.parameters.map((parameter) => {
      if (!(parameter instanceof Slot)) throw new Error('passage insert: unexpected constant parameter');
      return parameter;
    });
    compiled = { sql: query.sql, slots };
    bySize.set(rows, compiled);
  }
  return compiled;
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
    const { sql, slots } = compiledInsert(db, size);
    const values = new Array<unknown>(slots.length);
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!;
      values[i] = events[offset + slot.row]![COLUMNS[slot.column]!];
    }
    const result = await db.executeQuery<{ event_id: string }>(CompiledQuery.raw(sql, values));
    for (const row of result.rows) stored.add(row.event_id);
    offset += size;
  }
  return stored;
}
