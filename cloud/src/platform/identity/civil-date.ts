/**
 * Calendar dates without a time of day (a birth date, a visit date). Kept as plain year/month/day numbers so age
 * and weekday math never passes through an instant, where a time zone could shift the day.
 */
import type { VenueClock } from '@scenic/protocol';

const DAY_MS = 86_400_000;

export interface CivilDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function isValidCivilDate(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

/** `YYYY-MM-DD` → a date, or undefined when the text is not a real calendar date (e.g. 2025-02-29). */
export function parseIsoDate(text: string): CivilDate | undefined {
  const match = ISO_DATE.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return isValidCivilDate(year, month, day) ? { year, month, day } : undefined;
}

export function formatIsoDate({ year, month, day }: CivilDate): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Days since 1970-01-01 (the protocol VenueClock's `dayNumber` scale). */
export function dayNumberOf({ year, month, day }: CivilDate): number {
  return Math.floor(Date.UTC(year, month - 1, day) / DAY_MS);
}

export function civilDateOfDayNumber(dayNumber: number): CivilDate {
  const date = new Date(dayNumber * DAY_MS);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** The venue-local calendar date of an instant, e.g. for "today" at the ticket window. */
export function localDateAt(ms: number, clock: VenueClock): CivilDate {
  return civilDateOfDayNumber(clock.dayNumber(ms));
}

/**
 * Completed years (周岁) on `on` for someone born on `birth`. The age goes up on the birthday itself. Someone born
 * on 29 February has, in a non-leap year, not yet had the birthday on 28 February, so the age goes up on 1 March —
 * which is what comparing (month, day) pairs gives. Note that some legal contexts in China count a full year only
 * from the day after the birthday; ticket discounts here follow the common venue practice (on the birthday).
 * Before the birth date the result is negative.
 */
export function ageOn(birth: CivilDate, on: CivilDate): number {
  const hadBirthday = on.month > birth.month || (on.month === birth.month && on.day >= birth.day);
  return on.year - birth.year - (hadBirthday ? 0 : 1);
}
