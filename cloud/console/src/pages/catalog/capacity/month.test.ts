import { describe, expect, it } from 'vitest';
import { daysIn, firstDate, isoWeekday, lastDate, monthOf, monthWeeks, shiftMonth } from './month';

describe('calendar months', () => {
  it('knows the length of months, leap Februaries included', () => {
    expect(daysIn({ year: 2026, month: 2 })).toBe(28);
    expect(daysIn({ year: 2028, month: 2 })).toBe(29);
    expect(lastDate({ year: 2026, month: 12 })).toBe('2026-12-31');
    expect(firstDate(monthOf('2026-12-07'))).toBe('2026-12-01');
  });

  it('moves across year ends', () => {
    expect(shiftMonth({ year: 2026, month: 12 }, 1)).toEqual({ year: 2027, month: 1 });
    expect(shiftMonth({ year: 2026, month: 1 }, -1)).toEqual({ year: 2025, month: 12 });
    expect(shiftMonth({ year: 2026, month: 5 }, -17)).toEqual({ year: 2024, month: 12 });
  });

  it('lays a month out in weeks starting on Monday', () => {
    expect(isoWeekday('2026-12-01')).toBe(2); // a Tuesday
    expect(isoWeekday('2026-11-01')).toBe(7); // a Sunday
    const weeks = monthWeeks({ year: 2026, month: 12 });
    expect(weeks).toHaveLength(5);
    expect(weeks[0]).toEqual([
      null,
      '2026-12-01',
      '2026-12-02',
      '2026-12-03',
      '2026-12-04',
      '2026-12-05',
      '2026-12-06',
    ]);
    expect(weeks[4]).toEqual(['2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31', null, null, null]);
    // February 2027 starts on a Monday and fills exactly four weeks.
    expect(monthWeeks({ year: 2027, month: 2 })).toHaveLength(4);
    expect(monthWeeks({ year: 2026, month: 11 })).toHaveLength(6);
  });
});
