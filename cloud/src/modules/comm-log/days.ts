/**
 * Venue-local calendar days for the summary: `YYYY-MM-DD` dates and the UTC instants where they start in a zone.
 * Starts are found from the zone's UTC offset (two steps, so a day that starts just after a DST change is right).
 */
import { createVenueClock, type VenueClock } from '@scenic/protocol';

const DAY_MS = 86_400_000;

export function dayNumberOf(date: string): number {
  const [year, month, day] = date.split('-').map(Number);
  return Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1) / DAY_MS;
}

export function dateOfDayNumber(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

export function localDayStart(clock: VenueClock, dayNumber: number): number {
  const wall = dayNumber * DAY_MS;
  const guess = wall - clock.offsetMs(wall);
  return wall - clock.offsetMs(guess);
}

/** Start instants of the days from `from` to `to` (inclusive) plus the end of the last day: N + 1 values. */
export function dayStarts(timeZone: string, from: string, to: string): { days: string[]; starts: number[] } {
  const clock = createVenueClock(timeZone);
  const first = dayNumberOf(from);
  const last = dayNumberOf(to);
  const days: string[] = [];
  const starts: number[] = [];
  for (let day = first; day <= last; day++) {
    days.push(dateOfDayNumber(day));
    starts.push(localDayStart(clock, day));
  }
  starts.push(localDayStart(clock, last + 1));
  return { days, starts };
}
