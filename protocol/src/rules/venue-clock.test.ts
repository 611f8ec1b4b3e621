import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createVenueClock, isoWeekdayOfDay } from './venue-clock.js';

const H = 3_600_000;

/** Independent reference: the zone's offset as Intl prints it ("GMT+05:45", "GMT-04:00", "GMT+08:05:43", "GMT"). */
function referenceOffset(timeZone: string, ms: number): number {
  const text = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).format(ms);
  const match = /GMT(?:([+-])(\d\d):(\d\d)(?::(\d\d))?)?$/.exec(text);
  if (match === null) throw new Error(`unexpected offset text ${text}`);
  if (match[1] === undefined) return 0;
  const size = (Number(match[2]) * 3600 + Number(match[3]) * 60 + Number(match[4] ?? 0)) * 1000;
  return match[1] === '-' ? -size : size;
}

describe('createVenueClock', () => {
  it('defaults to Asia/Shanghai and splits local days at 16:00Z', () => {
    const clock = createVenueClock();
    expect(clock.timeZone).toBe('Asia/Shanghai');
    expect(clock.localParts(0)).toEqual({ dayNumber: 0, isoWeekday: 4, minuteOfDay: 480 });
    // Sunday 2025-05-11 23:59:59.999 local, then Monday 00:00 local.
    const sunday = clock.localParts(Date.UTC(2025, 4, 11, 15, 59, 59, 999));
    const monday = clock.localParts(Date.UTC(2025, 4, 11, 16));
    expect(sunday).toEqual({ dayNumber: monday.dayNumber - 1, isoWeekday: 7, minuteOfDay: 1439 });
    expect(monday).toEqual({ dayNumber: Date.UTC(2025, 4, 12) / 86_400_000, isoWeekday: 1, minuteOfDay: 0 });
    expect(clock.dayNumber(Date.UTC(2025, 4, 11, 16))).toBe(monday.dayNumber);
  });

  it('knows China’s 1986 summer time', () => {
    const clock = createVenueClock('Asia/Shanghai');
    const start = Date.UTC(1986, 4, 3, 18);
    expect(clock.offsetMs(start - 1)).toBe(8 * H);
    expect(clock.offsetMs(start)).toBe(9 * H);
    const end = Date.UTC(1986, 8, 13, 17);
    expect(clock.offsetMs(end - 1)).toBe(9 * H);
    expect(clock.offsetMs(end)).toBe(8 * H);
  });

  it.each([
    // zone, transition instant, offset before, offset after, local minute just before, local minute at
    ['Europe/Berlin', Date.UTC(2024, 2, 31, 1), 1 * H, 2 * H, 1 * 60 + 59, 3 * 60],
    ['Europe/Berlin', Date.UTC(2024, 9, 27, 1), 2 * H, 1 * H, 2 * 60 + 59, 2 * 60],
    ['America/New_York', Date.UTC(2024, 2, 10, 7), -5 * H, -4 * H, 1 * 60 + 59, 3 * 60],
    ['America/New_York', Date.UTC(2024, 10, 3, 6), -4 * H, -5 * H, 1 * 60 + 59, 1 * 60],
    ['Australia/Lord_Howe', Date.UTC(2024, 3, 6, 15), 11 * H, 10.5 * H, 1 * 60 + 59, 1 * 60 + 30],
  ])('%s switches exactly at %d', (zone, at, before, after, minuteBefore, minuteAt) => {
    const clock = createVenueClock(zone);
    // Ask the transition hour last, so the answers come from a cache slot filled by a neighbouring query too.
    expect(clock.offsetMs(at + H)).toBe(after);
    expect(clock.offsetMs(at - 1)).toBe(before);
    expect(clock.offsetMs(at)).toBe(after);
    expect(clock.localParts(at - 1).minuteOfDay).toBe(minuteBefore);
    expect(clock.localParts(at).minuteOfDay).toBe(minuteAt);
  });

  it('keeps instants that share a cache slot apart', () => {
    const clock = createVenueClock('Europe/Berlin');
    const winter = Date.UTC(2023, 10, 15, 12);
    const summer = winter + 8192 * H; // 2024-10-21, same slot in the 8192-hour cache
    for (let i = 0; i < 3; i++) {
      expect(clock.offsetMs(winter)).toBe(1 * H);
      expect(clock.offsetMs(summer)).toBe(2 * H);
    }
  });

  it('agrees with Intl’s own offset at random instants in several zones', () => {
    const zones = [
      'Asia/Shanghai',
      'Europe/Berlin',
      'America/New_York',
      'Asia/Kathmandu',
      'Australia/Lord_Howe',
      'America/St_Johns',
      'UTC',
    ];
    const clocks = new Map(zones.map((zone) => [zone, createVenueClock(zone)]));
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2100, 0, 1) }),
        (zone, ms) => {
          const clock = clocks.get(zone)!;
          const offset = referenceOffset(zone, ms);
          expect(clock.offsetMs(ms)).toBe(offset);
          const local = new Date(ms + offset);
          const parts = clock.localParts(ms);
          expect(parts.minuteOfDay).toBe(local.getUTCHours() * 60 + local.getUTCMinutes());
          expect(parts.isoWeekday).toBe(local.getUTCDay() === 0 ? 7 : local.getUTCDay());
          expect(parts.dayNumber).toBe(Math.floor((ms + offset) / 86_400_000));
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('does not throw for instants Intl cannot format', () => {
    const clock = createVenueClock('Asia/Shanghai');
    for (const ms of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e17, -1e17]) {
      expect(Number.isFinite(clock.offsetMs(ms))).toBe(true);
      expect(() => clock.localParts(ms)).not.toThrow();
    }
  });

  it('rejects an unknown zone when created', () => {
    expect(() => createVenueClock('Mars/Olympus_Mons')).toThrow(
      expect.objectContaining({ code: 'BAD_TIME_ZONE' }),
    );
  });
});

describe('isoWeekdayOfDay', () => {
  it('counts from Thursday 1970-01-01, also before 1970', () => {
    expect([-4, -3, -1, 0, 1, 3, 4, 7].map(isoWeekdayOfDay)).toEqual([7, 1, 3, 4, 5, 7, 1, 4]);
  });
});
