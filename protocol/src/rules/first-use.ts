/**
 * Validity counted from the first entry (首次入园起算): when a first-use credential's window ends. Written once here
 * and used by the rules engine (gate and cloud alike) and by the cloud's issuing and lookup, so every side computes
 * the same instant.
 *
 * The end is a venue-local midnight, like a visit-date ticket's: the local day of the first entry is day 1, and the
 * window ends at the midnight that starts day `count` + 1 (days), or the same day-of-month `count` calendar months
 * later (months; clamped to the month's last day, so 31 January + 1 month ends on 28/29 February's midnight… that is,
 * at the start of the clamped date). "30 days from the first entry" entered on the 1st admits until the 30th's last
 * millisecond and refuses at 00:00 of the 31st.
 */
import type { CredentialRecord, PassageRecord } from '../model.js';
import { DAY_MS, type VenueClock } from './venue-clock.js';

export type PeriodUnit = 'day' | 'month';

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The local day number `count` days or calendar months after `day` (a month keeps the day of month, clamped). */
export function addPeriod(day: number, unit: PeriodUnit, count: number): number {
  if (unit === 'day') return day + count;
  const date = new Date(day * DAY_MS);
  const months = date.getUTCFullYear() * 12 + date.getUTCMonth() + count;
  const year = Math.floor(months / 12);
  const month = (months % 12) + 1;
  const dayOfMonth = Math.min(date.getUTCDate(), daysInMonth(year, month));
  return Math.floor(Date.UTC(year, month - 1, dayOfMonth) / DAY_MS);
}

/**
 * The instant the local day `day` begins. Where a daylight-saving change skips midnight itself, the first instant
 * of the day (its wall clock reads 01:00).
 */
export function localMidnight(clock: VenueClock, day: number): number {
  const wall = day * DAY_MS;
  const guess = wall - clock.offsetMs(wall);
  const at = wall - clock.offsetMs(guess);
  // In a skipped midnight `at` falls into the previous day; the day then begins at the transition, one gap later.
  return clock.dayNumber(at) < day ? at + (clock.offsetMs(at + DAY_MS / 24) - clock.offsetMs(at)) : at;
}

/** The exclusive end of a first-use credential first entered at `firstEntryAt`. */
export function activationEnd(
  firstEntryAt: number,
  activation: { readonly unit: PeriodUnit; readonly count: number },
  clock: VenueClock,
): number {
  return localMidnight(clock, addPeriod(clock.dayNumber(firstEntryAt), activation.unit, activation.count));
}

/**
 * The first entry as far as the caller knows it: the record's, else the earliest entry among `recent` (the gate's
 * own entries not yet synced, or the cloud's open reservations), else null (not activated yet).
 */
export function firstEntryOf(record: CredentialRecord, recent: readonly PassageRecord[]): number | null {
  let first = record.firstEntryAt ?? Number.POSITIVE_INFINITY;
  for (const passage of recent) if (passage.direction === 'in' && passage.at < first) first = passage.at;
  return first === Number.POSITIVE_INFINITY ? null : first;
}
