/**
 * The agencies pages' pure rules, mirroring the API's (cloud/src/modules/agencies/schemas.ts) so a form says what is
 * wrong as the operator types; the API checks again and its field errors land on the same fields.
 */
import type { AgencyStatement } from '../../api/types';
import { parseYuan } from '../../format/money';

/** The API's limits: at most 1,000,000 yuan per movement or settlement price; a credit limit up to 100,000,000. */
export const MAX_MOVEMENT_FEN = 100_000_000;
export const MAX_CREDIT_LIMIT_FEN = 10_000_000_000;
export const MAX_CONTACTS = 10;
export const LIMITS = {
  name: 128,
  licenceNo: 64,
  contactName: 64,
  phone: 32,
  email: 254,
  note: 200,
} as const;
export const REASON = { min: 2, max: 200 } as const;

export type AmountProblem = 'format' | 'range' | 'zero';

/**
 * A typed yuan amount as fen, or what is wrong with it. `signed` allows a leading minus (an adjustment); zero is
 * refused when `nonZero` (a top-up must be at least one fen, an adjustment cannot be zero).
 */
export function checkAmount(
  text: string | undefined,
  { min, max, signed = false }: { min: number; max: number; signed?: boolean },
): { fen: number } | { problem: AmountProblem } {
  const trimmed = (text ?? '').trim();
  const negative = signed && trimmed.startsWith('-');
  const fen = parseYuan(negative ? trimmed.slice(1) : trimmed);
  if (fen === undefined) return { problem: 'format' };
  const value = negative ? -fen : fen;
  if (signed && value === 0) return { problem: 'zero' };
  if (value < min || value > max) return { problem: 'range' };
  return { fen: value };
}

export interface DatedDraft {
  readonly from?: string;
  readonly to?: string;
}

/**
 * Problems of a settlement price's date ranges, by row: the last date before the first, or a range overlapping an
 * earlier one (both ends are inclusive, as the API reads them). Dates are YYYY-MM-DD, so text order is date order.
 */
export function datedProblems(
  ranges: readonly (DatedDraft | undefined)[],
): ('order' | 'overlap' | undefined)[] {
  return ranges.map((range, index) => {
    if (!range?.from || !range.to) return undefined;
    if (range.to < range.from) return 'order';
    for (let other = 0; other < index; other++) {
      const earlier = ranges[other];
      if (!earlier?.from || !earlier.to || earlier.to < earlier.from) continue;
      if (range.from <= earlier.to && earlier.from <= range.to) return 'overlap';
    }
    return undefined;
  });
}

export interface ContactDraft {
  readonly name?: string;
  readonly phone?: string;
  readonly email?: string;
}

/** Contacts as the API takes them: trimmed, an empty email left out (the API refuses an empty one). */
export function contactsBody(
  contacts: readonly ContactDraft[] | undefined,
): { name: string; phone: string; email?: string }[] {
  return (contacts ?? []).map((contact) => {
    const email = contact.email?.trim();
    return {
      name: (contact.name ?? '').trim(),
      phone: (contact.phone ?? '').trim(),
      ...(email ? { email } : {}),
    };
  });
}

/** A simple email check as the form's first line; the API's own rule is the final word. */
export function looksLikeEmail(text: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text);
}

/**
 * A statement's identity: opening + top-ups − debits + credits = closing. The API builds it so; the console shows it
 * and says so loudly should the figures ever disagree.
 */
export function statementIdentity(
  statement: Pick<
    AgencyStatement,
    'openingBalanceFen' | 'topUpsFen' | 'debitsFen' | 'creditsFen' | 'closingBalanceFen'
  >,
): { expectedFen: number; balanced: boolean } {
  const expectedFen =
    statement.openingBalanceFen + statement.topUpsFen - statement.debitsFen + statement.creditsFen;
  return { expectedFen, balanced: expectedFen === statement.closingBalanceFen };
}

/** The first and last day of the month that contains `day` (YYYY-MM-DD), for the statement's default period. */
export function monthOf(day: string): { from: string; to: string } {
  const [year = 1970, month = 1] = day.split('-').map(Number);
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const mm = String(month).padStart(2, '0');
  return { from: `${year}-${mm}-01`, to: `${year}-${mm}-${String(last).padStart(2, '0')}` };
}
