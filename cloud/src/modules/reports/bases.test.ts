/**
 * The comparison bases: same date (29 February, whole months), same weekday (−364 days, whole weeks for 环比), the
 * period before, the change in basis points (null, never Infinity, on a base of 0), and the plain calendar refusing
 * what needs a holiday calendar.
 */
import { describe, expect, it } from 'vitest';
import { changeBasisPoints, plainCalendar, SAME_DATE, SAME_WEEKDAY, sameDateYearBefore } from './bases.js';
import { dateOf, dayOf } from './period.js';

const span = (from: string, to: string) => ({ fromDay: dayOf(from), toDay: dayOf(to) });
const dates = (range: { fromDay: number; toDay: number } | null) =>
  range && [dateOf(range.fromDay), dateOf(range.toDay)];
const weekday = (day: number) => new Date(day * 86_400_000).getUTCDay();

describe('comparison bases', () => {
  it('same date: a year earlier, 29 February on the 28th, a whole month on the whole month', () => {
    expect(dateOf(sameDateYearBefore(dayOf('2024-02-29')))).toBe('2023-02-28');
    expect(dateOf(sameDateYearBefore(dayOf('2026-03-01')))).toBe('2025-03-01');
    expect(dates(SAME_DATE.yearBefore(span('2026-12-07', '2026-12-07'), false))).toEqual([
      '2025-12-07',
      '2025-12-07',
    ]);
    expect(dates(SAME_DATE.yearBefore(span('2025-02-01', '2025-02-28'), true))).toEqual([
      '2024-02-01',
      '2024-02-29',
    ]);
    expect(dates(SAME_DATE.yearBefore(span('2024-02-01', '2024-02-29'), true))).toEqual([
      '2023-02-01',
      '2023-02-28',
    ]);
    expect(dates(SAME_DATE.yearBefore(span('2026-01-01', '2026-12-31'), false))).toEqual([
      '2025-01-01',
      '2025-12-31',
    ]);
  });

  it('same weekday: 364 days earlier, on the same weekday', () => {
    const period = span('2026-12-01', '2026-12-07');
    const base = SAME_WEEKDAY.yearBefore(period, false)!;
    expect(dates(base)).toEqual(['2025-12-02', '2025-12-08']);
    expect(weekday(base.fromDay)).toBe(weekday(period.fromDay));
  });

  it('环比: the period before, a calendar month before a whole month, whole weeks for same weekday', () => {
    expect(dates(SAME_DATE.periodBefore(span('2026-03-01', '2026-03-31'), true))).toEqual([
      '2026-02-01',
      '2026-02-28',
    ]);
    expect(dates(SAME_DATE.periodBefore(span('2026-03-05', '2026-03-14'), false))).toEqual([
      '2026-02-23',
      '2026-03-04',
    ]);
    expect(dates(SAME_DATE.periodBefore(span('2026-03-05', '2026-03-05'), false))).toEqual([
      '2026-03-04',
      '2026-03-04',
    ]);
    expect(dates(SAME_WEEKDAY.periodBefore(span('2026-03-05', '2026-03-14'), false))).toEqual([
      '2026-02-19',
      '2026-02-28',
    ]);
    expect(SAME_DATE.label('yoy')['zh-CN']).toContain('同比');
    expect(SAME_WEEKDAY.label('pop').en).toContain('whole weeks');
  });

  it('gives the change in basis points, and no figure on a base of 0', () => {
    expect(changeBasisPoints(150, 100)).toBe(5_000);
    expect(changeBasisPoints(0, 100)).toBe(-10_000);
    expect(changeBasisPoints(5, 0)).toBeNull();
    expect(changeBasisPoints(5, null)).toBeNull();
    expect(changeBasisPoints(50, -100)).toBe(15_000);
    expect(changeBasisPoints(1, 3)).toBe(-6_667);
  });

  it('the plain calendar knows no holidays: same holiday day and holiday periods are refused with a stable code', () => {
    expect(plainCalendar.bases('same_date')).toBe(SAME_DATE);
    expect(plainCalendar.bases('same_weekday')).toBe(SAME_WEEKDAY);
    expect(() => plainCalendar.bases('same_holiday_day')).toThrow(
      expect.objectContaining({ code: 'REPORT_BASIS_UNAVAILABLE', status: 400 }),
    );
    expect(() => plainCalendar.holidays(span('2026-01-01', '2026-12-31'))).toThrow(
      expect.objectContaining({ code: 'REPORT_BASIS_UNAVAILABLE' }),
    );
  });
});
