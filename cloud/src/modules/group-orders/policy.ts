/**
 * The times and amounts an order's policy decides, as pure functions of the order, its site's zone and the clock:
 * the visitor list's due time, the cancellation fee, the refund of unused persons. "Before the visit" always means
 * before the visit day starts in the site's zone (00:00 site time), so the answer does not depend on the slot.
 */
import type { GroupOrderPolicy } from '../../config.js';
import { AppError } from '../../platform/errors.js';
import { instantOf, isoDateOfDay } from '../capacity/local-time.js';
import { MAX_ADVANCE_DAYS } from '../ticket-types/validity.js';

const HOUR_MS = 3_600_000;

/** When the visit day starts, site time. */
export function visitDayStart(visitDay: number, timeZone: string): number {
  return instantOf(visitDay, 0, timeZone);
}

/** When the visit day is over, site time: an order closes only after it. */
export function visitDayEnd(visitDay: number, timeZone: string): number {
  return instantOf(visitDay + 1, 0, timeZone);
}

/** The visitor list is due `visitorsDueHours` before the visit day starts; null when no line is real-name. */
export function visitorsDueAt(
  visitDay: number,
  timeZone: string,
  policy: Pick<GroupOrderPolicy, 'visitorsDueHours'>,
  hasRealName: boolean,
): number | null {
  return hasRealName ? visitDayStart(visitDay, timeZone) - policy.visitorsDueHours * HOUR_MS : null;
}

/** Cancelling before this instant is free. */
export function cancelFreeUntil(visitDay: number, timeZone: string, cancelFreeHours: number): number {
  return visitDayStart(visitDay, timeZone) - cancelFreeHours * HOUR_MS;
}

/** A share in permille of an amount, rounded down to whole fen (the venue never charges or keeps a part fen more). */
export function permilleOf(amountFen: number, permille: number): number {
  return Math.floor((amountFen * permille) / 1000);
}

/**
 * The cancellation fee: nothing before the cut-off, `permille` of what was paid after it. Only money already paid
 * can carry a fee (an order paid at the window has paid nothing before pick-up, a held order nothing yet), and it is
 * taken from what goes back.
 */
export function cancellationFee(
  order: { readonly paidFen: number; readonly freeUntil: number; readonly feePermille: number },
  now: number,
): number {
  if (now < order.freeUntil) return 0;
  return permilleOf(order.paidFen, order.feePermille);
}

/** A visit date may be booked from today up to MAX_ADVANCE_DAYS ahead (site time), as at the window. */
export function requireBookableDay(date: string, visitDay: number, today: number): void {
  if (visitDay < today || visitDay > today + MAX_ADVANCE_DAYS)
    throw new AppError('VISIT_DATE_OUT_OF_RANGE', {
      date,
      from: isoDateOfDay(today),
      to: isoDateOfDay(today + MAX_ADVANCE_DAYS),
    });
}

/** A held order's change after its hold lapsed is refused (the sweep will release it). */
export function requireLiveHold(
  row: { readonly state: string; readonly hold_expires_at: number | null },
  now: number,
): void {
  if (row.state === 'held' && row.hold_expires_at !== null && now >= row.hold_expires_at)
    throw new AppError('ORDER_HOLD_EXPIRED', { expiredAt: new Date(row.hold_expires_at).toISOString() });
}
