/**
 * Comparison bases of the decision analysis (决策分析): which days a period is compared with. 同比 (year over year)
 * takes the period a year earlier; 环比 (period over period) the period just before. The user picks the basis and
 * the answer names it:
 *   same_date     the same calendar dates (29 February falls back to the 28th; a period that ends on a month's last
 *                 day ends on that month's last day a year earlier, so a whole February is compared with a whole one)
 *   same_weekday  the same weekdays: 364 days (52 weeks) earlier; 环比 shifts by whole weeks
 *   same_holiday_day  the same day of the same public holiday (Spring Festival day 3 vs day 3): needs the venue's
 *                 holiday calendar (holiday-calendar.ts over the holidays module's periods), not in this file;
 *                 without one, asking for it answers 400 REPORT_BASIS_UNAVAILABLE.
 *
 * `ComparisonCalendar` is the seam, synchronous: the reports load the calendar periods a request needs first (a
 * `CalendarSource` from the composition root) and answer from them. This file's `plainCalendar` knows the first two
 * bases and no holidays; holiday-calendar.ts implements all three and `holidays` for the holiday-period series.
 */
import { AppError } from '../../platform/errors.js';
import { civilDateOfDayNumber, dayNumberOf, daysInMonth } from '../../platform/identity/civil-date.js';
import type { Localized } from '../../platform/language.js';
import type { DayRange } from './period.js';

export const BASES = ['same_date', 'same_weekday', 'same_holiday_day'] as const;
export type Basis = (typeof BASES)[number];

export const COMPARISONS = ['yoy', 'pop'] as const;
/** yoy: 同比, a year earlier; pop: 环比, the period just before. */
export type Comparison = (typeof COMPARISONS)[number];

/**
 * A base period, and the basis that actually gave it when that differs from the one asked for (same_holiday_day
 * falls back to same_weekday outside a holiday), so the answer can say so per period.
 */
export interface BaseRange extends DayRange {
  readonly basis?: Basis;
}

/** How one basis maps a period (a day, a month, a holiday, a whole range) to the days it is compared with. */
export interface BaseDays {
  readonly basis: Basis;
  /** What the answer shows the user, per comparison. */
  label(comparison: Comparison): Localized;
  /** The base of a period a year earlier; null when there is none. `monthly`: the period is a calendar month. */
  yearBefore(period: DayRange, monthly: boolean): BaseRange | null;
  /** The base of a period just before it; null when there is none. */
  periodBefore(period: DayRange, monthly: boolean): BaseRange | null;
}

export interface HolidayPeriod {
  readonly name: Localized;
  readonly fromDay: number;
  readonly toDay: number;
}

export interface ComparisonCalendar {
  /** The mapping of a basis; throws 400 REPORT_BASIS_UNAVAILABLE when this calendar cannot answer it. */
  bases(basis: Basis): BaseDays;
  /** The holiday periods overlapping a range, in order (the holiday series); throws when there is no calendar. */
  holidays(range: DayRange): readonly HolidayPeriod[];
}

/** The same calendar date a year earlier; 29 February → 28 February. */
export function sameDateYearBefore(day: number): number {
  const { year, month, day: date } = civilDateOfDayNumber(day);
  return dayNumberOf({ year: year - 1, month, day: Math.min(date, daysInMonth(year - 1, month)) });
}

function isLastOfMonth(day: number): boolean {
  const { year, month, day: date } = civilDateOfDayNumber(day);
  return date === daysInMonth(year, month);
}

/** The calendar month before the one starting at `day` (a month's first day). */
function monthBefore(firstDay: number): DayRange {
  const { year, month } = civilDateOfDayNumber(firstDay);
  const prior = month === 1 ? { year: year - 1, month: 12 } : { year, month: month - 1 };
  const fromDay = dayNumberOf({ ...prior, day: 1 });
  return { fromDay, toDay: fromDay + daysInMonth(prior.year, prior.month) - 1 };
}

const length = (period: DayRange) => period.toDay - period.fromDay + 1;
const shifted = (period: DayRange, days: number): DayRange => ({
  fromDay: period.fromDay - days,
  toDay: period.toDay - days,
});

const wholeMonth = (period: DayRange) => {
  const first = civilDateOfDayNumber(period.fromDay);
  return first.day === 1 && isLastOfMonth(period.toDay) && length(period) <= 31;
};

export const SAME_DATE: BaseDays = {
  basis: 'same_date',
  label: (comparison) =>
    comparison === 'yoy'
      ? { 'zh-CN': '同比（上年同日期）', en: 'Year over year (same date last year)' }
      : { 'zh-CN': '环比（上一周期）', en: 'Period over period (the period before)' },
  yearBefore(period) {
    const fromDay = sameDateYearBefore(period.fromDay);
    let toDay = sameDateYearBefore(period.toDay);
    if (isLastOfMonth(period.toDay) && period.toDay > period.fromDay) {
      const { year, month } = civilDateOfDayNumber(toDay);
      toDay = dayNumberOf({ year, month, day: daysInMonth(year, month) });
    }
    return { fromDay, toDay };
  },
  periodBefore(period, monthly) {
    if (monthly && wholeMonth(period)) return monthBefore(period.fromDay);
    return shifted(period, length(period));
  },
};

export const SAME_WEEKDAY: BaseDays = {
  basis: 'same_weekday',
  label: (comparison) =>
    comparison === 'yoy'
      ? { 'zh-CN': '同比（上年同星期，−364 天）', en: 'Year over year (same weekday, −364 days)' }
      : {
          'zh-CN': '环比（上一周期，按整周对齐）',
          en: 'Period over period (the period before, in whole weeks)',
        },
  yearBefore: (period) => shifted(period, 364),
  periodBefore: (period) => shifted(period, Math.ceil(length(period) / 7) * 7),
};

function unavailable(): never {
  throw new AppError('REPORT_BASIS_UNAVAILABLE');
}

/** Same date and same weekday; no holiday calendar (same_holiday_day and the holiday series are refused). */
export const plainCalendar: ComparisonCalendar = {
  bases(basis) {
    if (basis === 'same_date') return SAME_DATE;
    if (basis === 'same_weekday') return SAME_WEEKDAY;
    return unavailable();
  },
  holidays: () => unavailable(),
};

/**
 * The change from the base in basis points (1234 = +12.34 %); null, never Infinity, when the base is 0. Relative to
 * the base's size, so a net that rises from −¥100 to ¥50 reads +150 %, not −150 %.
 */
export function changeBasisPoints(value: number, base: number | null): number | null {
  if (base === null || base === 0) return null;
  return Math.round(((value - base) * 10_000) / Math.abs(base));
}
