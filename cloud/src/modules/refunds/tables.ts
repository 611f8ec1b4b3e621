/**
 * Table types for refunds, their tickets and payments (migrations 20261125_187000, 20261126_110000); part of
 * db/schema.ts.
 */

import type { Generated } from 'kysely';
import { ownedTables } from '../../db/scoped.js';
import type { PaymentMethod } from '../sales/schemas.js';

export interface RefundTables {
  refunds: RefundsTable;
  refund_tickets: RefundTicketsTable;
  refund_payments: RefundPaymentsTable;
}

/** The only way to query these tables (db/scoped.ts). */
export const refundTables = ownedTables<keyof RefundTables>();
export type RefundDb = ReturnType<typeof refundTables>;

export interface RefundsTable {
  id: string;
  site_id: string;
  sale_id: string;
  cashier_id: string;
  cashier_username: string;
  idempotency_key: string;
  /** SHA-256 of the canonical request body without the approver's password: a replay must match it. */
  request_hash: string;
  /** Money handed back: the sum of the tickets' amounts and of the payments. */
  amount_fen: number;
  fee_fen: number;
  reason: string | null;
  /** The second operator who approved a refund above the threshold; null below it. */
  approved_by_id: string | null;
  approved_by_username: string | null;
  created_at: number;
}

export interface RefundTicketsTable {
  refund_id: string;
  ticket_id: number;
  /** What the ticket cost. */
  price_fen: number;
  /** Entries used when refunded (count cards refund the unused share). */
  entries_used: number;
  entries_total: number | null;
  /** Refundable before the fee. */
  gross_fen: number;
  fee_fen: number;
  amount_fen: number;
  /** Of amount_fen, what returns money taken by upgrade supplements (补票) of the ticket; the rest is the sale's. */
  supplement_fen: Generated<number>;
}

export interface RefundPaymentsTable {
  refund_id: string;
  seq: number;
  method: PaymentMethod;
  amount_fen: number;
  /** Of amount_fen, what returns supplement payments made by this method; the rest returns the sale's. */
  supplement_fen: Generated<number>;
}
