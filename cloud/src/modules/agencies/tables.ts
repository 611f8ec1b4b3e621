/** Table types for agencies, their authorised types and ledger (migration 20261210_100000); part of db/schema.ts. */

import { ownedTables } from '../../db/scoped.js';
export interface AgencyTables {
  agencies: AgenciesTable;
  agency_types: AgencyTypesTable;
  agency_type_dated_prices: AgencyTypeDatedPricesTable;
  agency_ledger: AgencyLedgerTable;
  agency_operators: AgencyOperatorsTable;
}

/** The only way to query these tables (db/scoped.ts). */
export const agencyTables = ownedTables<keyof AgencyTables>();
export type AgencyDb = ReturnType<typeof agencyTables>;

export interface AgenciesTable {
  id: string;
  name: string;
  licence_no: string;
  /** JSON array of { name, phone, email? }. */
  contacts_json: string;
  /** 'active' | 'suspended'. */
  status: string;
  /** AgencyPaymentMode: 'prepaid' | 'credit' | 'window'. */
  payment_mode: string;
  /** How far below zero a credit agency's balance may go; 0 for the other modes' purposes. */
  credit_limit_fen: number;
  /** Changed only together with ledger_seq by one conditional UPDATE (repo.ts `move`). */
  balance_fen: number;
  /** The seq of the agency's last ledger entry (0: none yet). */
  ledger_seq: number;
  /** The time of the last ledger entry: later entries never carry an earlier time. */
  last_entry_at: number;
  created_at: number;
  updated_at: number;
}

/** A ticket type the agency may sell, with its default settlement price. */
export interface AgencyTypesTable {
  agency_id: string;
  type_id: number;
  price_fen: number;
  created_at: number;
  updated_at: number;
}

/** A settlement price for venue-local days [from_day, to_day] (day numbers), over the type's default. */
export interface AgencyTypeDatedPricesTable {
  agency_id: string;
  type_id: number;
  from_day: number;
  to_day: number;
  price_fen: number;
}

/** Append-only: one row per change of an agency's balance. */
export interface AgencyLedgerTable {
  agency_id: string;
  /** 1, 2, 3 … per agency, without gaps. */
  seq: number;
  at: number;
  /** LedgerKind. */
  kind: string;
  /** Signed: what the entry added to the balance. */
  amount_fen: number;
  balance_after_fen: number;
  order_id: string | null;
  note: string | null;
  actor_id: string | null;
  actor_username: string | null;
}

export interface AgencyOperatorsTable {
  operator_id: string;
  agency_id: string;
  created_at: number;
}
