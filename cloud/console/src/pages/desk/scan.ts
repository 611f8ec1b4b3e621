/**
 * What the 票效查询 box was given: a barcode scanner or card reader types the code and Enter, a cashier may type an
 * ID number or paste a card UID. The lookup API takes exactly one of `code` (QR text or barcode), `cardUid` and
 * `idNumber`; this decides which, the way the cloud itself tells them apart, so one box serves every input. A mode
 * other than `auto` forces the choice (an all-digit card UID reads like a barcode otherwise).
 */
export type LookupMode = 'auto' | 'code' | 'card' | 'id';
export type LookupParam = 'code' | 'cardUid' | 'idNumber';

export interface LookupInput {
  readonly param: LookupParam;
  readonly value: string;
}

/** A signed QR credential is always this many base45 characters (protocol QR_TEXT_LENGTH). */
export const QR_TEXT_LENGTH = 122;
/** The API's limits (lookupQuerySchema). */
export const MAX_LENGTH: Record<LookupParam, number> = { code: 512, cardUid: 64, idNumber: 32 };

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** An 18-character resident ID number whose check character (ISO 7064 MOD 11-2) is right. */
export function isResidentId(text: string): boolean {
  if (!/^\d{17}[\dX]$/i.test(text)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(text[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11] === text[17]!.toUpperCase();
}

/** Hex text of 4 or 7 bytes, optionally with `:`, `-` or space between bytes, with at least one letter or separator. */
function looksLikeCardUid(text: string): boolean {
  if (!/^[0-9a-f]{2}([:\- ]?[0-9a-f]{2})*$/i.test(text)) return false;
  const digits = text.replace(/[:\- ]/g, '');
  if (digits.length !== 8 && digits.length !== 14) return false;
  // All digits and no separator is a barcode (8–24 digits) unless the operator says it is a card.
  return /[a-f:\-\s]/i.test(text);
}

/**
 * Scanners wrap what they read in CR, LF or TAB; a QR text may begin with a space (a base45 digit) but never ends
 * with one, so only control characters are dropped in front and any white space behind.
 */
export function trimScan(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) < 0x20) start++;
  while (end > start && text.charCodeAt(end - 1) <= 0x20) end--;
  return text.slice(start, end);
}

/** Which lookup parameter the text is, or null for nothing to look up. */
export function classifyLookupInput(raw: string, mode: LookupMode = 'auto'): LookupInput | null {
  const text = trimScan(raw);
  if (text.trim() === '') return null;
  if (mode === 'code') return { param: 'code', value: text };
  if (mode === 'card') return { param: 'cardUid', value: text.trim() };
  if (mode === 'id') return { param: 'idNumber', value: text.trim().toUpperCase() };
  if (text.length === QR_TEXT_LENGTH) return { param: 'code', value: text };
  const plain = text.trim();
  if (isResidentId(plain)) return { param: 'idNumber', value: plain.toUpperCase() };
  if (looksLikeCardUid(plain)) return { param: 'cardUid', value: plain };
  return { param: 'code', value: text };
}
