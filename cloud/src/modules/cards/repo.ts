/** The cards module's SQL (it owns cards, card_events, card_returns, card_deposit_rates). */
import type { Insertable, Updateable } from 'kysely';
import { keyLookup } from '../../db/idempotency.js';
import type { Connection } from '../../db/scoped.js';
import { ALL_SITES, type SiteScope, siteCondition } from '../../platform/site-scope.js';
import {
  type CardEventRow,
  type CardEventsTable,
  type CardReturnsTable,
  type CardStatus,
  type CardsTable,
  cardTables,
} from './tables.js';

export type CardRow = CardsTable;
export type { CardEventRow };

/** The card, if it exists and its site is in `scope`. */
export function findCard(
  db: Connection,
  uid: string,
  scope: SiteScope = ALL_SITES,
): Promise<CardRow | undefined> {
  return cardTables(db)
    .selectFrom('cards')
    .selectAll()
    .where('uid', '=', uid)
    .where(siteCondition(scope, 'site_id'))
    .executeTakeFirst();
}

export function historyOf(db: Connection, uid: string): Promise<CardEventRow[]> {
  return cardTables(db).selectFrom('card_events').selectAll().where('uid', '=', uid).orderBy('id').execute();
}

export async function appendEvent(db: Connection, event: Insertable<CardEventsTable>): Promise<void> {
  await cardTables(db).insertInto('card_events').values(event).execute();
}

/**
 * Changes the card only while it is still in one of `from` (and, when given, bound to `ticketId`): one conditional
 * UPDATE, so of two parallel changes of one card exactly one finds it as it was read. True when it changed.
 */
export async function changeCard(
  db: Connection,
  uid: string,
  from: readonly CardStatus[],
  patch: Updateable<CardsTable>,
  extra: { readonly ticketId?: number; readonly notReplaced?: true } = {},
): Promise<boolean> {
  let query = cardTables(db)
    .updateTable('cards')
    .set(patch)
    .where('uid', '=', uid)
    .where('status', 'in', from);
  if (extra.ticketId !== undefined) query = query.where('ticket_id', '=', extra.ticketId);
  if (extra.notReplaced) query = query.where('replaced_by', 'is', null);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Issues the card: a new row, or the existing one when it is not lost or blocked. False when the card is lost or
 * blocked (the caller refused those before; this keeps a parallel report from being overwritten).
 */
export async function issueCard(
  db: Connection,
  card: Omit<CardRow, 'replaced_by' | 'status'>,
): Promise<boolean> {
  const changed = await changeCard(db, card.uid, ['in_stock', 'issued', 'returned', 'recycled'], {
    status: 'issued',
    site_id: card.site_id,
    ticket_id: card.ticket_id,
    deposit_fen: card.deposit_fen,
    replaced_by: null,
    updated_at: card.updated_at,
  });
  if (changed) return true;
  if (await findCard(db, card.uid)) return false;
  await cardTables(db)
    .insertInto('cards')
    .values({ ...card, status: 'issued', replaced_by: null })
    .execute();
  return true;
}

export async function depositRate(db: Connection, siteId: string): Promise<number> {
  const row = await cardTables(db)
    .selectFrom('card_deposit_rates')
    .select('deposit_fen')
    .where('site_id', '=', siteId)
    .executeTakeFirst();
  return row ? Number(row.deposit_fen) : 0;
}

export async function setDepositRate(db: Connection, siteId: string, depositFen: number, at: number) {
  await cardTables(db)
    .insertInto('card_deposit_rates')
    .values({ site_id: siteId, deposit_fen: depositFen, updated_at: at })
    .onConflict((oc) => oc.column('site_id').doUpdateSet({ deposit_fen: depositFen, updated_at: at }))
    .execute();
}

/** The return that answered a cashier's Idempotency-Key (db/idempotency.ts). */
export const returnByIdempotencyKey = keyLookup(cardTables, 'card_returns');

export async function insertReturn(db: Connection, row: Insertable<CardReturnsTable>): Promise<void> {
  await cardTables(db).insertInto('card_returns').values(row).execute();
}

export function findReturn(db: Connection, id: string): Promise<CardReturnsTable | undefined> {
  return cardTables(db).selectFrom('card_returns').selectAll().where('id', '=', id).executeTakeFirst();
}
