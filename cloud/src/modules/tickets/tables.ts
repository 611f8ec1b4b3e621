/**
 * Table types for tickets and the whitelist feed (migration 20261125_183100); part of db/schema.ts. The tickets module
 * owns them: the feed is the tickets' change log, appended in the transaction of each change.
 */

import type { CredentialStatus } from '@scenic/protocol';
import { ownedTables } from '../../db/scoped.js';

export interface TicketTables {
  tickets: TicketsTable;
  whitelist_heads: WhitelistHeadsTable;
  whitelist_feed: WhitelistFeedTable;
}

/** The only way to query these tables (db/scoped.ts). */
export const ticketTables = ownedTables<keyof TicketTables>();
export type TicketDb = ReturnType<typeof ticketTables>;

export interface TicketsTable {
  /** The ticket id in the QR code, 1 … 2^40−1, drawn at random. */
  id: number;
  site_id: string;
  type_id: number;
  type_version: number;
  sale_id: string | null;
  sale_line: number | null;
  status: CredentialStatus;
  /** Venue-local visit day (days since 1970-01-01). */
  visit_day: number;
  valid_from: number;
  /** Exclusive. */
  valid_to: number;
  /** null = unlimited (passes). */
  entries_total: number | null;
  entries_used: number;
  persons: number;
  slot_id: string | null;
  slot_start: number | null;
  slot_end: number | null;
  holder_name: string | null;
  /** e.g. 1101**********1234 */
  holder_id_masked: string | null;
  /** HMAC-SHA256 of the ID number under a key derived from the master secret; for per-ID limits. */
  holder_id_hash: string | null;
  /** The holder's birth date as a day number, for pricing a move or upgrade by age (migration 20261210_140100). */
  holder_birth_day: number | null;
  barcode: string | null;
  card_uid: string | null;
  /** Validity from the first entry (migration 20261212_150000): the latest activation, exclusive; null = fixed window. */
  activate_by: number | null;
  activation_unit: 'day' | 'month' | null;
  activation_count: number | null;
  /** The earliest entry a gate reported, for first-use tickets. */
  first_entry_at: number | null;
  /** Visit days (migration 20261212_150001): JSON array of the local days entered on, ascending; null = none. */
  visit_days: string | null;
  /** The first entry of the latest visit day. */
  last_visit_at: number | null;
  /** Same-day re-entry (migration 20261212_150002): the latest entry and exit. */
  last_entry_at: number | null;
  last_exit_at: number | null;
  /**
   * When the ticket was refunded, revoked or blacklisted (migration 20261213_110001), cloud clock; null while it is
   * not: a passage decided offline before that instant was a valid entry, one after it a conflict.
   */
  ended_at: number | null;
  qr_text: string | null;
  key_id: number | null;
  /** protocol QR_FLAGS. */
  flags: number;
  price_fen: number;
  created_at: number;
  updated_at: number;
}

export interface WhitelistHeadsTable {
  site_id: string;
  /** The last version written to the site's feed; 0 before the first change. */
  version: number;
}

export interface WhitelistFeedTable {
  site_id: string;
  version: number;
  ticket_id: number;
  op: 'issue' | 'activate' | 'use' | 'refund' | 'revoke' | 'update';
  /** protocol credentialRecordSchema JSON: the whole record after the change. */
  record_json: string;
  at: number;
}
