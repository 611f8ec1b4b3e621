/**
 * RFC 9285 base45: bytes → the 45 characters of QR alphanumeric mode, so a binary payload rides in the densest text
 * mode a QR code offers (5.5 bits per character). Two bytes become three characters, a trailing byte two.
 */
import { ProtocolError } from '../errors.js';

export const BASE45_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

/** Character code → digit value, -1 for characters outside the alphabet. */
const DIGIT_OF = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE45_ALPHABET.length; i++) DIGIT_OF[BASE45_ALPHABET.charCodeAt(i)] = i;

/** Value of one base45 character, or -1. Exported for classifiers that need the alphabet test without decoding. */
export function base45Digit(charCode: number): number {
  return charCode < 128 ? DIGIT_OF[charCode]! : -1;
}

/** Decoded byte length of a base45 text of this many characters, or -1 if no valid text has that length. */
export function base45DecodedLength(textLength: number): number {
  const rest = textLength % 3;
  if (rest === 1) return -1;
  return ((textLength - rest) / 3) * 2 + (rest === 2 ? 1 : 0);
}

export function base45Encode(bytes: Uint8Array): string {
  let out = '';
  const pairsEnd = bytes.length - (bytes.length % 2);
  for (let i = 0; i < pairsEnd; i += 2) {
    const n = bytes[i]! * 256 + bytes[i + 1]!;
    const e = Math.floor(n / 2025);
    const rest = n - e * 2025;
    const d = Math.floor(rest / 45);
    out += BASE45_ALPHABET[rest - d * 45]! + BASE45_ALPHABET[d]! + BASE45_ALPHABET[e]!;
  }
  if (pairsEnd < bytes.length) {
    const n = bytes[pairsEnd]!;
    const d = Math.floor(n / 45);
    out += BASE45_ALPHABET[n - d * 45]! + BASE45_ALPHABET[d]!;
  }
  return out;
}

/**
 * Decodes `text` into `out` from offset 0 without allocating. Returns the number of bytes written, or -1 when the
 * text is not canonical base45 (bad character, impossible length, a triple above 65535 or a pair above 255) or does
 * not fit in `out`. Every byte string has exactly one base45 text, so a valid decode is also a canonical one.
 */
export function base45DecodeInto(text: string, out: Uint8Array): number {
  const length = base45DecodedLength(text.length);
  if (length < 0 || length > out.length) return -1;
  let o = 0;
  const triplesEnd = text.length - (text.length % 3);
  for (let i = 0; i < triplesEnd; i += 3) {
    const c = base45Digit(text.charCodeAt(i));
    const d = base45Digit(text.charCodeAt(i + 1));
    const e = base45Digit(text.charCodeAt(i + 2));
    if ((c | d | e) < 0) return -1;
    const n = c + d * 45 + e * 2025;
    if (n > 0xffff) return -1;
    out[o++] = n >>> 8;
    out[o++] = n & 0xff;
  }
  if (triplesEnd < text.length) {
    const c = base45Digit(text.charCodeAt(triplesEnd));
    const d = base45Digit(text.charCodeAt(triplesEnd + 1));
    if ((c | d) < 0) return -1;
    const n = c + d * 45;
    if (n > 0xff) return -1;
    out[o++] = n;
  }
  return o;
}

/** Decodes base45 text; throws ProtocolError('MALFORMED') for anything that is not canonical base45. */
export function base45Decode(text: string): Buffer {
  const length = base45DecodedLength(text.length);
  if (length < 0)
    throw new ProtocolError('MALFORMED', `base45 text length ${text.length} leaves a lone character`);
  const out = Buffer.allocUnsafe(length);
  if (base45DecodeInto(text, out) !== length) {
    throw new ProtocolError(
      'MALFORMED',
      'base45 text has a character outside the alphabet or a group out of range',
    );
  }
  return out;
}
