/** The tickets module's SQL: tickets, the whitelist feed and its per-site head. Callers pass a db or a transaction. */
import type { CredentialRecord, CredentialStatus } from '@scenic/protocol';
import { type Insertable, type Kysely, type Selectable, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import { isoDateOfDay } from '../capacity/local-time.js';
import type { FeedEntry, FeedOp, Ticket } from './schemas.js';
import type { TicketsTable } from './tables.js';

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

export async function insertTickets(db: Db, rows: readonly Insertable<TicketsTable>[]): Promise<void> {
  // Bounded batches keep every statement under SQLite's and PostgreSQL's bound-parameter limits.
  for (let i = 0; i < rows.length; i += 200)
    await db
      .insertInto('tickets')
      .values(rows.slice(i, i + 200))
      .execute();
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
export async function reserveVersions(db: Db, siteId: string, count: number): Promise<number> {
  const bump = () =>
    db
      .updateTable('whitelist_heads')
      .set({ version: sql`version + ${count}` })
      .where('site_id', '=', siteId)
      .returning('version')
      .executeTakeFirst();
  let head = await bump();
  if (!head) {
    await db
      .insertInto('whitelist_heads')
      .values({ site_id: siteId, version: 0 })
      .onConflict((oc) => oc.column('site_id').doNothing())
      .execute();
    head = await bump();
  }
  return head!.version - count + 1;
}

export async function insertFeed(
  db: Db,
  siteId: string,
  firstVersion: number,
  entries: readonly { ticketId: number; op: FeedOp; record: CredentialRecord }[],
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
  for (let i = 0; i < rows.length; i += 200)
    await db
      .insertInto('whitelist_feed')
      .values(rows.slice(i, i + 200))
      .execute();
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
