/**
 * Month arithmetic on business-day strings (YYYY-MM-DD), never through the browser's time zone: a month's first and
 * last dates, the weeks of a calendar grid starting on Monday, and moving a month back or forth.
 */

export interface Month {
  readonly year: number;
  /** 1–12. */
  readonly month: number;
}

const pad = (n: number) => String(n).padStart(2, '0');

export function monthOf(date: string): Month {
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)) };
}

export function daysIn({ year, month }: Month): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function dateOf({ year, month }: Month, day: number): string {
  return `${year}-${pad(month)}-${pad(day)}`;
}

export function firstDate(month: Month): string {
  return dateOf(month, 1);
}

export function lastDate(month: Month): string {
  return dateOf(month, daysIn(month));
}

export function shiftMonth({ year, month }: Month, by: number): Month {
  const index = year * 12 + (month - 1) + by;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

/** ISO weekday (1 Monday … 7 Sunday) of a date. */
export function isoWeekday(date: string): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

/** The month as weeks of seven cells, Monday first; cells outside the month are null. */
export function monthWeeks(month: Month): (string | null)[][] {
  const cells: (string | null)[] = Array.from({ length: isoWeekday(firstDate(month)) - 1 }, () => null);
  for (let day = 1; day <= daysIn(month); day++) cells.push(dateOf(month, day));
  while (cells.length % 7 !== 0) cells.push(null);
  const weeks: (string | null)[][] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return weeks;
}
