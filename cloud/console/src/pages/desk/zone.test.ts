import { describe, expect, it } from 'vitest';
import { dayRange, dayStart, nextDay } from './zone';

const HOUR = 3_600_000;

describe('business days in the site’s zone', () => {
  it('starts a Shanghai day at 16:00 UTC the day before', () => {
    expect(dayStart('2026-03-01', 'Asia/Shanghai')).toBe(Date.UTC(2026, 2, 1) - 8 * HOUR);
  });

  it('follows daylight saving (New York: 23-hour and 25-hour days)', () => {
    expect(dayStart('2026-03-08', 'America/New_York')).toBe(Date.UTC(2026, 2, 8, 5));
    expect(dayStart('2026-03-09', 'America/New_York')).toBe(Date.UTC(2026, 2, 9, 4));
    const fall = dayRange('2026-11-01', '2026-11-01', 'America/New_York');
    expect(fall.to - fall.from).toBe(25 * HOUR);
  });

  it('covers whole days, the last one included', () => {
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
    const range = dayRange('2026-02-27', '2026-03-01', 'UTC');
    expect(range).toEqual({ from: Date.UTC(2026, 1, 27), to: Date.UTC(2026, 2, 2) });
  });
});
