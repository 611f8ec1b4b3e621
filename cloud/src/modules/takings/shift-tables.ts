/**
 * Table types of the cashier shifts (migration 20261212_110000); part of db/schema.ts. The shifts query them through
 * `shiftTables` (shifts/tables.ts).
 */
import type { TakingMethod } from './contract.js';

export interface ShiftTables {
  till_shifts: TillShiftsTable;
  till_shift_events: TillShiftEventsTable;
}

export const SHIFT_STATES = ['open', 'pending_approval', 'closed'] as const;
export type ShiftState = (typeof SHIFT_STATES)[number];

export const SHIFT_EVENT_KINDS = ['float', 'drop', 'payout', 'handover', 'adjustment'] as const;
export type ShiftEventKind = (typeof SHIFT_EVENT_KINDS)[number];

/** One cashier's till at one window, from open to close (交接班). */
export interface TillShiftsTable {
  id: string;
  site_id: string;
  window_id: string;
  cashier_id: string;
  cashier_username: string;
  state: ShiftState;
  /** 1: a blind count (the cashier is not shown the expected cash before counting). */
  blind: number;
  /** The float (备用金) the till started with: counted in, or handed over by the previous shift. */
  float_fen: number;
  /** The shift this one took the till over from (交接班), whose counted cash is this one's float. */
  handover_from: string | null;
  /** Set when the shift was closed by a handover: who may take the till over. */
  handover_to_cashier_id: string | null;
  opened_at: number;
  /** The site-local day number the shift opened on. */
  open_day: number;
  closed_at: number | null;
  close_day: number | null;
  closed_by_id: string | null;
  closed_by_username: string | null;
  counted_cash_fen: number | null;
  /** `{ "y100": 3, … }`: the count by denomination, when given (its sum is `counted_cash_fen`). */
  denominations_json: string | null;
  /** `{ "wechat": 12000, … }`: what the cashier read off the terminals' settlement, per non-cash method. */
  recorded_json: string | null;
  /** Frozen at close: float + the journal's cash of the shift − payouts − drops. */
  expected_cash_fen: number | null;
  /** counted − expected (长款 positive, 短款 negative). */
  variance_fen: number | null;
  /** The approval threshold the close was weighed against. */
  threshold_fen: number | null;
  close_note: string | null;
  approved_at: number | null;
  approved_by_id: string | null;
  approved_by_username: string | null;
  approval_note: string | null;
  updated_at: number;
}

/** The float, a drop, a payout, the handover or an adjustment of one shift. */
export interface TillShiftEventsTable {
  id: string;
  shift_id: string;
  site_id: string;
  kind: ShiftEventKind;
  /** `cash` except for adjustments, which correct one tender. */
  method: TakingMethod;
  /** Positive fen; an adjustment is signed (more counted or recorded positive). */
  amount_fen: number;
  reason: string | null;
  at: number;
  /** The site-local day the event was made: an adjustment counts on this day. */
  day: number;
  by_id: string | null;
  by_username: string;
  /** The operator's Idempotency-Key of a drop, payout or adjustment, with a hash of that request; else null. */
  idempotency_key: string | null;
  request_hash: string | null;
  /** Adjustments: the day settlement that counted this one (null until one did). */
  settled_day: number | null;
}
