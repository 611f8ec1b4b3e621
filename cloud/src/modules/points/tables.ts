/** Table types for points rules, accounts and the ledger (migration 20261210_110100); part of db/schema.ts. */
import type { Generated } from 'kysely';
import { ownedTables } from '../../db/scoped.js';

export interface PointsTables {
  points_rules: PointsRulesTable;
  points_accounts: PointsAccountsTable;
  points_ledger: PointsLedgerTable;
}

/** The only way to query these tables (db/scoped.ts). */
export const pointsTables = ownedTables<keyof PointsTables>();
export type PointsDb = ReturnType<typeof pointsTables>;

export type PointsExpiry = 'never' | 'days' | 'year_after';
export type LedgerKind =
  | 'accrual'
  | 'reversal'
  | 'redemption'
  | 'redemption_reversal'
  | 'adjustment'
  | 'expiry';

export interface PointsRulesTable {
  site_id: string;
  enabled: number;
  /** Points per yuan paid (not counting what points paid). */
  points_per_yuan: number;
  /** JSON object: ticket type id → points per yuan for that type. */
  type_rates: string;
  /** 1000 = ×1; applied to members' accruals. */
  member_multiplier_permille: number;
  /** JSON array of { from, to (YYYY-MM-DD, inclusive, venue-local), permille }. */
  date_multipliers: string;
  /** How many points pay one yuan at the window; null: points cannot pay. */
  redeem_points_per_yuan: number | null;
  expiry: PointsExpiry;
  expiry_days: number | null;
  updated_at: number;
}

export interface PointsAccountsTable {
  customer_id: string;
  site_id: string;
  /** May go below zero only through a reversal (points owed); never through a redemption. */
  balance: number;
  updated_at: number;
}

export interface PointsLedgerTable {
  id: Generated<number>;
  customer_id: string;
  site_id: string;
  kind: LedgerKind;
  /** Signed: positive adds to the balance. */
  points: number;
  balance_after: number;
  sale_id: string | null;
  refund_id: string | null;
  /** Redemption (and its reversal): the fen the points paid. */
  fen: number | null;
  /** Accrual: the fen the points were earned on; reversal: the refunded tickets' price it reverses. */
  basis_fen: number | null;
  /** Accrual and positive adjustment (a lot): its points not yet spent or expired. */
  remaining: Generated<number>;
  /** When the lot's remaining points expire; null: never. */
  expires_at: number | null;
  /** Expiry: the lot it expired. */
  lot_id: number | null;
  reason: string | null;
  operator_id: string | null;
  operator_username: string | null;
  created_at: number;
}
