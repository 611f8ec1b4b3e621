/** The tickets module's SQL: tickets, the whitelist feed and its per-site head. Callers pass a db or a transaction. */
import type { CredentialRecord, CredentialStatus } from '@scenic/protocol';
import {
  type Compilable,
  CompiledQuery,
  type Insertable,
  type Kysely,
  PostgresAdapter,
  type Selectable,
  sql,
} from 'kysely';
import { type PrecompiledStatement, precompile } from '../../db/precompiled.js';
import type { Database } from '../../db/schema.js';
import { isoDateOfDay } from '../capacity/local-time.js';
import type { FeedEntry, FeedOp, Ticket } from './schemas.js';
import type { TicketsTable, WhitelistFeedTable } from './tables.js';

type Db = Kysely<Database>;
export type TicketRow = Selectable<TicketsTable>;
type TicketWithType = TicketRow & { name_zh: string; name_en: string; kind: string };

export function recordOf(row: TicketRow): CredentialRecord {
  return {
    ticketId: row.id,
    typeId: row.type_id,
    barcode: row.barcode,
    cardUid: row.card_uid,
    status: row.status,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    entriesTotal: row.entries_total,
    entriesUsed: row.entries_used,
    slot:
      row.slot_start === null || row.slot_end === null ? null : { start: row.slot_start, end: row.slot_end },
    persons: row.persons,
  };
}

/** The read model of a row, given its type version's name and kind (a seller has them at hand). */
export function ticketView(row: TicketRow, name: { zh: string; en: string }, kind: string): Ticket {
  return ticketOf({ ...row, name_zh: name.zh, name_en: name.en, kind });
}

function ticketOf(row: TicketWithType): Ticket {
  return {
    ticketId: row.id,
    siteId: row.site_id,
    typeId: row.type_id,
    typeVersion: row.type_version,
    typeName: { zh: row.name_zh, en: row.name_en },
    kind: row.kind,
    status: row.status,
    visitDate: isoDateOfDay(row.visit_day),
    validFrom: row.valid_from,
    validTo: row.valid_to,
    entriesTotal: row.entries_total,
    entriesUsed: row.entries_used,
    persons: row.persons,
    slot:
      row.slot_id === null || row.slot_start === null || row.slot_end === null
        ? null
        : { id: row.slot_id, start: row.slot_start, end: row.slot_end },
    holder: row.holder_name === null ? null : { name: row.holder_name, idMasked: row.holder_id_masked ?? '' },
    priceFen: row.price_fen,
    saleId: row.sale_id,
    saleLine: row.sale_line,
    qrText: row.qr_text,
    keyId: row.key_id,
    flags: row.flags,
    barcode: row.barcode,
    cardUid: row.card_uid,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function withType(db: Db) {
  return db
    .selectFrom('tickets')
    .innerJoin('ticket_type_versions as v', (join) =>
      join.onRef('v.type_id', '=', 'tickets.type_id').onRef('v.version', '=', 'tickets.type_version'),
    )
    .selectAll('tickets')
    .select(['v.name_zh', 'v.name_en', 'v.kind']);
}

/** Of the ids given, those already taken. */
export async function takenIds(db: Db, ids: readonly number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('tickets').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((row) => row.id));
}

const TICKET_COLUMNS = [
  'id',
  'site_id',
  'type_id',
  'type_version',
  'sale_id',
  'sale_line',
  'status',
  'visit_day',
  'valid_from',
  'valid_to',
  'entries_total',
  'entries_used',
  'persons',
  'slot_id',
  'slot_start',
  'slot_end',
  'holder_name',
  'holder_id_masked',
  'holder_id_hash',
  'barcode',
  'card_uid',
  'qr_text',
  'key_id',
  'flags',
  'price_fen',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof TicketsTable)[];

/** Rows per INSERT: keeps every statement under SQLite's and PostgreSQL's bound-parameter limits. */
const INSERT_BATCH = 200;

type Params = Record<string, unknown>;

/**
 * Placeholder `c<i>_<n>` for column i of row n; values are bound in the same order. `rows` of length n reuses the
 * statement compiled for n rows.
 */
function bindRows(columns: readonly string[], rows: readonly object[]): Params {
  const params: Params = {};
  for (let n = 0; n < rows.length; n++) {
    const row = rows[n] as Record<string, unknown>;
    const names = placeholderNames(columns.length, n);
    for (let i = 0; i < columns.length; i++) params[names[i]!] = row[columns[i]!] ?? null;
  }
  return params;
}

/** `c<i>_<n>` for every column i of row n, built once per shape: a sale binds ~30 values per ticket. */
const namesByShape = new Map<string, readonly string[]>();

function placeholderNames(columnCount: number, n: number): readonly string[] {
  const shape = `${columnCount}/${n}`;
  let names = namesByShape.get(shape);
  if (!names) {
    names = Array.from({ length: columnCount }, (_, i) => `c${i}_${n}`);
    namesByShape.set(shape, names);
  }
  return names;
}

function placeholderRows<C extends string>(p: Params, columns: readonly C[], count: number) {
  return Array.from(
    { length: count },
    (_, n) => Object.fromEntries(columns.map((column, i) => [column, p[`c${i}_${n}`]])) as Record<C, never>,
  );
}

/** Statements compiled once per row count (db/precompiled.ts), built on first use. */
function byRowCount<Row>(build: (db: Db, p: Params, count: number) => Compilable<Row>) {
  const statements = new Map<number, PrecompiledStatement<Params, Row>>();
  return (count: number) => {
    let statement = statements.get(count);
    if (!statement) {
      statement = precompile<Params, Row>((db, p) => build(db, p, count));
      statements.set(count, statement);
    }
    return statement;
  };
}

// A drawn id already in use is skipped rather than failing the transaction: the caller draws again for the rows
// that did not go in (ON CONFLICT names the id only, so any other unique constraint still refuses).
const insertTicketsIfNew = byRowCount<{ id: number }>((db, p, count) =>
  db
    .insertInto('tickets')
    .values(placeholderRows(p, TICKET_COLUMNS, count))
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id'),
);

/** Inserts the rows whose id is still free; returns the ids that went in (the others exist already). */
export async function insertNewTickets(
  db: Db,
  rows: readonly Insertable<TicketsTable>[],
): Promise<Set<number>> {
  const inserted = new Set<number>();
  for (let i = 0; i < rows.length; i += INSERT_BATCH) {
    const batch = rows.slice(i, i + INSERT_BATCH);
    for (const row of await insertTicketsIfNew(batch.length).rows(db, bindRows(TICKET_COLUMNS, batch)))
      inserted.add(Number(row.id));
  }
  return inserted;
}

export async function findTicketRow(db: Db, id: number): Promise<TicketRow | undefined> {
  return db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findTicket(db: Db, id: number): Promise<Ticket | undefined> {
  const row = await withType(db).where('tickets.id', '=', id).executeTakeFirst();
  return row && ticketOf(row);
}

export async function ticketsOfSale(db: Db, saleId: string): Promise<Ticket[]> {
  const rows = await withType(db)
    .where('tickets.sale_id', '=', saleId)
    .orderBy('tickets.sale_line')
    .orderBy('tickets.created_at')
    .orderBy('tickets.id')
    .execute();
  return rows.map(ticketOf);
}

export async function updateTicket(
  db: Db,
  id: number,
  patch: Partial<
    Pick<TicketsTable, 'status' | 'entries_used' | 'card_uid' | 'barcode' | 'valid_from' | 'valid_to'>
  >,
  now: number,
): Promise<TicketRow | undefined> {
  return db
    .updateTable('tickets')
    .set({ ...patch, updated_at: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/** Live tickets of one holder, type and visit day (refunded and revoked ones no longer count). */
export async function countForHolder(db: Db, idHash: string, day: number, typeId: number): Promise<number> {
  const row = await db
    .selectFrom('tickets')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('holder_id_hash', '=', idHash)
    .where('visit_day', '=', day)
    .where('type_id', '=', typeId)
    .where('status', 'not in', ['refunded', 'revoked'] satisfies CredentialStatus[])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Reserves `count` consecutive versions of the site's feed and returns the first. The increment locks the head row
 * until commit, so versions never repeat or leave gaps; the row is created (insert-or-ignore) on the site's first
 * change only.
 */
const bumpHead = precompile<{ siteId: string; count: number }, { version: number }>((db, p) =>
  db
    .updateTable('whitelist_heads')
    .set({ version: sql`version + ${p.count}` })
    .where('site_id', '=', p.siteId)
    .returning('version'),
);

async function ensureHead(db: Db, siteId: string): Promise<void> {
  await db
    .insertInto('whitelist_heads')
    .values({ site_id: siteId, version: 0 })
    .onConflict((oc) => oc.column('site_id').doNothing())
    .execute();
}

export async function reserveVersions(db: Db, siteId: string, count: number): Promise<number> {
  let head = await bumpHead.first(db, { siteId, count });
  if (!head) {
    await ensureHead(db, siteId);
    head = await bumpHead.first(db, { siteId, count });
  }
  return head!.version - count + 1;
}

const FEED_COLUMNS = [
  'site_id',
  'version',
  'ticket_id',
  'op',
  'record_json',
  'at',
] as const satisfies readonly (keyof WhitelistFeedTable)[];

const insertFeedRows = byRowCount<never>((db, p, count) =>
  db.insertInto('whitelist_feed').values(placeholderRows(p, FEED_COLUMNS, count)),
);

type FeedEntryInput = { ticketId: number; op: FeedOp; record: CredentialRecord };

export async function insertFeed(
  db: Db,
  siteId: string,
  firstVersion: number,
  entries: readonly FeedEntryInput[],
  at: number,
): Promise<void> {
  const rows = entries.map((entry, index) => ({
    site_id: siteId,
    version: firstVersion + index,
    ticket_id: entry.ticketId,
    op: entry.op,
    record_json: JSON.stringify(entry.record),
    at,
  }));
  for (let i = 0; i < rows.length; i += INSERT_BATCH) {
    const batch = rows.slice(i, i + INSERT_BATCH);
    await insertFeedRows(batch.length).rows(db, bindRows(FEED_COLUMNS, batch));
  }
}

/**
 * PostgreSQL: the head's bump and the feed rows in one statement (one round trip fewer inside the sale, which other
 * sales wait for on the audit lock). The rows take versions head − count + 1 … head in input order. Nothing is written
 * when the site has no head yet: the caller falls back to reserveVersions + insertFeed.
 */
const appendFeedPostgres = new Map<number, string>();

function appendFeedSql(count: number): string {
  let text = appendFeedPostgres.get(count);
  if (!text) {
    // $1 site, $2 count, $3 at; then ticket id, op, record JSON per entry.
    const values = Array.from(
      { length: count },
      (_, n) => `(${n}, $${4 + 3 * n}::bigint, $${5 + 3 * n}::text, $${6 + 3 * n}::text)`,
    ).join(', ');
    text =
      'with head as (update whitelist_heads set version = version + $2::bigint where site_id = $1::text returning version) ' +
      'insert into whitelist_feed (site_id, version, ticket_id, op, record_json, at) ' +
      'select $1::text, head.version - $2::bigint + 1 + entry.n, entry.ticket_id, entry.op, entry.record_json, $3::bigint ' +
      `from head cross join (values ${values}) as entry (n, ticket_id, op, record_json)`;
    appendFeedPostgres.set(count, text);
  }
  return text;
}

/** Appends the entries to the site's feed under consecutive new versions (both engines). */
export async function appendFeed(
  db: Db,
  siteId: string,
  entries: readonly FeedEntryInput[],
  at: number,
): Promise<void> {
  if (entries.length === 0) return;
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    for (let i = 0; i < entries.length; i += INSERT_BATCH) {
      const batch = entries.slice(i, i + INSERT_BATCH);
      const params: unknown[] = [siteId, batch.length, at];
      for (const entry of batch) params.push(entry.ticketId, entry.op, JSON.stringify(entry.record));
      const result = await db.executeQuery(CompiledQuery.raw(appendFeedSql(batch.length), params));
      if (Number(result.numAffectedRows ?? 0n) !== batch.length) {
        // The site's first feed entry: no head row to bump yet.
        await ensureHead(db, siteId);
        await insertFeed(db, siteId, await reserveVersions(db, siteId, batch.length), batch, at);
      }
    }
    return;
  }
  for (let i = 0; i < entries.length; i += INSERT_BATCH) {
    const batch = entries.slice(i, i + INSERT_BATCH);
    await insertFeed(db, siteId, await reserveVersions(db, siteId, batch.length), batch, at);
  }
}

export async function headVersion(db: Db, siteId: string): Promise<number> {
  const row = await db
    .selectFrom('whitelist_heads')
    .select('version')
    .where('site_id', '=', siteId)
    .executeTakeFirst();
  return row?.version ?? 0;
}

export async function feedAfter(db: Db, siteId: string, after: number, limit: number): Promise<FeedEntry[]> {
  const rows = await db
    .selectFrom('whitelist_feed')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('version', '>', after)
    .orderBy('version')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    version: row.version,
    ticketId: row.ticket_id,
    op: row.op,
    record: JSON.parse(row.record_json) as CredentialRecord,
    at: row.at,
  }));
}

/** Every credential of the site that has not expired, whatever its status: gates must also know what was refunded or revoked. */
export async function liveTickets(db: Db, siteId: string, now: number): Promise<TicketRow[]> {
  return db
    .selectFrom('tickets')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('valid_to', '>', now)
    .orderBy('id')
    .execute();
}

/** Marks an online validation's reservation as used by the passage that followed it; false when there is none. */
export async function confirmReservation(
  db: Db,
  gateId: string,
  correlationId: string,
  eventId: string,
  at: number,
): Promise<boolean> {
  const result = await db
    .updateTable('ticket_reservations')
    .set({ confirmed_at: at, event_id: eventId })
    .where('gate_id', '=', gateId)
    .where('correlation_id', '=', correlationId)
    .where('confirmed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
