/** The online-validation module's SQL: the gate, the credential's ticket, its passages and open reservations. */
import type { CredentialRef, Direction, PassageRecord } from '@scenic/protocol';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { TicketRow } from '../tickets/repo.js';
import type { TicketReservationsTable } from '../tickets/reservation-tables.js';

type Db = Kysely<Database>;

export async function gateOf(db: Db, gateId: string) {
  return db
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
    .where('gates.id', '=', gateId)
    .executeTakeFirst();
}

/** The site's ticket a scanned credential points at. */
export async function ticketFor(
  db: Db,
  siteId: string,
  credential: CredentialRef,
): Promise<TicketRow | undefined> {
  let query = db.selectFrom('tickets').selectAll().where('site_id', '=', siteId);
  if (credential.kind === 'qr') query = query.where('id', '=', credential.ticketId);
  else if (credential.kind === 'barcode') query = query.where('barcode', '=', credential.barcode);
  else query = query.where('card_uid', '=', credential.cardUid);
  // A code reissued to a newer ticket (e.g. a replaced card) belongs to the newest one.
  return query.orderBy('created_at', 'desc').limit(1).executeTakeFirst();
}

/** The ticket's passages since `since` (anti-passback, per-day limits). */
export async function passagesSince(db: Db, ticketId: number, since: number): Promise<PassageRecord[]> {
  const rows = await db
    .selectFrom('passage_events')
    .select(['at', 'direction', 'gate_id'])
    .where('ticket_id', '=', ticketId)
    .where('kind', '=', 'passage')
    .where('at', '>=', since)
    .execute();
  return rows.map((row) => ({ at: Number(row.at), direction: row.direction, gateId: row.gate_id }));
}

/** Reservations not yet confirmed by a passage and not lapsed at `now`. */
export async function openReservations(db: Db, ticketId: number, now: number) {
  return db
    .selectFrom('ticket_reservations')
    .select(['gate_id', 'direction', 'consumes', 'at'])
    .where('ticket_id', '=', ticketId)
    .where('confirmed_at', 'is', null)
    .where('expires_at', '>', now)
    .execute();
}

export async function insertReservation(
  db: Db,
  reservation: Omit<TicketReservationsTable, 'confirmed_at' | 'event_id' | 'direction'> & {
    direction: Direction;
  },
): Promise<void> {
  await db
    .insertInto('ticket_reservations')
    .values({ ...reservation, confirmed_at: null, event_id: null })
    .execute();
}
