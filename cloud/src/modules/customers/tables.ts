/** Table types for customers and their member cards (migration 20261210_110000); part of db/schema.ts. */
import { ownedTables } from '../../db/scoped.js';

export interface CustomerTables {
  customers: CustomersTable;
  member_cards: MemberCardsTable;
}

/** The only way to query these tables (db/scoped.ts). */
export const customerTables = ownedTables<keyof CustomerTables>();
export type CustomerDb = ReturnType<typeof customerTables>;

export type CustomerKind = 'individual' | 'member';
export type MemberCardStatus = 'active' | 'blocked' | 'replaced';

export interface CustomersTable {
  id: string;
  /** The site the customer is registered at (per-site access, points rules). */
  site_id: string;
  kind: CustomerKind;
  name: string;
  /** Digits only (a leading +86 dropped); unique per site. */
  phone: string | null;
  /** The ID number as screens show it (platform/identity maskResidentId). */
  id_masked: string | null;
  /** Keyed hash of the normalised ID number (CredentialSecrets.idHash, as tickets store holders'); unique per site. */
  id_hash: string | null;
  /** JSON array of strings. */
  tags: string;
  note: string | null;
  created_at: number;
  updated_at: number;
}

export interface MemberCardsTable {
  id: string;
  customer_id: string;
  site_id: string;
  /** Normalised by the protocol's checkCardUid; unique among active cards. */
  card_uid: string;
  status: MemberCardStatus;
  created_at: number;
  ended_at: number | null;
}
