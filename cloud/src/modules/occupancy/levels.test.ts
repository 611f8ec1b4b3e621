import { describe, expect, it } from 'vitest';
import { occupancyDay } from './day.js';
import { nextLevel } from './levels.js';

describe('alert levels', () => {
  it('rises to the highest threshold reached and falls only below threshold minus hysteresis', () => {
    expect(nextLevel(0, 79, 100, 3)).toBe(0);
    expect(nextLevel(0, 80, 100, 3)).toBe(80);
    expect(nextLevel(0, 96, 100, 3)).toBe(95);
    expect(nextLevel(80, 77, 100, 3)).toBe(80);
    expect(nextLevel(80, 76, 100, 3)).toBe(0);
    expect(nextLevel(95, 92, 100, 3)).toBe(95);
    expect(nextLevel(95, 91, 100, 3)).toBe(90);
    expect(nextLevel(95, 40, 100, 3)).toBe(0);
    expect(nextLevel(90, 95, 100, 0)).toBe(95);
  });

  it('has no levels without a capacity', () => {
    expect(nextLevel(80, 1_000, null, 3)).toBe(0);
    expect(nextLevel(0, 5, 0, 3)).toBe(0);
  });
});

describe('occupancy day', () => {
  // 2026-05-01T15:59:59.999Z is 23:59:59.999 in Shanghai; one ms later it is 00:00 on 05-02.
  const beforeMidnight = Date.UTC(2026, 4, 1, 15, 59, 59, 999);

  it('is the venue-local date, starting at the reset hour', () => {
    expect(occupancyDay(beforeMidnight, 'Asia/Shanghai', 0)).toBe('2026-05-01');
    expect(occupancyDay(beforeMidnight + 1, 'Asia/Shanghai', 0)).toBe('2026-05-02');
    // With a 04:00 reset, 03:59 local still belongs to the previous day.
    expect(occupancyDay(beforeMidnight + 1 + 4 * 3_600_000 - 1, 'Asia/Shanghai', 4)).toBe('2026-05-01');
    expect(occupancyDay(beforeMidnight + 1 + 4 * 3_600_000, 'Asia/Shanghai', 4)).toBe('2026-05-02');
    expect(occupancyDay(beforeMidnight, 'Asia/Shanghai', null)).toBe('');
  });
});
