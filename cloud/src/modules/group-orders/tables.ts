/** Table types for group orders (migration 20261210_130000); part of db/schema.ts. */

import type { Generated } from 'kysely';
import { ownedTables } from '../../db/scoped.js';

/** states.ts is where states and their transitions are defined; the column holds one of these. */
export type OrderStateColumn = 'held' | 'confirmed' | 'picked_up' | 'closed' | 'cancelled' | 'expired';

export interface GroupOrderTables {
  group_orders: GroupOrdersTable;
  group_order_lines: GroupOrderLinesTable;
  group_order_visitors: GroupOrderVisitorsTable;
  group_order_payments: GroupOrderPaymentsTable;
  group_order_tickets: GroupOrderTicketsTable;
  group_order_transitions: GroupOrderTransitionsTable;
}

/** The only way to query these tables (db/scoped.ts). */
export const groupOrderTables = ownedTables<keyof GroupOrderTables>();
export type GroupOrderDb = ReturnType<typeof groupOrderTables>;

export interface GroupOrdersTable {
  id: string;
  site_id: string;
  agency_id: string | null;
  /** `agency:<id>`, or `operator:<id>` for an order without an agency: where the client's reference is unique. */
  reference_scope: string;
  reference: string;
  /** SHA-256 of the canonical create body: a replay must match it. */
  request_hash: string;
  /** Venue-local visit day (days since 1970-01-01). */
  visit_day: number;
  slot_id: string | null;
  /** The slot's times, as capacity answered when the places were taken (the tickets carry them). */
  slot_start: number | null;
  slot_end: number | null;
  /** Persons: the sum of the lines' quantities. */
  headcount: number;
  guide_name: string | null;
  guide_phone: string | null;
  state: OrderStateColumn;
  payment_mode: 'window' | 'prepaid' | 'credit';
  /** While held: when the hold lapses (the expiry sweep releases it). */
  hold_expires_at: number | null;
  /** With real-name lines: the visitor list is due (and frozen) at this instant. */
  visitors_due_at: number | null;
  total_fen: number;
  /** Debited from the agency's ledger, or taken at the window (net of change). */
  paid_fen: number;
  change_fen: number;
  /** Cancellation fee charged. */
  fee_fen: number;
  /** Given back: cancellation credit, unused persons. */
  refunded_fen: number;
  cancel_free_hours: number;
  cancel_fee_permille: number;
  unused_refund_permille: number;
  issue_mode: 'group' | 'individual' | null;
  /** The window the tickets were picked up at. */
  window_id: string | null;
  created_by_id: string;
  created_by_username: string;
  /** The partner's channel API key that placed the order (migration 20261210_150000); null from the console. */
  channel_key_id: string | null;
  /** Persons the gates admitted on the order's tickets so far (the sum of its tickets' `persons_admitted`). */
  persons_admitted: Generated<number>;
  created_at: number;
  updated_at: number;
}

export interface GroupOrderLinesTable {
  order_id: string;
  line_no: number;
  type_id: number;
  type_version: number;
  /** Persons of this type. */
  quantity: number;
  unit_price_fen: number;
  amount_fen: number;
}

export interface GroupOrderVisitorsTable {
  order_id: string;
  seq: number;
  type_id: number;
  name: string;
  id_masked: string;
  id_hash: string;
}

export interface GroupOrderPaymentsTable {
  order_id: string;
  seq: number;
  kind: 'payment' | 'refund';
  method: 'cash' | 'bank_card' | 'wechat' | 'alipay';
  amount_fen: number;
  at: number;
}

export interface GroupOrderTicketsTable {
  order_id: string;
  ticket_id: number;
  line_no: number;
  persons: number;
  /** Persons the gates admitted on this ticket so far (passage-hook.ts), at most `persons`. */
  persons_admitted: Generated<number>;
}

export interface GroupOrderTransitionsTable {
  order_id: string;
  seq: number;
  action: string;
  from_state: OrderStateColumn | null;
  to_state: OrderStateColumn;
  at: number;
  actor_id: string | null;
  actor_username: string;
  details_json: string;
}
