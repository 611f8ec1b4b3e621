/**
 * The tickets table's SQL. Callers pass a db or a transaction. The whitelist feed and its per-site head are in
 * whitelist-feed-repo.ts.
 */

import type { CredentialRecord, CredentialStatus } from '@scenic/protocol';
import type { Insertable, Selectable } from 'kysely';
import { chunkedInsert } from '../../db/chunked-insert.js';
import { type Connection, readModel } from '../../db/scoped.js';
import { type SiteScope, siteCondition } from '../../platform/site-scope.js';
import { isoDateOfDay } from '../capacity/local-time.js';
import type { Ticket } from './schemas.js';
import { type TicketDb, type TicketsTable, ticketTables } from './tables.js';

type Db = Connection;
export type TicketRow = Selectable<TicketsTable>;
type TicketWithType = TicketRow & { name_zh: string; name_en: string; kind: string };

/** The columns a ticket's whitelist record is made of. */
export type RecordColumns = Pick<
  TicketRow,
  | 'id'
  | 'type_id'
  | 'barcode'
  | 'card_uid'
  | 'status'
  | 'valid_from'
  | 'valid_to'
  | 'entries_total'
  | 'entries_used'
  | 'slot_start'
  | 'slot_end'
  | 'persons'
  | 'activate_by'
  | 'activation_unit'
  | 'activation_count'
  | 'first_entry_at'
  | 'visit_days'
  | 'last_visit_at'
  | 'last_entry_at'
  | 'last_exit_at'
>;

export function recordOf(row: RecordColumns): CredentialRecord {
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
    ...(row.activate_by !== null &&
      row.activation_unit !== null &&
      row.activation_count !== null && {
        activation: { by: row.activate_by, unit: row.activation_unit, count: row.activation_count },
      }),
    ...(row.first_entry_at !== null && { firstEntryAt: row.first_entry_at }),
    ...(row.visit_days !== null &&
      row.last_visit_at !== null && {
        visitDaysUsed: visitDaysOf(row).length,
        lastVisitAt: row.last_visit_at,
      }),
    ...(row.last_entry_at !== null && { lastEntryAt: row.last_entry_at }),
    ...(row.last_exit_at !== null && { lastExitAt: row.last_exit_at }),
  };
}

/** The local days a ticket entered on (visit-day tickets), ascending. */
export function visitDaysOf(row: Pick<TicketRow, 'visit_days'>): number[] {
  return row.visit_days === null ? [] : (JSON.parse(row.visit_days) as number[]);
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

/** Read model: a ticket with its type version's names and kind (ticket-types' table), one statement per read. */
const ticketWithType = readModel<'tickets' | 'ticket_type_versions'>();

function withType(db: Db) {
  return ticketWithType(db)
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
  const rows = await ticketTables(db).selectFrom('tickets').select('id').where('id', 'in', ids).execute();
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
  'holder_birth_day',
  'barcode',
  'card_uid',
  'activate_by',
  'activation_unit',
  'activation_count',
  'first_entry_at',
  'visit_days',
  'last_visit_at',
  'last_entry_at',
  'last_exit_at',
  'ended_at',
  'qr_text',
  'key_id',
  'flags',
  'price_fen',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof TicketsTable)[];

/**
 * Rows per INSERT, each statement compiled for its row count (db/chunked-insert.ts): a sale writes a few tickets in
 * one statement, and every statement stays under SQLite's and PostgreSQL's bound-parameter limits.
 */
const INSERT_BATCH = 200;

// A drawn id already in use is skipped rather than failing the transaction: the caller draws again for the rows
// that did not go in (ON CONFLICT names the id only, so any other unique constraint still refuses).
const insertTicketsIfNew = chunkedInsert({
  columns: TICKET_COLUMNS,
  build: (db: TicketDb, rows) =>
    db
      .insertInto('tickets')
      .values(rows)
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id'),
  read: (row: Insertable<TicketsTable>, column) => row[TICKET_COLUMNS[column]!] ?? null,
  exactUpTo: INSERT_BATCH,
});

/** Inserts the rows whose id is still free; returns the ids that went in (the others exist already). */
export async function insertNewTickets(
  db: Db,
  rows: readonly Insertable<TicketsTable>[],
): Promise<Set<number>> {
  const inserted = await insertTicketsIfNew(ticketTables(db), rows);
  return new Set(inserted.map((row) => Number(row.id)));
}

export async function findTicketRow(db: Db, id: number): Promise<TicketRow | undefined> {
  return ticketTables(db).selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findTicket(db: Db, id: number, scope: SiteScope): Promise<Ticket | undefined> {
  const row = await withType(db)
    .where('tickets.id', '=', id)
    .where(siteCondition(scope, 'tickets.site_id'))
    .executeTakeFirst();
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

/** The tickets with these ids (an order's, kept by its owner), by id. */
export async function ticketsByIds(db: Db, ids: readonly number[]): Promise<Ticket[]> {
  if (ids.length === 0) return [];
  const rows = await withType(db).where('tickets.id', 'in', ids).orderBy('tickets.id').execute();
  return rows.map(ticketOf);
}

export async function updateTicket(
  db: Db,
  id: number,
  patch: Partial<
    Pick<
      TicketsTable,
      | 'status'
      | 'entries_used'
      | 'card_uid'
      | 'barcode'
      | 'valid_from'
      | 'valid_to'
      | 'first_entry_at'
      | 'visit_days'
      | 'last_visit_at'
      | 'last_entry_at'
      | 'last_exit_at'
      | 'ended_at'
    >
  >,
  now: number,
): Promise<TicketRow | undefined> {
  return ticketTables(db)
    .updateTable('tickets')
    .set({ ...patch, updated_at: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/** Live tickets of one holder, type and visit day (refunded and revoked ones no longer count). */
export async function countForHolder(db: Db, idHash: string, day: number, typeId: number): Promise<number> {
  const row = await ticketTables(db)
    .selectFrom('tickets')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('holder_id_hash', '=', idHash)
    .where('visit_day', '=', day)
    .where('type_id', '=', typeId)
    .where('status', 'not in', ['refunded', 'revoked'] satisfies CredentialStatus[])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Every credential of the site that has not expired, whatever its status: gates must also know what was refunded or revoked. */
export async function liveTickets(db: Db, siteId: string, now: number): Promise<TicketRow[]> {
  return ticketTables(db)
    .selectFrom('tickets')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('valid_to', '>', now)
    .orderBy('id')
    .execute();
}

/** Live (active, not yet expired) tickets that key `keyId` signed: what retiring the key would strand. */
export async function countLiveSignedBy(db: Db, keyId: number, now: number): Promise<number> {
  const row = await ticketTables(db)
    .selectFrom('tickets')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('key_id', '=', keyId)
    .where('status', '=', 'active')
    .where('valid_to', '>', now)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Up to `limit` live tickets signed by `keyId`, oldest id first. */
export async function liveSignedBy(db: Db, keyId: number, now: number, limit: number): Promise<TicketRow[]> {
  return ticketTables(db)
    .selectFrom('tickets')
    .select(TICKET_COLUMNS)
    .where('key_id', '=', keyId)
    .where('status', '=', 'active')
    .where('valid_to', '>', now)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** A ticket's new credential, only while it is still active and signed by `fromKeyId` (a concurrent change wins). */
export async function replaceCredential(
  db: Db,
  change: { id: number; fromKeyId: number; qrText: string; keyId: number },
  now: number,
): Promise<boolean> {
  const result = await ticketTables(db)
    .updateTable('tickets')
    .set({ qr_text: change.qrText, key_id: change.keyId, updated_at: now })
    .where('id', '=', change.id)
    .where('key_id', '=', change.fromKeyId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
