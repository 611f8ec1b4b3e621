/**
 * The holiday calendar as the reports' `ComparisonCalendar` (bases.ts): same date and same weekday as the plain
 * calendar, plus same_holiday_day and the holiday-period series, answered from the calendar periods the holidays
 * service loaded for the request (its `calendarFor`: the years the range touches, the year before and after), so
 * the comparison itself stays synchronous and a holiday edited a moment ago moves the base of the next request.
 *
 * same_holiday_day maps a period that lies within one holiday break onto the same days of that holiday's break a
 * year earlier (Spring Festival day 3 → last year's day 3; the whole break → last year's whole break, whatever their
 * lengths), and for 环比 onto the same days of the break just before. Anything else — a day in no break, a break
 * with none the year before, a day past the end of last year's shorter break, a month — falls back to the same
 * weekday (−364 days; whole weeks for 环比), the rule of holidays/comparison.ts, and the label says so.
 */
import type { CalendarPeriod } from '../holidays/comparison.js';
import {
  type BaseDays,
  type BaseRange,
  type ComparisonCalendar,
  type HolidayPeriod,
  plainCalendar,
  SAME_WEEKDAY,
} from './bases.js';
import type { DayRange } from './period.js';

/** Loads the calendar a comparison over `range` needs; the composition root hands one to the reports. */
export interface CalendarSource {
  calendarFor(range: DayRange): Promise<ComparisonCalendar>;
}

/** No holiday calendar: same date and same weekday only. */
export const plainCalendarSource: CalendarSource = { calendarFor: async () => plainCalendar };

/** The break a period lies wholly within, or undefined. */
function breakHolding(breaks: readonly CalendarPeriod[], period: DayRange): CalendarPeriod | undefined {
  return breaks.find((b) => b.firstDay <= period.fromDay && period.toDay <= b.lastDay);
}

/** The same days of `base` as `period` is of `current` (the whole break for the whole break); null past its end. */
function sameDaysOf(period: DayRange, current: CalendarPeriod, base: CalendarPeriod): BaseRange | null {
  if (period.fromDay === current.firstDay && period.toDay === current.lastDay)
    return { fromDay: base.firstDay, toDay: base.lastDay, basis: 'same_holiday_day' };
  const fromDay = base.firstDay + (period.fromDay - current.firstDay);
  if (fromDay > base.lastDay) return null;
  return {
    fromDay,
    toDay: Math.min(base.firstDay + (period.toDay - current.firstDay), base.lastDay),
    basis: 'same_holiday_day',
  };
}

/** The same-weekday base a period falls back to, marked as such. */
function weekdayFallback(base: DayRange | null): BaseRange | null {
  return base && { ...base, basis: 'same_weekday' };
}

function sameHolidayDay(breaks: readonly CalendarPeriod[]): BaseDays {
  return {
    basis: 'same_holiday_day',
    label: (comparison) =>
      comparison === 'yoy'
        ? {
            'zh-CN': '同比（上年同节假日同一天；节假日外按同星期，−364 天）',
            en: 'Year over year (same day of the same holiday last year; other days: same weekday, −364 days)',
          }
        : {
            'zh-CN': '环比（上一个节假日的同一天；节假日外按整周）',
            en: 'Period over period (same day of the holiday before; other days: in whole weeks)',
          },
    yearBefore(period, monthly) {
      const current = breakHolding(breaks, period);
      const last = current && breaks.find((b) => b.code === current.code && b.year === current.year - 1);
      return (
        (current && last && sameDaysOf(period, current, last)) ??
        weekdayFallback(SAME_WEEKDAY.yearBefore(period, monthly))
      );
    },
    periodBefore(period, monthly) {
      const current = breakHolding(breaks, period);
      const before = current && breaks.filter((b) => b.lastDay < current.firstDay).at(-1);
      return (
        (current && before && sameDaysOf(period, current, before)) ??
        weekdayFallback(SAME_WEEKDAY.periodBefore(period, monthly))
      );
    },
  };
}

/** A comparison calendar over loaded calendar periods (make-up working days are not breaks and are left out). */
export function holidayCalendar(periods: readonly CalendarPeriod[]): ComparisonCalendar {
  const breaks = periods.filter((p) => p.kind === 'holiday').sort((a, b) => a.firstDay - b.firstDay);
  const holidayDays = sameHolidayDay(breaks);
  return {
    bases: (basis) => (basis === 'same_holiday_day' ? holidayDays : plainCalendar.bases(basis)),
    holidays: (range): HolidayPeriod[] =>
      breaks
        .filter((b) => b.firstDay <= range.toDay && range.fromDay <= b.lastDay)
        .map((b) => ({
          // Cut to the range: only its days are summed; a cut break is compared day for day.
          name: { 'zh-CN': `${b.year} ${b.name['zh-CN']}`, en: `${b.name.en} ${b.year}` },
          fromDay: Math.max(b.firstDay, range.fromDay),
          toDay: Math.min(b.lastDay, range.toDay),
        })),
  };
}
