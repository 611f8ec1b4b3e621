/**
 * Venue-local calendar math for the rules engine. Weekday, time-of-day and per-day rules are about the venue's wall
 * clock, while every instant in the system is epoch ms. Intl.DateTimeFormat knows the zone (including DST and
 * history) but costs microseconds per call, far too slow for a decision path that must do hundreds of thousands of
 * calls a second, so the zone's UTC offset is learnt once per UTC hour and kept in a direct-mapped cache.
 *
 * Cache invariant: each slot describes one UTC hour [h·1h, (h+1)·1h) as "offset `before` until `switchAt`, offset
 * `after` from then on". An hour with no transition has before = after. An hour containing a transition (detected
 * because the offset at its first and last millisecond differ) has the transition instant found by binary search to
 * the second (offsets only change on whole seconds). This assumes at most one offset change per hour, which holds for
 * every zone in the tz database.
 */

import { ProtocolError } from '../errors.js';

const SECOND = 1000;
const MINUTE = 60_000;
const HOUR = 3_600_000;
export const DAY_MS = 86_400_000;

/** 8192 hours ≈ 341 days of contiguous instants stay cached, enough for "now" plus a credential's recent passages. */
const CACHE_SIZE = 8192;
const CACHE_MASK = CACHE_SIZE - 1;

/**
 * Instants handed to Intl are clamped to this range: Intl throws beyond ±8.64e15 and Date.UTC of a local time near
 * that edge overflows, while before year 1000 Date.UTC's two-digit-year rule and eras get in the way. Offsets outside
 * the range are those of its edges.
 */
const MIN_INSTANT = Date.UTC(1000, 0, 1);
const MAX_INSTANT = Date.UTC(200_000, 0, 1);

export interface LocalParts {
  /** Days since 1970-01-01 in the local calendar (may be negative before 1970). */
  dayNumber: number;
  /** ISO weekday of the local date: 1 = Monday … 7 = Sunday. */
  isoWeekday: number;
  /** Minutes since local midnight, 0–1439. */
  minuteOfDay: number;
}

export interface VenueClock {
  readonly timeZone: string;
  /** Local time minus UTC at the instant, in ms (Asia/Shanghai: +8 h). */
  offsetMs(ms: number): number;
  /** Local calendar day number of the instant (see LocalParts.dayNumber). */
  dayNumber(ms: number): number;
  localParts(ms: number): LocalParts;
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a local day number; 1970-01-01 was a Thursday. */
export function isoWeekdayOfDay(dayNumber: number): number {
  return ((((dayNumber + 3) % 7) + 7) % 7) + 1;
}

class ZoneClock implements VenueClock {
  private readonly format: Intl.DateTimeFormat;
  private readonly tag = new Float64Array(CACHE_SIZE).fill(Number.NaN);
  private readonly before = new Float64Array(CACHE_SIZE);
  private readonly after = new Float64Array(CACHE_SIZE);
  private readonly switchAt = new Float64Array(CACHE_SIZE);

  constructor(readonly timeZone: string) {
    // An unknown zone is a configuration error, caught at startup: report it as the package's own typed error.
    try {
      this.format = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new ProtocolError('BAD_TIME_ZONE', `Unknown time zone: ${String(timeZone).slice(0, 64)}`);
    }
  }

  offsetMs(ms: number): number {
    const hour = Math.floor(ms / HOUR);
    const slot = hour & CACHE_MASK;
    if (this.tag[slot] !== hour) this.fill(slot, hour);
    return ms < this.switchAt[slot]! ? this.before[slot]! : this.after[slot]!;
  }

  dayNumber(ms: number): number {
    return Math.floor((ms + this.offsetMs(ms)) / DAY_MS);
  }

  localParts(ms: number): LocalParts {
    const local = ms + this.offsetMs(ms);
    const dayNumber = Math.floor(local / DAY_MS);
    return {
      dayNumber,
      isoWeekday: isoWeekdayOfDay(dayNumber),
      minuteOfDay: Math.floor((local - dayNumber * DAY_MS) / MINUTE),
    };
  }

  private fill(slot: number, hour: number): void {
    const start = hour * HOUR;
    const first = this.intlOffset(start);
    const last = this.intlOffset(start + HOUR - 1);
    // A NaN hour (NaN instant) is stored under a NaN tag, which never matches, so it is recomputed each time.
    this.tag[slot] = hour;
    this.before[slot] = first;
    this.after[slot] = last;
    if (first === last) {
      this.switchAt[slot] = start;
      return;
    }
    // Binary search, in whole seconds, for the first second of the hour that has the new offset.
    let lo = Math.floor(start / SECOND); // has `first`
    let hi = Math.floor((start + HOUR - 1) / SECOND); // has `last`
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.intlOffset(mid * SECOND) === first) lo = mid;
      else hi = mid;
    }
    this.switchAt[slot] = hi * SECOND;
  }

  /** The zone's offset at an instant, straight from Intl (slow: a few µs). */
  private intlOffset(ms: number): number {
    const t = Number.isNaN(ms) ? MIN_INSTANT : Math.min(Math.max(ms, MIN_INSTANT), MAX_INSTANT);
    const whole = t - (((t % SECOND) + SECOND) % SECOND);
    let year = 0;
    let month = 0;
    let day = 0;
    let hour = 0;
    let minute = 0;
    let second = 0;
    for (const part of this.format.formatToParts(whole)) {
      switch (part.type) {
        case 'year':
          year = Number(part.value);
          break;
        case 'month':
          month = Number(part.value);
          break;
        case 'day':
          day = Number(part.value);
          break;
        case 'hour':
          hour = Number(part.value);
          break;
        case 'minute':
          minute = Number(part.value);
          break;
        case 'second':
          second = Number(part.value);
          break;
      }
    }
    return Date.UTC(year, month - 1, day, hour, minute, second) - whole;
  }
}

/**
 * A clock for the venue's time zone (IANA name). Throws ProtocolError BAD_TIME_ZONE for a zone the runtime does not know. Each clock
 * holds about 256 KiB of cache; create one per venue zone and share it.
 */
export function createVenueClock(timeZone = 'Asia/Shanghai'): VenueClock {
  return new ZoneClock(timeZone);
}
