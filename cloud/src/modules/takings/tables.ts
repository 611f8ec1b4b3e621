/** Table types for the takings journal and its day rollups (migration 20261212_100000); part of db/schema.ts. */
import type { Generated } from 'kysely';
import { ownedTables } from '../../db/scoped.js';
import type { TakingMethod, TakingSource } from './contract.js';

export interface TakingTables {
  takings: TakingsTable;
  taking_payments: TakingPaymentsTable;
  taking_items: TakingItemsTable;
  takings_day_money: TakingsDayMoneyTable;
  takings_day_items: TakingsDayItemsTable;
}

/** The only way to query these tables (db/scoped.ts). */
export const takingTables = ownedTables<keyof TakingTables>();
export type TakingDb = ReturnType<typeof takingTables>;

/** One money or ticket movement (the journal's header). Append-only: a correction is another taking. */
export interface TakingsTable {
  id: Generated<number>;
  source: TakingSource;
  source_id: string;
  site_id: string;
  day: number;
  at: number;
  channel: string;
  window_id: string | null;
  cashier_id: string | null;
  /** The cashier's open shift at that window when the money moved (交接班); null outside a shift. */
  shift_id: string | null;
  agency_id: string | null;
  /** Sum of the payments, signed fen. */
  amount_fen: number;
  tickets: number;
  persons: number;
}

export interface TakingPaymentsTable {
  taking_id: number;
  method: TakingMethod;
  amount_fen: number;
}

export interface TakingItemsTable {
  taking_id: number;
  type_id: number;
  tickets: number;
  persons: number;
  amount_fen: number;
}

/**
 * Money per day and every dimension a settlement groups by, kept in the taking's transaction. Absent dimensions are
 * stored as '' (not NULL) so that one primary key, and one upsert, covers every row.
 */
export interface TakingsDayMoneyTable {
  site_id: string;
  day: number;
  source: TakingSource;
  channel: string;
  method: TakingMethod;
  window_id: string;
  cashier_id: string;
  agency_id: string;
  /** How many takings had a payment by this method. */
  payments: number;
  amount_fen: number;
}

/** Tickets, persons and their money per day, type and the same dimensions as the money rollup. */
export interface TakingsDayItemsTable {
  site_id: string;
  day: number;
  source: TakingSource;
  channel: string;
  type_id: number;
  window_id: string;
  cashier_id: string;
  agency_id: string;
  tickets: number;
  persons: number;
  amount_fen: number;
}
