import { describe, expect, it } from 'vitest';
import { formatDateTime, formatFen, formatPeriod } from './format.js';

const SH = 'Asia/Shanghai';
const MAY_1 = Date.UTC(2025, 3, 30, 16); // 2025-05-01 00:00 in Shanghai
const H = 3_600_000;

describe('formatFen', () => {
  it('prints integer fen as yuan with two decimals', () => {
    expect(formatFen(12000)).toBe('¥120.00');
    expect(formatFen(5)).toBe('¥0.05');
    expect(formatFen(0)).toBe('¥0.00');
    expect(formatFen(-1000)).toBe('-¥10.00');
    expect(formatFen(100_000_000)).toBe('¥1000000.00');
  });
});

describe('formatPeriod', () => {
  it('prints whole venue days as dates with an inclusive last day', () => {
    expect(formatPeriod({ fromMs: MAY_1, toMs: MAY_1 + 24 * H }, SH)).toBe('2025-05-01');
    expect(formatPeriod({ fromMs: MAY_1, toMs: MAY_1 + 3 * 24 * H }, SH)).toBe('2025-05-01 至 2025-05-03');
  });

  it('prints a slot with times, and the end date only when it differs', () => {
    expect(formatPeriod({ fromMs: MAY_1 + 9 * H, toMs: MAY_1 + 10 * H }, SH)).toBe('2025-05-01 09:00–10:00');
    expect(formatPeriod({ fromMs: MAY_1 + 9 * H, toMs: MAY_1 + 33 * H }, SH)).toBe(
      '2025-05-01 09:00 至 2025-05-02 09:00',
    );
  });

  it('uses the venue zone, not the server zone', () => {
    expect(formatDateTime(MAY_1, SH)).toBe('2025-05-01 00:00');
    expect(formatDateTime(MAY_1, 'Europe/Berlin')).toBe('2025-04-30 18:00');
    // A Berlin day across the spring change is 23 hours and still prints as one date.
    const mar30 = Date.UTC(2025, 2, 29, 23);
    expect(formatPeriod({ fromMs: mar30, toMs: mar30 + 23 * H }, 'Europe/Berlin')).toBe('2025-03-30');
  });
});
