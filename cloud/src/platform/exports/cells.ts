/**
 * One cell of a report, read and formatted by its column's kind (report.ts). Money and percentages are integers
 * (fen, basis points) all the way: the decimal text is made by integer division, so ¥0.10 + ¥0.20 shows 0.30 and a
 * million rows of fen add up to the exact fen. A value of the wrong shape is the report's bug and throws, naming
 * the column.
 */
import { createVenueClock, type VenueClock } from '@scenic/protocol';
import { civilDateOfDayNumber, dayNumberOf, formatIsoDate, parseIsoDate } from '../identity/civil-date.js';
import type { CellValue, ReportColumn } from './report.js';

const clocks = new Map<string, VenueClock>();

function clockOf(timeZone: string): VenueClock {
  let clock = clocks.get(timeZone);
  if (!clock) {
    clock = createVenueClock(timeZone);
    clocks.set(timeZone, clock);
  }
  return clock;
}

function wrongCell(column: ReportColumn, value: CellValue, expected: string): Error {
  return new Error(`report column "${column.key}" (${column.kind}): ${String(value)} is not ${expected}`);
}

/** An integer cell (integer, money_fen, percent) as a bigint; null when empty. */
export function integerOf(column: ReportColumn, value: CellValue): bigint | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  throw wrongCell(column, value, 'a safe integer');
}

/** A date cell as a venue day number; null when empty. */
export function dayOf(column: ReportColumn, value: CellValue): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string') {
    const date = parseIsoDate(value);
    if (date) return dayNumberOf(date);
  }
  throw wrongCell(column, value, 'a day number or YYYY-MM-DD');
}

/** A datetime cell as epoch milliseconds; null when empty. */
export function instantOf(column: ReportColumn, value: CellValue): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  throw wrongCell(column, value, 'epoch milliseconds');
}

const pad = (n: number | bigint, width = 2) => String(n).padStart(width, '0');
const group = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** Hundredths as decimal text: 123456n → `1234.56`, -5n → `-0.05`; `grouping` adds thousands separators. */
export function hundredthsText(value: bigint, grouping = false): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const whole = String(abs / 100n);
  return `${negative ? '-' : ''}${grouping ? group(whole) : whole}.${pad(abs % 100n)}`;
}

/**
 * Fen as the number of yuan a spreadsheet cell holds: the double nearest the exact decimal (what typing the
 * decimal into Excel gives), made from the integer text rather than by float arithmetic on fen.
 */
export function yuanNumber(fen: bigint): number {
  return Number(hundredthsText(fen));
}

/** Basis points as a fraction for a `0.00%` cell: 1234n → 0.1234. */
export function fractionOfBasisPoints(bp: bigint): number {
  const negative = bp < 0n;
  const abs = negative ? -bp : bp;
  return Number(`${negative ? '-' : ''}${abs / 10_000n}.${pad(abs % 10_000n, 4)}`);
}

export function isoDateOfDay(day: number): string {
  return formatIsoDate(civilDateOfDayNumber(day));
}

/** `+08:00` for an offset in milliseconds. */
export function offsetText(offsetMs: number): string {
  const minutes = Math.round(Math.abs(offsetMs) / 60_000);
  return `${offsetMs < 0 ? '-' : '+'}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

export interface LocalInstant {
  /** The local wall-clock time as if it were UTC (what a spreadsheet's zone-less date cell holds). */
  readonly wallMs: number;
  readonly offsetMs: number;
}

export function localInstant(ms: number, timeZone: string): LocalInstant {
  const offsetMs = clockOf(timeZone).offsetMs(ms);
  return { wallMs: ms + offsetMs, offsetMs };
}

/** `2026-12-07 14:30:05 +08:00`: the venue's wall clock with its offset, so the instant is never ambiguous. */
export function dateTimeText(ms: number, timeZone: string): string {
  const { wallMs, offsetMs } = localInstant(ms, timeZone);
  const wall = new Date(wallMs);
  const date = `${pad(wall.getUTCFullYear(), 4)}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}`;
  const time = `${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())}`;
  return `${date} ${time} ${offsetText(offsetMs)}`;
}

/**
 * A cell as text (CSV, PDF); '' when empty. `grouping` adds thousands separators to money and integers, for
 * reading (PDF); a CSV leaves them out so a spreadsheet reads the cell as a number.
 */
export function cellText(column: ReportColumn, value: CellValue, timeZone: string, grouping = false): string {
  switch (column.kind) {
    case 'text':
      if (value === null || value === undefined) return '';
      if (typeof value === 'string') return value;
      throw wrongCell(column, value, 'a string');
    case 'integer': {
      const n = integerOf(column, value);
      if (n === null) return '';
      return grouping ? `${n < 0n ? '-' : ''}${group(String(n < 0n ? -n : n))}` : String(n);
    }
    case 'money_fen': {
      const fen = integerOf(column, value);
      return fen === null ? '' : hundredthsText(fen, grouping);
    }
    case 'percent': {
      const bp = integerOf(column, value);
      return bp === null ? '' : `${hundredthsText(bp)}%`;
    }
    case 'date': {
      const day = dayOf(column, value);
      return day === null ? '' : isoDateOfDay(day);
    }
    case 'datetime': {
      const ms = instantOf(column, value);
      return ms === null ? '' : dateTimeText(ms, timeZone);
    }
  }
}
