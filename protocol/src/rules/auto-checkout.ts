/**
 * Automatic check-out (自动清场): at a site's local time (`autoCheckoutAt`, "HH:MM", off when absent) everyone still
 * inside counts as having left. Written once here and used by the rules engine (the gate offline and the cloud's
 * online validation alike: a re-entry ticket may come back in without a scanned exit) and by the cloud's check-out
 * job (occupancy drops to 0), so every side puts the check-out at the same instant without telling each other.
 *
 * The instant of a local day's check-out, across daylight-saving changes:
 *   - a wall time that occurs once: that instant;
 *   - a wall time skipped by a spring-forward (Europe/Berlin 02:30 on the last Sunday of March): the first instant
 *     after the gap, the transition itself (03:00 new time). It is the next valid instant, so the day still has its
 *     check-out, as late as the gap allows and never early;
 *   - a wall time that occurs twice in a fall-back (02:30 on the last Sunday of October): the first occurrence only.
 *     The check-out runs once a day; the second 02:30 is the same local day and finds the day's run done.
 */
import { DAY_MS, type VenueClock } from './venue-clock.js';

const MINUTE = 60_000;
const SECOND = 1000;
/** Far enough from the wall time to be outside any transition near it, near enough to see no second one. */
const SIDE_MS = 14 * 3_600_000;

const CHECKOUT_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after local midnight of an "HH:MM" check-out time (00:00–23:59); null when the text is not one. */
export function checkoutMinute(text: string): number | null {
  const match = CHECKOUT_TIME.exec(text);
  return match === null ? null : Number(match[1]) * 60 + Number(match[2]);
}

/** Whether the text is a valid "HH:MM" check-out time (two-digit hour 00–23, two-digit minute). */
export function isCheckoutTime(text: string): boolean {
  return CHECKOUT_TIME.test(text);
}

/** The instant of local day `day`'s check-out at `minute` minutes after local midnight (rules above). */
export function checkoutInstant(clock: VenueClock, day: number, minute: number): number {
  const wall = day * DAY_MS + minute * MINUTE;
  const before = clock.offsetMs(wall - SIDE_MS - clock.offsetMs(wall));
  const after = clock.offsetMs(wall + SIDE_MS - clock.offsetMs(wall));
  const early = wall - Math.max(before, after);
  const late = wall - Math.min(before, after);
  // The earliest instant whose wall clock reads `wall`: the first occurrence on a fall-back day.
  if (early + clock.offsetMs(early) === wall) return early;
  if (late + clock.offsetMs(late) === wall) return late;
  // Skipped: `late − gap` … `early + gap` straddles the transition. Find it to the second (offsets change on whole
  // seconds): the first second with the new offset, where the wall clock resumes after the gap.
  let lo = Math.floor(Math.min(early, late) / SECOND) - 1;
  let hi = Math.ceil(Math.max(early, late) / SECOND) + 1;
  const old = clock.offsetMs(lo * SECOND);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (clock.offsetMs(mid * SECOND) === old) lo = mid;
    else hi = mid;
  }
  return hi * SECOND;
}

/** A local day's check-out: the day number and its instant. */
export interface Checkout {
  readonly day: number;
  readonly at: number;
}

/** The latest check-out at or before `now` (today's if its instant has come, else yesterday's). */
export function latestCheckout(clock: VenueClock, minute: number, now: number): Checkout {
  const today = clock.dayNumber(now);
  const at = checkoutInstant(clock, today, minute);
  if (at <= now) return { day: today, at };
  return { day: today - 1, at: checkoutInstant(clock, today - 1, minute) };
}

/** The instant of the latest check-out at or before `now`; −∞ when the site has none (`minute` null or absent). */
export function lastCheckoutAt(clock: VenueClock, minute: number | null | undefined, now: number): number {
  if (minute === null || minute === undefined) return Number.NEGATIVE_INFINITY;
  return latestCheckout(clock, minute, now).at;
}
