/**
 * Comparison bases for 同比 (year on year) and 环比 (period over period), and the change between two figures: pure
 * functions over venue day numbers (days since 1970-01-01) and the holiday calendar, no I/O. Reports ask the
 * holidays service, which loads the calendar and calls these.
 *
 * Year on year, each day of the period gets one base day a year earlier:
 * - `same_date`: the same calendar date (29 February → 28 February, the last day of that February);
 * - `same_weekday`: 364 days earlier, the same weekday 52 weeks back (a Saturday against a Saturday);
 * - `same_holiday_day`: day k of the same holiday the year before (day 3 of the 2026 Spring Festival against day 3 of
 *   the 2025 one, whatever their dates). A day that is in no holiday, whose holiday had no break the year before, or
 *   that lies past the end of last year's shorter break, falls back to `same_weekday`, and says why.
 * Every base says which holiday, if any, it falls in, so a report can mark a base distorted by a holiday.
 *
 * Period over period, the period before: the same number of days just before, the previous whole month(s) (a
 * partial month shifts by one month, a day past the shorter month's end kept at its last day), or the holiday break
 * before this one.
 *
 * Money stays integer fen: a change is worked out in bigint and becomes basis points (1234 = +12.34 %), or a ratio,
 * only at the end; a base of 0 gives null (no figure), never Infinity or NaN.
 */
import { isoWeekdayOfDay } from '@scenic/protocol';
import {
  civilDateOfDayNumber,
  dayNumberOf,
  daysInMonth,
  isValidCivilDate,
} from '../../platform/identity/civil-date.js';
import type { Localized } from '../../platform/language.js';
import type { HolidayKind } from './tables.js';

/** One row of the calendar as the comparisons read it. */
export interface CalendarPeriod {
  readonly id: string;
  readonly code: string;
  readonly name: Localized;
  readonly year: number;
  readonly firstDay: number;
  readonly lastDay: number;
  readonly kind: HolidayKind;
}

export const YEAR_ON_YEAR_BASES = ['same_date', 'same_weekday', 'same_holiday_day'] as const;
export type YearOnYearBasis = (typeof YEAR_ON_YEAR_BASES)[number];

export const PREVIOUS_PERIODS = ['previous_days', 'previous_month', 'previous_holiday'] as const;
export type PreviousPeriodKind = (typeof PREVIOUS_PERIODS)[number];

/** How a base day was found: the basis asked for, or `weekday_fallback` when same_holiday_day could not apply. */
export type BaseMatch = 'same_date' | 'same_weekday' | 'same_holiday_day' | 'weekday_fallback';
export type FallbackReason = 'not_a_holiday' | 'no_base_holiday' | 'beyond_base_holiday';

export interface BaseDay {
  readonly day: number;
  readonly base: number;
  readonly match: BaseMatch;
  /** The holiday break this day is in, and which day of it (1 = its first day). */
  readonly holiday?: { readonly id: string; readonly code: string; readonly dayOfHoliday: number };
  /** same_holiday_day: the break of the year before that the base day was taken from. */
  readonly baseHolidayId?: string;
  readonly fallback?: FallbackReason;
  /** The holiday break the base day falls in, if any (a plain day compared with last year's Spring Festival). */
  readonly baseInHoliday?: { readonly id: string; readonly code: string };
}

export interface DayRange {
  readonly from: number;
  readonly to: number;
}

/** 52 weeks: the same weekday a year back. */
export const WEEKS_52 = 364;

function assertRange({ from, to }: DayRange): void {
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from > to)
    throw new RangeError(`not a day range: ${from}…${to}`);
}

/** The same calendar date a year earlier; 29 February becomes 28 February. */
export function sameDateLastYear(day: number): number {
  const { year, month, day: dayOfMonth } = civilDateOfDayNumber(day);
  const date = { year: year - 1, month, day: dayOfMonth };
  return dayNumberOf(isValidCivilDate(date.year, month, dayOfMonth) ? date : { ...date, day: 28 });
}

export function sameWeekdayLastYear(day: number): number {
  return day - WEEKS_52;
}

/** The calendar's holiday breaks (not the make-up days), ready to look days up in. */
class Breaks {
  private readonly breaks: readonly CalendarPeriod[];
  private readonly byCodeYear = new Map<string, CalendarPeriod>();

  constructor(calendar: readonly CalendarPeriod[]) {
    this.breaks = calendar.filter((p) => p.kind === 'holiday').sort((a, b) => a.firstDay - b.firstDay);
    for (const period of this.breaks) this.byCodeYear.set(`${period.code}\u0000${period.year}`, period);
  }

  containing(day: number): CalendarPeriod | undefined {
    return this.breaks.find((p) => p.firstDay <= day && day <= p.lastDay);
  }

  of(code: string, year: number): CalendarPeriod | undefined {
    return this.byCodeYear.get(`${code}\u0000${year}`);
  }

  before(period: CalendarPeriod): CalendarPeriod | undefined {
    let found: CalendarPeriod | undefined;
    for (const p of this.breaks) if (p.lastDay < period.firstDay) found = p;
    return found;
  }
}

function baseOf(day: number, basis: YearOnYearBasis, breaks: Breaks): Omit<BaseDay, 'baseInHoliday'> {
  if (basis === 'same_date') return { day, base: sameDateLastYear(day), match: 'same_date' };
  if (basis === 'same_weekday') return { day, base: sameWeekdayLastYear(day), match: 'same_weekday' };
  const fallback = (reason: FallbackReason, extra: Partial<BaseDay> = {}) => ({
    day,
    base: sameWeekdayLastYear(day),
    match: 'weekday_fallback' as const,
    fallback: reason,
    ...extra,
  });
  const current = breaks.containing(day);
  if (!current) return fallback('not_a_holiday');
  const dayOfHoliday = day - current.firstDay + 1;
  const holiday = { id: current.id, code: current.code, dayOfHoliday };
  const last = breaks.of(current.code, current.year - 1);
  if (!last) return fallback('no_base_holiday', { holiday });
  const base = last.firstDay + dayOfHoliday - 1;
  if (base > last.lastDay) return fallback('beyond_base_holiday', { holiday, baseHolidayId: last.id });
  return { day, base, match: 'same_holiday_day', holiday, baseHolidayId: last.id };
}

/** Each day of `range` with its base day a year earlier, in order. */
export function yearOnYearBases(
  range: DayRange,
  basis: YearOnYearBasis,
  calendar: readonly CalendarPeriod[],
): BaseDay[] {
  assertRange(range);
  const breaks = new Breaks(calendar);
  const bases: BaseDay[] = [];
  for (let day = range.from; day <= range.to; day++) {
    const found = baseOf(day, basis, breaks);
    const baseBreak = breaks.containing(found.base);
    bases.push(baseBreak ? { ...found, baseInHoliday: { id: baseBreak.id, code: baseBreak.code } } : found);
  }
  return bases;
}

/** A day shifted by whole months, kept within the target month (31 March − 1 month = 28 or 29 February). */
export function shiftMonths(day: number, months: number): number {
  const { year, month, day: dayOfMonth } = civilDateOfDayNumber(day);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12) + 1;
  return dayNumberOf({
    year: targetYear,
    month: targetMonth,
    day: Math.min(dayOfMonth, daysInMonth(targetYear, targetMonth)),
  });
}

/** How many whole calendar months `range` is (0 when it does not start on a 1st and end on a month's last day). */
export function wholeMonths({ from, to }: DayRange): number {
  const first = civilDateOfDayNumber(from);
  const last = civilDateOfDayNumber(to);
  if (first.day !== 1 || last.day !== daysInMonth(last.year, last.month)) return 0;
  return (last.year - first.year) * 12 + (last.month - first.month) + 1;
}

export interface PreviousPeriod extends DayRange {
  readonly kind: PreviousPeriodKind;
  /** previous_holiday: the break compared with. */
  readonly holiday?: CalendarPeriod;
}

/**
 * The period a 环比 compares `range` with; undefined when there is none (previous_holiday for a range that is not
 * within one holiday break, or with no break before it in the calendar).
 */
export function previousPeriod(
  range: DayRange,
  kind: PreviousPeriodKind,
  calendar: readonly CalendarPeriod[] = [],
): PreviousPeriod | undefined {
  assertRange(range);
  const { from, to } = range;
  if (kind === 'previous_days') {
    const length = to - from + 1;
    return { kind, from: from - length, to: from - 1 };
  }
  if (kind === 'previous_month') {
    const months = wholeMonths(range);
    if (months > 0) return { kind, from: shiftMonths(from, -months), to: from - 1 };
    return { kind, from: shiftMonths(from, -1), to: shiftMonths(to, -1) };
  }
  const breaks = new Breaks(calendar);
  const current = breaks.containing(from);
  if (!current || to > current.lastDay) return undefined;
  const holiday = breaks.before(current);
  return holiday && { kind, from: holiday.firstDay, to: holiday.lastDay, holiday };
}

export type DayKind = 'holiday' | 'workday_swap' | 'weekend' | 'workday';

/** What kind of day it is at the venue: in a holiday break, a make-up working day, a weekend or a working day. */
export function dayKindOf(
  day: number,
  calendar: readonly CalendarPeriod[],
): { readonly kind: DayKind; readonly period?: CalendarPeriod } {
  const period = calendar.find((p) => p.firstDay <= day && day <= p.lastDay);
  if (period) return { kind: period.kind, period };
  return { kind: isoWeekdayOfDay(day) >= 6 ? 'weekend' : 'workday' };
}

type Amount = bigint | number;

function exact(value: Amount, what: string): bigint {
  if (typeof value === 'bigint') return value;
  if (Number.isSafeInteger(value)) return BigInt(value);
  throw new RangeError(`${what} must be a whole number (fen, a count), got ${value}`);
}

/** n / d rounded half away from zero; d > 0. */
function roundDiv(n: bigint, d: bigint): bigint {
  return n >= 0n ? (2n * n + d) / (2n * d) : -((-2n * n + d) / (2n * d));
}

/**
 * The change from `base` to `current` in basis points (+12.34 % = 1234), rounded half away from zero; null when the
 * base is 0 (no figure). Against a negative base (net takings after refunds) the change is measured against its
 * size, so a rise is positive. Exact while the answer is a safe integer (any change below 9×10¹¹ %).
 */
export function changeBasisPoints(current: Amount, base: Amount): number | null {
  const c = exact(current, 'current');
  const b = exact(base, 'base');
  if (b === 0n) return null;
  return Number(roundDiv((c - b) * 10_000n, b < 0n ? -b : b));
}

/** The change as a ratio (0.1234 = +12.34 %), divided only at the end; null when the base is 0. */
export function changeRatio(current: Amount, base: Amount): number | null {
  const c = exact(current, 'current');
  const b = exact(base, 'base');
  if (b === 0n) return null;
  return Number(c - b) / Number(b < 0n ? -b : b);
}

/** `part` as a share of `whole` in basis points (a ticket type's share of the takings); null when whole is 0. */
export function shareBasisPoints(part: Amount, whole: Amount): number | null {
  const p = exact(part, 'part');
  const w = exact(whole, 'whole');
  if (w === 0n) return null;
  return Number(roundDiv(p * 10_000n, w < 0n ? -w : w));
}
