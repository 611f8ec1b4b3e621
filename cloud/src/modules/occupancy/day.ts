/**
 * The occupancy day an instant belongs to: the venue-local date, where a day starts at `resetHour` local time
 * (e.g. 4 for a venue open past midnight), or '' for all time when occupancy never resets.
 */
import { createVenueClock, type VenueClock } from '@scenic/protocol';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const clocks = new Map<string, VenueClock>();

/** The venue clock of a zone, made once per zone (each holds a cache of its own). */
export function venueClock(timeZone: string): VenueClock {
  let clock = clocks.get(timeZone);
  if (!clock) {
    clock = createVenueClock(timeZone);
    clocks.set(timeZone, clock);
  }
  return clock;
}

export function occupancyDay(at: number, timeZone: string, resetHour: number | null): string {
  if (resetHour === null) return '';
  const clock = venueClock(timeZone);
  const local = at + clock.offsetMs(at) - resetHour * HOUR_MS;
  return new Date(Math.floor(local / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}
