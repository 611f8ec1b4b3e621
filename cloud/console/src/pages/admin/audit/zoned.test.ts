import { describe, expect, it } from 'vitest';
import { dayStart } from './zoned';

describe('local midnight in a zone', () => {
  it('is 16:00 UTC the day before in Shanghai', () => {
    expect(new Date(dayStart('2026-03-01', 'Asia/Shanghai')).toISOString()).toBe('2026-02-28T16:00:00.000Z');
  });

  it('follows daylight saving where the zone has it', () => {
    expect(new Date(dayStart('2026-07-01', 'Europe/Berlin')).toISOString()).toBe('2026-06-30T22:00:00.000Z');
    expect(new Date(dayStart('2026-01-01', 'Europe/Berlin')).toISOString()).toBe('2025-12-31T23:00:00.000Z');
    expect(new Date(dayStart('2026-03-29', 'Europe/Berlin')).toISOString()).toBe('2026-03-28T23:00:00.000Z');
  });
});
