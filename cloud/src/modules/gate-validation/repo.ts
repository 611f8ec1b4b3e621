/**
 * The online-validation module's SQL: the gate, the credential's ticket, its passages and open reservations, the
 * type's current version, and pruning of lapsed reservations. Everything a validation runs is precompiled: the
 * request path is a handful of point queries, and building them with Kysely each time cost more than running them.
 */
import type { CredentialRef, Direction, PassageRecord } from '@scenic/protocol';
import { type Kysely, PostgresAdapter } from 'kysely';
import { precompile } from '../../db/precompiled.js';
import type { Database } from '../../db/schema.js';
import type { TicketRow } from '../tickets/repo.js';
import type { TicketReservationsTable } from './tables.js';

type Db = Kysely<Database>;

export interface GateRow {
  readonly id: string;
  readonly site_id: string;
  readonly zone_id: string;
  readonly direction: 'in' | 'out' | 'both';
  readonly active: number;
  readonly timezone: string;
  readonly settings_json: string | null;
}

const gateById = precompile<{ gateId: string }, GateRow>((db, p) =>
  db
    .selectFrom('gates')
    .innerJoin('sites', 'sites.id', 'gates.site_id')
    .leftJoin('gate_configs', 'gate_configs.gate_id', 'gates.id')
    .select([
      'gates.id',
      'gates.site_id',
      'gates.zone_id',
      'gates.direction',
      'gates.active',
      'sites.timezone',
      'gate_configs.settings_json',
    ])
    .where('gates.id', '=', p.gateId),
);

export function gateOf(db: Db, gateId: string): Promise<GateRow | undefined> {
  return gateById.first(db, { gateId });
}

// A code reissued to a newer ticket (e.g. a replaced card) belongs to the newest one. On PostgreSQL the row is locked
// (FOR UPDATE): validations of one ticket queue on it, and so do the passages and sales that change it (service.ts).
function locked<Q extends { forUpdate(): Q }>(db: Db, query: Q): Q {
  return db.getExecutor().adapter instanceof PostgresAdapter ? query.forUpdate() : query;
}

const ticketById = precompile<{ siteId: string; id: number }, TicketRow>((db, p) =>
  locked(db, db.selectFrom('tickets').selectAll().where('site_id', '=', p.siteId).where('id', '=', p.id)),
);
/** The site's newest ticket whose `column` holds the scanned code. */
function ticketByCode(column: 'barcode' | 'card_uid') {
  return precompile<{ siteId: string; code: string }, TicketRow>((db, p) =>
    locked(
      db,
      db
        .selectFrom('tickets')
        .selectAll()
        .where('site_id', '=', p.siteId)
        .where(column, '=', p.code)
        .orderBy('created_at', 'desc')
        .limit(1),
    ),
  );
}
const ticketByBarcode = ticketByCode('barcode');
const ticketByCard = ticketByCode('card_uid');

/** The site's ticket a scanned credential points at; on PostgreSQL locked until the transaction ends. */
export function ticketFor(db: Db, siteId: string, credential: CredentialRef): Promise<TicketRow | undefined> {
  if (credential.kind === 'qr') return ticketById.first(db, { siteId, id: credential.ticketId });
  if (credential.kind === 'barcode') return ticketByBarcode.first(db, { siteId, code: credential.barcode });
  return ticketByCard.first(db, { siteId, code: credential.cardUid });
}

const typeHead = precompile<{ typeId: number }, { site_id: string; current_version: number; active: number }>(
  (db, p) =>
    db.selectFrom('ticket_types').select(['site_id', 'current_version', 'active']).where('id', '=', p.typeId),
);

/** The type's site, current version and whether it is active; undefined for an unknown type. */
export function typeHeadOf(db: Db, typeId: number) {
  return typeHead.first(db, { typeId });
}

const passages = precompile<
  { ticketId: number; since: number },
  { at: number; direction: Direction; gate_id: string }
>((db, p) =>
  db
    .selectFrom('passage_events')
    .select(['at', 'direction', 'gate_id'])
    .where('ticket_id', '=', p.ticketId)
    .where('kind', '=', 'passage')
    .where('at', '>=', p.since),
);

/** The ticket's passages since `since` (anti-passback, per-day limits). */
export async function passagesSince(db: Db, ticketId: number, since: number): Promise<PassageRecord[]> {
  const rows = await passages.rows(db, { ticketId, since });
  return rows.map((row) => ({ at: Number(row.at), direction: row.direction, gateId: row.gate_id }));
}

const open = precompile<
  { ticketId: number; now: number },
  { gate_id: string; direction: Direction; consumes: number; at: number }
>((db, p) =>
  db
    .selectFrom('ticket_reservations')
    .select(['gate_id', 'direction', 'consumes', 'at'])
    .where('ticket_id', '=', p.ticketId)
    .where('confirmed_at', 'is', null)
    .where('expires_at', '>', p.now),
);

/** Reservations not yet confirmed by a passage and not lapsed at `now`. */
export function openReservations(db: Db, ticketId: number, now: number) {
  return open.rows(db, { ticketId, now });
}

type NewReservation = Omit<TicketReservationsTable, 'confirmed_at' | 'event_id' | 'direction'> & {
  direction: Direction;
};

const insert = precompile<NewReservation, never>((db, p) =>
  db.insertInto('ticket_reservations').values({
    gate_id: p.gate_id,
    correlation_id: p.correlation_id,
    site_id: p.site_id,
    ticket_id: p.ticket_id,
    direction: p.direction,
    consumes: p.consumes,
    at: p.at,
    expires_at: p.expires_at,
    confirmed_at: null,
    event_id: null,
  }),
);

export async function insertReservation(db: Db, reservation: NewReservation): Promise<void> {
  await insert.rows(db, reservation);
}

const lapsedBound = precompile<{ before: number; offset: number }, { expires_at: number }>((db, p) =>
  db
    .selectFrom('ticket_reservations')
    .select('expires_at')
    .where('expires_at', '<', p.before)
    .orderBy('expires_at')
    .limit(1)
    .offset(p.offset),
);
const deleteLapsed = precompile<{ upto: number }, never>((db, p) =>
  db.deleteFrom('ticket_reservations').where('expires_at', '<=', p.upto),
);

/**
 * Deletes about `batch` of the reservations that lapsed before `before` (confirmed ones are history too: the passage
 * event keeps what happened), oldest first, through the expiry index; returns how many went.
 */
export async function pruneReservations(db: Db, before: number, batch: number): Promise<number> {
  const bound = await lapsedBound.first(db, { before, offset: batch - 1 });
  // Fewer than `batch` lapsed: all of them go.
  return deleteLapsed.changed(db, { upto: bound ? Number(bound.expires_at) : before - 1 });
}
