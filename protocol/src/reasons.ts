/**
 * Decision reason codes: the single list shared by the rules engine, gate events, online validation and the cloud's
 * reports. Stable strings — they are stored, counted and shown, so never rename one; add new ones at the end.
 */
export const DECISION_REASONS = [
  'OK',
  // credential codec / signature
  'MALFORMED',
  'UNKNOWN_KEY',
  'BAD_SIGNATURE',
  // validity
  'EXPIRED',
  'NOT_YET_VALID',
  'UNKNOWN_CREDENTIAL',
  'NOT_ACTIVATED',
  'USED',
  'REFUNDED',
  'REVOKED',
  'BLACKLISTED',
  'ENTRIES_EXHAUSTED',
  'DAILY_LIMIT',
  'WRONG_WEEKDAY',
  'OUTSIDE_HOURS',
  'SLOT_TOO_EARLY',
  'SLOT_TOO_LATE',
  'ANTI_PASSBACK',
  'WRONG_ZONE',
  'WRONG_GATE',
  'WRONG_DIRECTION',
  // gate state
  'GATE_LOCKED',
  'GATE_CLOSED',
  'UNAUTHORIZED_DENIED',
  'NO_PASSAGE',
  'OFFLINE_UNVERIFIABLE',
  // the lane cannot confirm passages (a stuck passage input): refused until it is repaired
  'OUT_OF_SERVICE',
  // every visit day of a visit-day ticket is used (any N days within the validity), and today is not one of them
  'VISIT_DAYS_USED',
] as const;
export type DecisionReason = (typeof DECISION_REASONS)[number];

const reasonSet: ReadonlySet<string> = new Set(DECISION_REASONS);
export function isDecisionReason(value: unknown): value is DecisionReason {
  return typeof value === 'string' && reasonSet.has(value);
}
