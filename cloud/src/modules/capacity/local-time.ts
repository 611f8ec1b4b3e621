/**
 * Venue-local wall-clock times → instants. The protocol's VenueClock answers "what local time is this instant"; a
 * slot start or a validity boundary needs the reverse. Clocks are cached per zone (they cache offsets themselves).
 */
import { createVenueClock, type VenueClock } from '@scenic/protocol';
import {
  civilDateOfDayNumber,
  dayNumberOf,
  formatIsoDate,
  parseIsoDate,
} from '../../platform/identity/civil-date.js';

const DAY_MS = 86_400_000;
const clocks = new Map<string, VenueClock>();

export function clockOf(timeZone: string): VenueClock {
  let clock = clocks.get(timeZone);
  if (!clock) {
    clock = createVenueClock(timeZone);
    clocks.set(timeZone, clock);
  }
  return clock;
}

/**
 * The instant at `minuteOfDay` (0–1440) of local day `day` (days since 1970-01-01). Two passes over the offset: the
 * offset at the first guess may differ from the one at the answer when a DST change lies between them.
 */
export function instantOf(day: number, minuteOfDay: number, timeZone: string): number {
  const clock = clockOf(timeZone);
  const wall = day * DAY_MS + minuteOfDay * 60_000;
  const guess = wall - clock.offsetMs(wall);
  return wall - clock.offsetMs(guess);
}

/** The local day (midnight to midnight in `timeZone`) that holds `instant`: from inclusive, to exclusive. */
export function localDayAround(instant: number, timeZone: string): { from: number; to: number } {
  const day = clockOf(timeZone).dayNumber(instant);
  return { from: instantOf(day, 0, timeZone), to: instantOf(day + 1, 0, timeZone) };
}

/** The local day number of an ISO date, or undefined when it is not a real date. */
export function dayOfIsoDate(text: string): number | undefined {
  const date = parseIsoDate(text);
  return date && dayNumberOf(date);
}

export function isoDateOfDay(day: number): string {
  return formatIsoDate(civilDateOfDayNumber(day));
}

/** `HH:MM` of a minute of the day (1440 → `24:00`). */
export function formatMinute(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

/** `HH:MM` → minutes since midnight; `24:00` is the end of the day. */
export function parseMinute(text: string): number | undefined {
  const match = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(text);
  if (!match) return undefined;
  const minute = Number(match[1]) * 60 + Number(match[2]);
  return minute <= 1440 ? minute : undefined;
}
