/**
 * Pre-printed ticket codes: random digits plus one Damm check digit, printed as Code128 on the stub.
 *
 * Why Damm: like Verhoeff it catches every single-digit substitution and every adjacent transposition with one
 * decimal check digit, but it is a single 10×10 table walk with no permutation or inverse tables, and the check is
 * simply "the walk over all digits ends at 0". Luhn misses the 09↔90 transposition, so it is not used.
 */
import { randomInt } from 'node:crypto';
import { ProtocolError } from '../errors.js';

export const BARCODE_MIN_LENGTH = 8;
export const BARCODE_MAX_LENGTH = 24;
export const BARCODE_DEFAULT_LENGTH = 12;
/** Inputs longer than this are rejected before any per-character work. */
const MAX_INPUT_LENGTH = 64;

// The order-10 weakly totally anti-symmetric quasigroup from H. M. Damm's thesis (2004), row = interim, col = digit.
const DAMM = Uint8Array.from([
  0, 3, 1, 7, 5, 9, 8, 6, 4, 2, 7, 0, 9, 2, 1, 5, 4, 8, 6, 3, 4, 2, 0, 6, 8, 7, 1, 3, 5, 9, 1, 7, 5, 0, 9, 8,
  3, 4, 2, 6, 6, 1, 2, 3, 0, 4, 5, 9, 7, 8, 3, 6, 7, 4, 2, 0, 9, 5, 8, 1, 5, 8, 6, 9, 7, 2, 0, 1, 3, 4, 8, 9,
  4, 5, 3, 6, 2, 0, 1, 7, 9, 4, 3, 8, 6, 1, 7, 2, 0, 5, 2, 5, 8, 1, 4, 3, 6, 7, 9, 0,
]);

function dammWalk(digits: string): number {
  let interim = 0;
  for (let i = 0; i < digits.length; i++) interim = DAMM[interim * 10 + digits.charCodeAt(i) - 48]!;
  return interim;
}

/** The Damm check digit to append to a string of ASCII digits. */
export function barcodeCheckDigit(digits: string): number {
  return dammWalk(digits);
}

/**
 * Reduces what a scanner or a cashier typed to plain ASCII digits: spaces, tabs, CR/LF and hyphens are dropped and
 * full-width digits (Chinese IME input) are mapped. Returns null for any other character or a length outside 8–24.
 */
export function normaliseBarcodeDigits(text: string): string | null {
  if (typeof text !== 'string' || text.length > MAX_INPUT_LENGTH) return null;
  let digits = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) digits += text[i];
    else if (c >= 0xff10 && c <= 0xff19) digits += String.fromCharCode(c - 0xff10 + 0x30);
    else if (c !== 0x20 && c !== 0x2d && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x3000) return null;
  }
  return digits.length >= BARCODE_MIN_LENGTH && digits.length <= BARCODE_MAX_LENGTH ? digits : null;
}

export type BarcodeCheckResult =
  | { readonly ok: true; readonly barcode: string }
  | { readonly ok: false; readonly code: 'MALFORMED' | 'BAD_CHECK_DIGIT'; readonly message: string };

/** Validates a barcode without throwing; on success `barcode` is the normalised digit string. */
export function checkBarcode(text: string): BarcodeCheckResult {
  const digits = normaliseBarcodeDigits(text);
  if (digits === null) {
    return {
      ok: false,
      code: 'MALFORMED',
      message: `barcode must be ${BARCODE_MIN_LENGTH}–${BARCODE_MAX_LENGTH} digits`,
    };
  }
  if (dammWalk(digits) !== 0)
    return { ok: false, code: 'BAD_CHECK_DIGIT', message: 'barcode check digit is wrong' };
  return { ok: true, barcode: digits };
}

/** Returns the normalised barcode or throws ProtocolError('MALFORMED' | 'BAD_CHECK_DIGIT'). */
export function validateBarcode(text: string): string {
  const result = checkBarcode(text);
  if (!result.ok) throw new ProtocolError(result.code, result.message);
  return result.barcode;
}

function requireLength(length: number): void {
  if (!Number.isInteger(length) || length < BARCODE_MIN_LENGTH || length > BARCODE_MAX_LENGTH) {
    throw new ProtocolError(
      'MALFORMED',
      `barcode length must be ${BARCODE_MIN_LENGTH}–${BARCODE_MAX_LENGTH}`,
    );
  }
}

/**
 * A fresh random code of `length` digits, the last one the check digit. The first digit is never 0 so that
 * spreadsheets and CSV imports at the ticket office cannot strip it; the remaining digits are uniform.
 */
export function generateBarcode(length: number = BARCODE_DEFAULT_LENGTH): string {
  requireLength(length);
  let body = String(randomInt(1, 10));
  // randomInt's range must stay below 2^48, so draw at most 12 digits at a time.
  for (let left = length - 2; left > 0; left -= 12) {
    const chunk = Math.min(left, 12);
    body += String(randomInt(0, 10 ** chunk)).padStart(chunk, '0');
  }
  return body + dammWalk(body);
}

/**
 * `count` distinct codes for a print run. Uniqueness against codes already issued is the caller's job (a unique
 * index). A run may use at most 1 % of the code space: beyond that, guessing a valid stub gets too easy.
 */
export function generateBarcodes(count: number, length: number = BARCODE_DEFAULT_LENGTH): string[] {
  requireLength(length);
  const space = 9 * 10 ** (length - 2);
  if (!Number.isInteger(count) || count < 0 || count > space / 100 || count > 10_000_000) {
    throw new ProtocolError('MALFORMED', `cannot issue ${count} codes of ${length} digits`);
  }
  const codes = new Set<string>();
  while (codes.size < count) codes.add(generateBarcode(length));
  return [...codes];
}
