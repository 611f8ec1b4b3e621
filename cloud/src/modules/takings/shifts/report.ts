/**
 * A shift's figures (交接班报表), worked out from its row, its events and what the takings journal holds for it.
 * The cash reconciliation:
 *   expected = float + the journal's cash of the shift (sales, supplements and order payments in; refunds out,
 *              negative) − payouts − drops
 *   variance = counted − expected (长款 positive, 短款 negative); adjustments made after the close correct it.
 * Non-cash tenders: the journal's amount per method (expected) against what the cashier recorded from the
 * terminal's or platform's settlement. Pure: the service reads, this adds up.
 */
import { isoDateOfDay } from '../../capacity/local-time.js';
import { TAKING_SOURCES, type TakingMethod } from '../contract.js';
import type { ShiftJournal } from './journal.js';
import type { ShiftEventRow, ShiftRow } from './repo.js';
import {
  DENOMINATION_CODES,
  DENOMINATIONS,
  type Denomination,
  NON_CASH_METHODS,
  type NonCashMethod,
  type Shift,
  type ShiftEvent,
  type ShiftReport,
} from './schemas.js';

export function shiftView(row: ShiftRow, takenOverBy: string | null = null): Shift {
  return {
    id: row.id,
    siteId: row.site_id,
    windowId: row.window_id,
    cashier: { id: row.cashier_id, username: row.cashier_username },
    state: row.state,
    blind: row.blind === 1,
    floatFen: Number(row.float_fen),
    openedAt: Number(row.opened_at),
    openDate: isoDateOfDay(row.open_day),
    closedAt: row.closed_at === null ? null : Number(row.closed_at),
    closeDate: row.close_day === null ? null : isoDateOfDay(row.close_day),
    closedBy:
      row.closed_by_username === null ? null : { id: row.closed_by_id, username: row.closed_by_username },
    handoverFrom: row.handover_from,
    handoverToCashierId: row.handover_to_cashier_id,
    takenOverBy,
    countedCashFen: row.counted_cash_fen === null ? null : Number(row.counted_cash_fen),
    expectedCashFen: row.expected_cash_fen === null ? null : Number(row.expected_cash_fen),
    varianceFen: row.variance_fen === null ? null : Number(row.variance_fen),
    thresholdFen: row.threshold_fen === null ? null : Number(row.threshold_fen),
    note: row.close_note,
    approval:
      row.approved_at === null || row.approved_by_username === null
        ? null
        : {
            by: { id: row.approved_by_id, username: row.approved_by_username },
            at: Number(row.approved_at),
            note: row.approval_note ?? '',
          },
  };
}

export function eventView(row: ShiftEventRow): ShiftEvent {
  return {
    id: row.id,
    shiftId: row.shift_id,
    kind: row.kind,
    method: row.method,
    amountFen: Number(row.amount_fen),
    reason: row.reason,
    at: Number(row.at),
    date: isoDateOfDay(row.day),
    by: { id: row.by_id, username: row.by_username },
  };
}

/** The cash the till should hold now: what a close freezes as `expected_cash_fen`. */
export function expectedCash(row: ShiftRow, events: readonly ShiftEventRow[], journal: ShiftJournal): number {
  const cashIn = journal.money.filter((m) => m.method === 'cash').reduce((sum, m) => sum + m.amountFen, 0);
  const out = events
    .filter((e) => e.kind === 'drop' || e.kind === 'payout')
    .reduce((sum, e) => sum + Number(e.amount_fen), 0);
  return Number(row.float_fen) + cashIn - out;
}

/** The journal's amount per non-cash method. */
export function expectedByMethod(journal: ShiftJournal): Record<NonCashMethod, number> {
  const totals = Object.fromEntries(NON_CASH_METHODS.map((m) => [m, 0])) as Record<NonCashMethod, number>;
  for (const m of journal.money) if (m.method !== 'cash') totals[m.method] += m.amountFen;
  return totals;
}

export function parseRecorded(json: string | null): Partial<Record<NonCashMethod, number>> {
  return json === null ? {} : (JSON.parse(json) as Partial<Record<NonCashMethod, number>>);
}

/** The sum of a count by denomination, in fen. */
export function denominationsSum(counts: Partial<Record<Denomination, number | undefined>>): number {
  return DENOMINATION_CODES.reduce((sum, code) => sum + (counts[code] ?? 0) * DENOMINATIONS[code], 0);
}

/**
 * Whether a close must wait for a supervisor: the cash variance, or a recorded non-cash tender's difference, is
 * above the threshold (either way).
 */
export function needsApproval(
  varianceFen: number,
  differences: readonly (number | null)[],
  thresholdFen: number,
): boolean {
  return (
    Math.abs(varianceFen) > thresholdFen || differences.some((d) => d !== null && Math.abs(d) > thresholdFen)
  );
}

export interface ReportInput {
  readonly row: ShiftRow;
  readonly takenOverBy: string | null;
  readonly events: readonly ShiftEventRow[];
  readonly journal: ShiftJournal;
  /** A blind shift not yet closed, seen by its own cashier: no expected figure, nothing to work it out from. */
  readonly hidden: boolean;
}

export function shiftReport({ row, takenOverBy, events, journal, hidden }: ReportInput): ShiftReport {
  const ofKind = (kind: ShiftEventRow['kind']) => events.filter((e) => e.kind === kind);
  const drops = ofKind('drop');
  const payouts = ofKind('payout');
  const adjustments = ofKind('adjustment');
  const shift = shiftView(row, takenOverBy);
  const base = {
    shift,
    drops: drops.map(eventView),
    payouts: payouts.map(eventView),
    adjustments: adjustments.map(eventView),
  };
  if (hidden)
    return {
      ...base,
      shift: { ...shift, expectedCashFen: null, varianceFen: null },
      expectedHidden: true,
      cash: null,
      tenders: [],
      sources: [],
      ticketTypes: [],
    };
  const cashOf = (source: string) =>
    journal.money
      .filter((m) => m.method === 'cash' && m.source === source)
      .reduce((sum, m) => sum + m.amountFen, 0);
  const sum = (rows: readonly ShiftEventRow[]) => rows.reduce((total, e) => total + Number(e.amount_fen), 0);
  const adjustedBy = (method: TakingMethod) => sum(adjustments.filter((a) => a.method === method));
  // A closed shift keeps the expected cash it was closed against; an open one shows it as it stands.
  const expectedFen =
    row.expected_cash_fen === null ? expectedCash(row, events, journal) : Number(row.expected_cash_fen);
  const countedFen = row.counted_cash_fen === null ? null : Number(row.counted_cash_fen);
  const varianceFen = countedFen === null ? null : countedFen - expectedFen;
  const cashAdjustments = adjustedBy('cash');
  const counts =
    row.denominations_json === null
      ? null
      : (JSON.parse(row.denominations_json) as Partial<Record<Denomination, number>>);
  const recorded = parseRecorded(row.recorded_json);
  const expected = expectedByMethod(journal);
  return {
    ...base,
    expectedHidden: false,
    cash: {
      floatFen: Number(row.float_fen),
      salesFen: cashOf('sale'),
      refundsFen: cashOf('refund'),
      supplementsFen: cashOf('supplement'),
      ordersFen: cashOf('order'),
      payoutsFen: sum(payouts),
      dropsFen: sum(drops),
      expectedFen,
      countedFen,
      varianceFen,
      adjustmentsFen: cashAdjustments,
      adjustedVarianceFen: varianceFen === null ? null : varianceFen + cashAdjustments,
      denominations:
        counts === null
          ? null
          : DENOMINATION_CODES.filter((code) => (counts[code] ?? 0) > 0).map((code) => ({
              code,
              valueFen: DENOMINATIONS[code],
              count: counts[code] ?? 0,
              amountFen: (counts[code] ?? 0) * DENOMINATIONS[code],
            })),
    },
    tenders: NON_CASH_METHODS.map((method) => {
      const recordedFen = recorded[method] ?? null;
      return {
        method,
        expectedFen: expected[method],
        recordedFen,
        differenceFen: recordedFen === null ? null : recordedFen - expected[method],
        adjustmentsFen: adjustedBy(method),
      };
    }),
    sources: TAKING_SOURCES.map((source) => {
      const found = journal.sources.find((s) => s.source === source);
      return {
        source,
        count: found?.count ?? 0,
        amountFen: found?.amountFen ?? 0,
        tickets: found?.tickets ?? 0,
        persons: found?.persons ?? 0,
      };
    }),
    ticketTypes: journal.items.map((item) => ({ ...item })),
  };
}
