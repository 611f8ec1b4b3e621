/** Table types for IC cards and wristbands (migration 20261213_120000); part of db/schema.ts. */
import type { Generated, Selectable } from 'kysely';
import { ownedTables } from '../../db/scoped.js';

export interface CardTables {
  cards: CardsTable;
  card_events: CardEventsTable;
  card_returns: CardReturnsTable;
  card_deposit_rates: CardDepositRatesTable;
}

/** The only way to query these tables (db/scoped.ts). */
export const cardTables = ownedTables<keyof CardTables>();
export type CardDb = ReturnType<typeof cardTables>;

export const CARD_STATUSES = ['in_stock', 'issued', 'lost', 'blocked', 'returned', 'recycled'] as const;
export type CardStatus = (typeof CARD_STATUSES)[number];

export const CARD_ACTIONS = ['issue', 'lost', 'blocked', 'replace', 'return', 'recycle'] as const;
export type CardAction = (typeof CARD_ACTIONS)[number];

export interface CardsTable {
  /** The normalised UID (protocol checkCardUid). */
  uid: string;
  /** The site the card was last issued at. */
  site_id: string;
  status: CardStatus;
  /**
   * The ticket the card is (or, lost or blocked, was last) bound to. Only an `issued` card is bound at the gates
   * (tickets.card_uid); a lost one keeps the id so its replacement finds the entitlement.
   */
  ticket_id: number | null;
  /** The deposit the card holds, fen: refunded when it is returned at the window. */
  deposit_fen: number;
  /** The card issued in place of this lost or blocked one; at most one. */
  replaced_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface CardEventsTable {
  id: Generated<number>;
  uid: string;
  site_id: string;
  at: number;
  action: CardAction;
  ticket_id: number | null;
  /** Money this step moved, signed fen: a deposit charged positive, refunded negative; 0 for none. */
  deposit_fen: number;
  /** The operator; null for what a gate did (a recycler). */
  actor_id: string | null;
  /** The card replaced, or the replacement. */
  other_uid: string | null;
  /** The sale, the return or the passage event this step belongs to. */
  source_id: string | null;
}

export interface CardReturnsTable {
  id: string;
  uid: string;
  site_id: string;
  ticket_id: number;
  window_id: string;
  cashier_id: string;
  idempotency_key: string;
  request_hash: string;
  method: string;
  deposit_fen: number;
  at: number;
}

export interface CardDepositRatesTable {
  site_id: string;
  deposit_fen: number;
  updated_at: number;
}

export type CardEventRow = Selectable<CardEventsTable>;
