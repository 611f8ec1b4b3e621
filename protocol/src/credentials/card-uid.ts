/**
 * MIFARE / ISO 14443-3 type A card UIDs, normalised to upper-case hex without separators (model.ts `cardUid`).
 *
 * Accepted: 4-byte (single size) and 7-byte (double size) UIDs. Rejected, all as BAD_CARD_UID:
 * - 10-byte (triple size) UIDs: they exist but are rare in venue card stock, and the whitelist column holds 4 or 7;
 * - 4-byte UIDs starting with 0x88, the cascade tag: that is cascade level 1 of a longer UID, reported by a reader
 *   that stopped the anticollision loop too early;
 * - 4-byte UIDs starting with 0x08, random IDs (phones, some CPU cards): they change on every power-up, so binding
 *   one to a ticket would never match again;
 * - 7-byte UIDs whose fourth byte is 0x88 (forbidden by ISO/IEC 14443-3 Amd. 1: it would read as a cascade tag);
 * - all-zero and all-0xFF UIDs, which readers return on a failed read.
 */
import { ProtocolError } from '../errors.js';

const CASCADE_TAG = 0x88;
const RANDOM_ID_PREFIX = 0x08;
/** Inputs longer than this are rejected before any per-character work (7 bytes with separators is 20). */
const MAX_INPUT_LENGTH = 64;

export type CardUidInput = string | Uint8Array | readonly number[];

export type CardUidCheckResult =
  | { readonly ok: true; readonly uid: string }
  | { readonly ok: false; readonly code: 'BAD_CARD_UID'; readonly message: string };

function fail(message: string): CardUidCheckResult {
  return { ok: false, code: 'BAD_CARD_UID', message };
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return -1;
}

/** Hex text with optional `:`, `-`, space separators (and a reader's trailing CR/LF) → bytes, or an error message. */
function parseHex(text: string): number[] | string {
  if (text.length > MAX_INPUT_LENGTH) return 'card UID text is too long';
  const bytes: number[] = [];
  let high = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const v = hexValue(c);
    if (v >= 0) {
      if (high < 0) high = v;
      else {
        bytes.push((high << 4) | v);
        high = -1;
      }
    } else if (c === 0x3a || c === 0x2d || c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) {
      // A separator may not split a byte: "0:4A2…" is a typo, not a UID.
      if (high >= 0) return 'card UID has a separator inside a byte';
    } else {
      return 'card UID must be hexadecimal';
    }
  }
  if (high >= 0) return 'card UID has an odd number of hex digits';
  return bytes;
}

function toBytes(input: CardUidInput): ArrayLike<number> | string {
  if (typeof input === 'string') return parseHex(input);
  if (input instanceof Uint8Array) return input;
  if (!Array.isArray(input) || input.length > MAX_INPUT_LENGTH) return 'card UID must be hex text or bytes';
  for (const b of input) {
    if (!Number.isInteger(b) || b < 0 || b > 255) return 'card UID bytes must be integers 0–255';
  }
  return input;
}

function allEqual(bytes: ArrayLike<number>, value: number): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== value) return false;
  return true;
}

/** Normalises a card UID without throwing. */
export function checkCardUid(input: CardUidInput): CardUidCheckResult {
  const bytes = toBytes(input);
  if (typeof bytes === 'string') return fail(bytes);
  if (bytes.length === 10) return fail('10-byte (triple size) card UIDs are not supported');
  if (bytes.length !== 4 && bytes.length !== 7)
    return fail(`card UID must be 4 or 7 bytes, got ${bytes.length}`);
  if (allEqual(bytes, 0) || allEqual(bytes, 0xff)) return fail('card UID is all 00 or all FF: a failed read');
  if (bytes.length === 4 && bytes[0] === CASCADE_TAG) {
    return fail('4-byte card UID starts with the cascade tag 88: only part of a longer UID was read');
  }
  if (bytes.length === 4 && bytes[0] === RANDOM_ID_PREFIX) {
    return fail('card presents a random UID (08…) that changes on every read and cannot be bound');
  }
  if (bytes.length === 7 && bytes[3] === CASCADE_TAG)
    return fail('7-byte card UID has the cascade tag as byte 4');
  let uid = '';
  for (let i = 0; i < bytes.length; i++) uid += bytes[i]!.toString(16).padStart(2, '0');
  return { ok: true, uid: uid.toUpperCase() };
}

/** Returns the normalised UID (e.g. "04A22B1C5D8000") or throws ProtocolError('BAD_CARD_UID'). */
export function normaliseCardUid(input: CardUidInput): string {
  const result = checkCardUid(input);
  if (!result.ok) throw new ProtocolError(result.code, result.message);
  return result.uid;
}

/** The BCC check byte of an anticollision frame: XOR of the (four) UID bytes of one cascade level. */
export function cardUidBcc(bytes: ArrayLike<number>): number {
  let bcc = 0;
  for (let i = 0; i < bytes.length; i++) bcc ^= bytes[i]!;
  return bcc & 0xff;
}

/**
 * The 5-byte frames a card answers in each anticollision cascade level (4 UID-CLn bytes + BCC): one for a 4-byte
 * UID; two for a 7-byte UID, the first led by the cascade tag. The MFRC522 driver and its simulated chip use these.
 */
export function cardUidCascadeFrames(uid: CardUidInput): Uint8Array[] {
  const hex = normaliseCardUid(uid);
  const bytes = Buffer.from(hex, 'hex');
  const levels =
    bytes.length === 4 ? [bytes] : [Buffer.from([CASCADE_TAG, ...bytes.subarray(0, 3)]), bytes.subarray(3)];
  return levels.map((level) => Uint8Array.from([...level, cardUidBcc(level)]));
}
