/**
 * The online-validation module's SQL: its reservations (it owns ticket_reservations), the gate as validation sees it,
 * and pruning of lapsed reservations; the ticket, its passages and the type's current version are the tickets,
 * passages and ticket-types modules' reads. Everything a validation runs is precompiled: the request path is a
 * handful of point queries, and building them with Kysely each time cost more than running them.
 */
import type { Direction } from '@scenic/protocol';
import { type Connection, readModel } from '../../db/scoped.js';
import { reservationTables, type TicketReservationsTable } from './tables.js';

type Db = Connection;

export interface GateRow {
  readonly id: string;
  readonly site_id: string;
  readonly zone_id: string;
  readonly direction: 'in' | 'out' | 'both';
  readonly active: number;
  readonly timezone: string;
  /** The site's automatic check-out, "HH:MM"; null = none. */
  readonly auto_checkout_at: string | null;
  readonly settings_json: string | null;
}

/**
 * Read model: the gate (venues), its site's time zone (venues) and its settings (gate-config) in one statement, as
 * the first read of every validation; split per owner it would cost two more round trips on PostgreSQL.
 */
const gateForValidation = readModel<'gates' | 'sites' | 'gate_configs'>();

const gateById = gateForValidation.precompile<{ gateId: string }, GateRow>((db, p) =>
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
      'sites.auto_checkout_at',
      'gate_configs.settings_json',
    ])
    .where('gates.id', '=', p.gateId),
);

export function gateOf(db: Db, gateId: string): Promise<GateRow | undefined> {
  return gateById.first(db, { gateId });
}

/** Reads of other owners this module runs inside its transaction (same statements as before, now the owners'). */
export { passagesSince } from '../passages/reads.js';
export { typeHeadOf } from '../ticket-types/reads.js';
export { lockedTicketFor as ticketFor } from '../tickets/reads.js';

export interface ReservationRow {
  readonly gate_id: string;
  readonly correlation_id: string;
  readonly direction: Direction;
  readonly consumes: number;
  readonly at: number;
  readonly confirmed_at: number | null;
  readonly entries_left: number | null;
}

const open = reservationTables.precompile<
  { ticketId: number; now: number; gateId: string; correlationId: string },
  ReservationRow
>((db, p) =>
  db
    .selectFrom('ticket_reservations')
    .select(['gate_id', 'correlation_id', 'direction', 'consumes', 'at', 'confirmed_at', 'entries_left'])
    .where('ticket_id', '=', p.ticketId)
    .where((eb) =>
      eb.or([
        eb.and([eb('confirmed_at', 'is', null), eb('expires_at', '>', p.now)]),
        eb.and([eb('gate_id', '=', p.gateId), eb('correlation_id', '=', p.correlationId)]),
      ]),
    ),
);

/**
 * Reservations not yet confirmed by a passage and not lapsed at `now` — and, in the same statement, the one this
 * request may already have (gate and correlationId), whatever its state: a repeated request is answered from it.
 */
export function openReservations(
  db: Db,
  ticketId: number,
  now: number,
  gateId: string,
  correlationId: string,
) {
  return open.rows(db, { ticketId, now, gateId, correlationId });
}

type NewReservation = Omit<TicketReservationsTable, 'confirmed_at' | 'event_id' | 'direction'> & {
  direction: Direction;
};

const insert = reservationTables.precompile<NewReservation, never>((db, p) =>
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
    entries_left: p.entries_left,
  }),
);

export async function insertReservation(db: Db, reservation: NewReservation): Promise<void> {
  await insert.rows(db, reservation);
}

const lapsedBound = reservationTables.precompile<{ before: number; offset: number }, { expires_at: number }>(
  (db, p) =>
    db
      .selectFrom('ticket_reservations')
      .select('expires_at')
      .where('expires_at', '<', p.before)
      .orderBy('expires_at')
      .limit(1)
      .offset(p.offset),
);
const deleteLapsed = reservationTables.precompile<{ upto: number }, never>((db, p) =>
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
