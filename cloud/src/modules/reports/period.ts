/**
 * The period a report covers: `YYYY-MM-DD` dates in the site's zone (each taking's and entry's day is its own site's
 * local day), checked once: the end not before the start, at most MAX_REPORT_DAYS days (400: a year and its edges,
 * what a year-over-year series needs; a longer range would make one request sum years of rollups).
 */
import { AppError } from '../../platform/errors.js';
import {
  civilDateOfDayNumber,
  dayNumberOf,
  daysInMonth,
  formatIsoDate,
  parseIsoDate,
} from '../../platform/identity/civil-date.js';

export const MAX_REPORT_DAYS = 400;

export interface DayRange {
  /** Site-local day numbers, inclusive. */
  readonly fromDay: number;
  readonly toDay: number;
}

/** The day number of a `YYYY-MM-DD` date the schema has already checked. */
export function dayOf(date: string): number {
  const civil = parseIsoDate(date);
  if (!civil)
    throw new AppError('BAD_REQUEST', {
      reason: { 'zh-CN': `日期无效：${date}`, en: `not a date: ${date}` },
    });
  return dayNumberOf(civil);
}

export function dateOf(day: number): string {
  return formatIsoDate(civilDateOfDayNumber(day));
}

/** `YYYY-MM` of a day. */
export function monthOf(day: number): string {
  return dateOf(day).slice(0, 7);
}

/** The first and last day of the month holding `day`. */
export function monthSpan(day: number): DayRange {
  const { year, month } = civilDateOfDayNumber(day);
  const fromDay = dayNumberOf({ year, month, day: 1 });
  return { fromDay, toDay: fromDay + daysInMonth(year, month) - 1 };
}

/** The range of two dates, refused when reversed or longer than `maxDays`. */
export function rangeOf(from: string, to: string, maxDays = MAX_REPORT_DAYS): DayRange {
  const fromDay = dayOf(from);
  const toDay = dayOf(to);
  if (toDay < fromDay) throw new AppError('REPORT_RANGE_INVALID', { from, to });
  const days = toDay - fromDay + 1;
  if (days > maxDays) throw new AppError('REPORT_RANGE_TOO_LONG', { days, maxDays });
  return { fromDay, toDay };
}
