/** Table types for sales, their lines and payments (migration 20261125_183200); part of db/schema.ts. */

import { ownedTables } from '../../db/scoped.js';
import type { PaymentMethod } from './schemas.js';
export interface SaleTables {
  sales: SalesTable;
  sale_lines: SaleLinesTable;
  sale_payments: SalePaymentsTable;
}

/** The only way to query these tables (db/scoped.ts). */
export const saleTables = ownedTables<keyof SaleTables>();
export type SaleDb = ReturnType<typeof saleTables>;

export interface SalesTable {
  id: string;
  site_id: string;
  window_id: string | null;
  channel: string;
  cashier_id: string;
  cashier_username: string;
  idempotency_key: string;
  /** SHA-256 of the canonical request body: a replay must match it. */
  request_hash: string;
  total_fen: number;
  paid_fen: number;
  /** Cash handed back; paid = total + change. */
  change_fen: number;
  ticket_count: number;
  persons: number;
  created_at: number;
  /** The customer the sale was made for (migration 20261210_110200); their points accrue on it. */
  customer_id: string | null;
}

export interface SaleLinesTable {
  sale_id: string;
  line_no: number;
  type_id: number;
  type_version: number;
  visit_day: number;
  slot_id: string | null;
  quantity: number;
  /** Persons per ticket (group tickets); 1 otherwise. */
  persons: number;
  amount_fen: number;
}

export interface SalePaymentsTable {
  sale_id: string;
  seq: number;
  method: PaymentMethod;
  amount_fen: number;
}
