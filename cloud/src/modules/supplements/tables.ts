/**
 * Table types for supplementary tickets, their payments and fee rates (migrations 20261125_187100, 20261126_110100,
 * 20261126_110200, 20261208_100100); part of db/schema.ts.
 */
import { ownedTables } from '../../db/scoped.js';
import type { MoneyMethod } from '../sales/schemas.js';

export interface SupplementTables {
  supplements: SupplementsTable;
  supplement_payments: SupplementPaymentsTable;
  supplement_fee_rates: SupplementFeeRatesTable;
}

/** The only way to query these tables (db/scoped.ts). */
export const supplementTables = ownedTables<keyof SupplementTables>();
export type SupplementDb = ReturnType<typeof supplementTables>;

export type SupplementKind = 'upgrade' | 'fee' | 'reissue';
export type FeeReason = 'overstay' | 'reentry';

export interface SupplementsTable {
  id: string;
  site_id: string;
  kind: SupplementKind;
  /** The ticket the supplement concerns (revoked by an upgrade or reissue). */
  ticket_id: number;
  /** The ticket an upgrade or reissue issued in its place. */
  new_ticket_id: number | null;
  /** The sale of the ticket it concerns (the new ticket stays on it): the second-approval threshold sums per sale. */
  sale_id: string | null;
  /** Fees: `overstay`, `reentry` or `other`. */
  reason: string | null;
  note: string | null;
  /** Charged: the price difference, the fee or the reissue fee. */
  amount_fen: number;
  paid_fen: number;
  change_fen: number;
  cashier_id: string;
  cashier_username: string;
  idempotency_key: string;
  request_hash: string;
  /** The second operator who approved a supplement above the threshold; null below it. */
  approved_by_id: string | null;
  approved_by_username: string | null;
  created_at: number;
}

export interface SupplementPaymentsTable {
  supplement_id: string;
  seq: number;
  method: MoneyMethod;
  amount_fen: number;
}

export interface SupplementFeeRatesTable {
  type_id: number;
  reason: FeeReason;
  amount_fen: number;
  updated_at: number;
}
