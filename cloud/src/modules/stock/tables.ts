/** Table types for ticket stock: batches, codes and the movements ledger (migration 20261125_184000). */

import type { Generated } from 'kysely';
import { ownedTables } from '../../db/scoped.js';

export interface StockTables {
  stock_batches: StockBatchesTable;
  stock_codes: StockCodesTable;
  stock_movements: StockMovementsTable;
}

/** The only way to query these tables (db/scoped.ts). */
export const stockTables = ownedTables<keyof StockTables>();
export type StockDb = ReturnType<typeof stockTables>;

export type StockBatchSource = 'generated' | 'imported';
export type StockState = 'in_warehouse' | 'issued' | 'sold' | 'voided';
export type StockMovementKind = 'import' | 'issue' | 'return' | 'sell' | 'void';

/** One print run (generated) or one imported list of pre-printed codes. */
export interface StockBatchesTable {
  id: Generated<number>;
  site_id: string;
  ticket_type_id: number;
  count: number;
  source: StockBatchSource;
  note: string | null;
  /** Operator id; null when the system created it. */
  created_by: string | null;
  created_by_username: string;
  created_at: number;
}

/** One pre-printed code: unique installation-wide. */
export interface StockCodesTable {
  code: string;
  batch_id: number;
  /** 1…count within the batch. */
  seq: number;
  site_id: string;
  ticket_type_id: number;
  state: StockState;
  /** The cashier holding it, exactly while issued. */
  holder_id: string | null;
  /** The ticket it was sold as, exactly once sold (no foreign key). */
  ticket_id: string | null;
  state_changed_at: number;
}

/** Append-only: one row per change of a code's state or holder. */
export interface StockMovementsTable {
  id: Generated<number>;
  code: string;
  batch_id: number;
  kind: StockMovementKind;
  /** Null for the import that creates the code. */
  from_state: StockState | null;
  to_state: StockState;
  from_holder: string | null;
  to_holder: string | null;
  ticket_id: string | null;
  reason: string | null;
  operator_id: string | null;
  operator_username: string;
  at: number;
}
