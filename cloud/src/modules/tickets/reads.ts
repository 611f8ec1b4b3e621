/**
 * What other modules may read of the tickets (online validation, the lookup, supplements): statements of the tickets
 * module, typed on its tables only, run on any connection or transaction (db/scoped.ts). Changes go through
 * TicketsService.
 */

import type { CredentialRef } from '@scenic/protocol';
import { PostgresAdapter } from 'kysely';
import type { Connection } from '../../db/scoped.js';
import { ALL_SITES, type SiteScope, siteCondition } from '../../platform/site-scope.js';
import type { TicketRow } from './repo.js';
import { type TicketDb, ticketTables } from './tables.js';

export { recordOf, type TicketRow, ticketView, visitDaysOf } from './repo.js';

/** The ticket, if it exists and its site is in `scope`. */
export function findTicketRow(
  db: Connection,
  id: number,
  scope: SiteScope = ALL_SITES,
): Promise<TicketRow | undefined> {
  return ticketTables(db)
    .selectFrom('tickets')
    .selectAll()
    .where('id', '=', id)
    .where(siteCondition(scope, 'site_id'))
    .executeTakeFirst();
}

const MAX_TICKETS = 50;

/** Newest first, at most 50: the tickets whose barcode, card or holder's ID hash is `value`. */
export async function ticketIdsBy(
  db: Connection,
  column: 'barcode' | 'card_uid' | 'holder_id_hash',
  value: string,
  scope: SiteScope = ALL_SITES,
): Promise<number[]> {
  const rows = await ticketTables(db)
    .selectFrom('tickets')
    .select('id')
    .where(column, '=', value)
    .where(siteCondition(scope, 'site_id'))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(MAX_TICKETS)
    .execute();
  return rows.map((row) => row.id);
}

// Online validation's ticket read, on its hot path: precompiled. A code reissued to a newer ticket (e.g. a replaced
// card) belongs to the newest one. On PostgreSQL the row is locked (FOR UPDATE): validations of one ticket queue on
// it, and so do the passages and sales that change it.
function locked<Q extends { forUpdate(): Q }>(db: TicketDb, query: Q): Q {
  return db.getExecutor().adapter instanceof PostgresAdapter ? query.forUpdate() : query;
}

const ticketById = ticketTables.precompile<{ siteId: string; id: number }, TicketRow>((db, p) =>
  locked(db, db.selectFrom('tickets').selectAll().where('site_id', '=', p.siteId).where('id', '=', p.id)),
);
/** The site's newest ticket whose `column` holds the scanned code. */
function ticketByCode(column: 'barcode' | 'card_uid') {
  return ticketTables.precompile<{ siteId: string; code: string }, TicketRow>((db, p) =>
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
export function lockedTicketFor(
  db: Connection,
  siteId: string,
  credential: CredentialRef,
): Promise<TicketRow | undefined> {
  if (credential.kind === 'qr') return ticketById.first(db, { siteId, id: credential.ticketId });
  if (credential.kind === 'barcode') return ticketByBarcode.first(db, { siteId, code: credential.barcode });
  return ticketByCard.first(db, { siteId, code: credential.cardUid });
}

/**
 * A live ticket already bound to this card (any site: a card is one physical thing), if any: active, not yet expired
 * and with entries left. A used, refunded, revoked or expired ticket frees its card for a new one. Read inside the
 * binding sale's transaction: SQLite runs writers one at a time and PostgreSQL's SERIALIZABLE aborts one of two sales
 * that both found the card free, so two parallel sales never bind the same card.
 */
export async function liveTicketWithCard(
  db: Connection,
  cardUid: string,
  now: number,
): Promise<number | undefined> {
  const row = await ticketTables(db)
    .selectFrom('tickets')
    .select('id')
    .where('card_uid', '=', cardUid)
    .where('status', '=', 'active')
    .where('valid_to', '>', now)
    .where((eb) => eb.or([eb('entries_total', 'is', null), eb('entries_used', '<', eb.ref('entries_total'))]))
    .limit(1)
    .executeTakeFirst();
  return row?.id;
}

/** Ids per `in (…)` list: well within both engines' bounds on bound parameters. */
const IN_LIST_CHUNK = 500;

/** The ids of the tickets these sales issued (a customer's visits). */
export async function ticketIdsOfSales(db: Connection, saleIds: readonly string[]): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < saleIds.length; i += IN_LIST_CHUNK) {
    const rows = await ticketTables(db)
      .selectFrom('tickets')
      .select('id')
      .where('sale_id', 'in', saleIds.slice(i, i + IN_LIST_CHUNK))
      .execute();
    for (const row of rows) ids.push(row.id);
  }
  return ids;
}
