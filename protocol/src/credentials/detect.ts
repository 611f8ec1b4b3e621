/**
 * Tells what a 1D/2D scanner read: a signed QR credential, a pre-printed barcode, or something else (a payment QR,
 * a URL, noise). Classification only — the caller then verifies with checkQrCredential / checkBarcode, so a
 * barcode with a wrong check digit is still a 'barcode' and is refused with its own reason.
 */

import { normaliseBarcodeDigits } from './barcode.js';
import { base45Digit } from './base45.js';
import { QR_TEXT_LENGTH } from './qr-code.js';

/** Scanner input beyond this is refused before any work: no credential is anywhere near as long. */
export const MAX_SCAN_LENGTH = 512;

export type ScanClass =
  | { kind: 'qr'; text: string }
  | { kind: 'barcode'; code: string }
  | { kind: 'unknown' };

const UNKNOWN: ScanClass = Object.freeze({ kind: 'unknown' });

function isBase45Text(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (base45Digit(text.charCodeAt(i)) < 0) return false;
  return true;
}

export function classifyScan(text: string): ScanClass {
  if (typeof text !== 'string' || text.length > MAX_SCAN_LENGTH) return UNKNOWN;
  // Scanners wrap what they read in CR, LF or TAB (keyboard-wedge prefix/suffix). Spaces need care: space is a
  // base45 character and a QR credential may start with one (key ids 5, 50, 95, …), but one never ends with a
  // space (its last character encodes a single byte's high digit, 0–5), so only trailing spaces are dropped.
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) < 0x20) start++;
  while (end > start && text.charCodeAt(end - 1) <= 0x20) end--;
  const trimmed = start === 0 && end === text.length ? text : text.slice(start, end);
  if (trimmed.length === QR_TEXT_LENGTH && isBase45Text(trimmed)) return { kind: 'qr', text: trimmed };
  const code = normaliseBarcodeDigits(trimmed);
  return code === null ? UNKNOWN : { kind: 'barcode', code };
}
