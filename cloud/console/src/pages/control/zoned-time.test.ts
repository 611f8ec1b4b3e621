import { describe, expect, it } from 'vitest';
import { dayRange, epochToWall, zonedToEpoch } from './zoned-time';

describe('zoned wall-clock times', () => {
  it('reads a time on the venue’s clock, whatever the browser’s zone', () => {
    expect(zonedToEpoch('2026-12-07 08:00', 'Asia/Shanghai')).toBe(Date.UTC(2026, 11, 7, 0, 0));
    expect(zonedToEpoch('2026-12-07 08:00:30', 'UTC')).toBe(Date.UTC(2026, 11, 7, 8, 0, 30));
    expect(zonedToEpoch('2026-07-01 12:00', 'Europe/Berlin')).toBe(Date.UTC(2026, 6, 1, 10, 0));
    expect(zonedToEpoch('2026-01-01 12:00', 'Europe/Berlin')).toBe(Date.UTC(2026, 0, 1, 11, 0));
  });

  it('shows an instant back as the same wall-clock text', () => {
    const at = zonedToEpoch('2026-03-29 09:15:00', 'Asia/Shanghai');
    expect(epochToWall(at, 'Asia/Shanghai')).toBe('2026-03-29 09:15:00');
  });

  it('gives a business day from midnight to midnight of the zone', () => {
    expect(dayRange('2026-12-31', 'Asia/Shanghai')).toEqual({
      from: Date.UTC(2026, 11, 30, 16),
      to: Date.UTC(2026, 11, 31, 16),
    });
    // The day the clocks go forward in Berlin has 23 hours.
    const short = dayRange('2026-03-29', 'Europe/Berlin');
    expect(short.to - short.from).toBe(23 * 3_600_000);
  });

  it('refuses text that is not a date', () => {
    expect(() => zonedToEpoch('yesterday', 'UTC')).toThrow();
  });
});
