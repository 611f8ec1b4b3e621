/**
 * When a ticket is valid, from its type version's validity definition. Boundaries are venue-local midnights (or the
 * sale minute), as instants in whole minutes — the QR code counts minutes.
 *
 * - `visit_date`: from the start of the visit date for `length` days / calendar months.
 * - `sale`: from the minute of the sale until the end of the local day `length` days / months after the sale date.
 * - `first_use`: the credential cannot know its first use in advance, so it is issued for `length` counted from the
 *   visit date (the cashier picks the first day of use as the visit date); a module that tracks first use may narrow
 *   the window later through TicketsService.change.
 */
import { daysInMonth } from '../../platform/identity/civil-date.js';
import { clockOf, instantOf } from '../capacity/local-time.js';
import type { Validity } from '../ticket-types/schemas.js';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

function addLength(day: number, length: Validity['length']): number {
  if (length.unit === 'day') return day + length.count;
  const date = new Date(day * DAY_MS);
  const months = date.getUTCFullYear() * 12 + date.getUTCMonth() + length.count;
  const year = Math.floor(months / 12);
  const month = (months % 12) + 1;
  const dayOfMonth = Math.min(date.getUTCDate(), daysInMonth(year, month));
  return Math.floor(Date.UTC(year, month - 1, dayOfMonth) / DAY_MS);
}

function wholeMinute(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

export function validityWindow(
  validity: Validity,
  visitDay: number,
  soldAt: number,
  timeZone: string,
): { validFrom: number; validTo: number } {
  if (validity.from === 'sale') {
    const saleDay = clockOf(timeZone).dayNumber(soldAt);
    return {
      validFrom: wholeMinute(soldAt),
      validTo: wholeMinute(instantOf(addLength(saleDay, validity.length), 0, timeZone)),
    };
  }
  return {
    validFrom: wholeMinute(instantOf(visitDay, 0, timeZone)),
    validTo: wholeMinute(instantOf(addLength(visitDay, validity.length), 0, timeZone)),
  };
}
