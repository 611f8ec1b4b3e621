/**
 * Signed QR credential. Binary layout, big-endian, 17 bytes followed by a 64-byte Ed25519 signature over them:
 *
 *   offset size field
 *        0    1 formatVersion  = 1
 *        1    1 keyId          signing key id, 0–255 (see keys.ts for rotation)
 *        2    5 ticketId       u40, 1 … 2^40−1 (matches ticketIdSchema)
 *        7    2 typeId         u16, 1 … 65535
 *        9    3 validFrom      u24 minutes since 2024-01-01T00:00:00Z, inclusive
 *       12    3 validTo        u24 minutes since 2024-01-01T00:00:00Z, exclusive (u24 reaches 2055-11)
 *       15    1 entries        0 = unlimited, else the number of entries the ticket grants
 *       16    1 flags          bit0 real-name, bit1 child/concession, bit2 group, bit3 staff; bits 4–7 zero
 *
 * 81 bytes encode to exactly 122 base45 characters, the alphanumeric capacity of a version-5 QR code at error
 * correction level M (37×37 modules) — comfortably inside the version-7-M ceiling (178 characters), so the printed
 * or on-screen code stays small and scans fast. Adding even one byte would push it to version 6.
 *
 * Check order is fixed: MALFORMED, UNSUPPORTED_VERSION, UNKNOWN_KEY, BAD_SIGNATURE, then EXPIRED and NOT_YET_VALID.
 * The signature is checked before the times so a forged or altered code never reports anything time-related.
 */
import { sign, verify } from 'node:crypto';
import { ProtocolError } from '../errors.js';
import { base45DecodeInto, base45Encode } from './base45.js';
import { assertKeyId, type PublicKeyLookup, type SigningKeyPair } from './keys.js';

export const QR_FORMAT_VERSION = 1;
export const QR_PAYLOAD_BYTES = 17;
export const QR_SIGNATURE_BYTES = 64;
export const QR_CODE_BYTES = QR_PAYLOAD_BYTES + QR_SIGNATURE_BYTES;
/** Length of every version-1 QR credential text. */
export const QR_TEXT_LENGTH = 122;
/** Validity times count minutes from this instant; the cloud aligns them with Math.floor/ceil to whole minutes. */
export const QR_TIME_EPOCH_MS = Date.UTC(2024, 0, 1);
export const QR_TIME_MAX_MS = QR_TIME_EPOCH_MS + 0xffffff * 60_000;

/** Meaning of the flags byte. Informational for the gate's LED/voice; entitlement itself comes from the type. */
export const QR_FLAGS = {
  /** Sold against a real-name ID; staff may ask to see it. */
  REAL_NAME: 1 << 0,
  /** Child / senior / student concession: the gate announces it so staff can check eligibility. */
  CONCESSION: 1 << 1,
  /** Group (travel agency) ticket. */
  GROUP: 1 << 2,
  /** Staff or contractor pass. */
  STAFF: 1 << 3,
} as const;
const DEFINED_FLAGS = 0x0f;

export interface QrCredentialFields {
  ticketId: number;
  typeId: number;
  /** Epoch ms, inclusive; a whole minute between 2024-01-01 and QR_TIME_MAX_MS. */
  validFrom: number;
  /** Epoch ms, exclusive; a whole minute, after validFrom. */
  validTo: number;
  /** 0 = unlimited, 1–255. */
  entries: number;
  /** OR of QR_FLAGS. */
  flags: number;
}

export interface QrCredential extends QrCredentialFields {
  formatVersion: typeof QR_FORMAT_VERSION;
  keyId: number;
}

export type QrFailureCode =
  | 'MALFORMED'
  | 'UNSUPPORTED_VERSION'
  | 'UNKNOWN_KEY'
  | 'BAD_SIGNATURE'
  | 'EXPIRED'
  | 'NOT_YET_VALID';

export type QrCheckResult =
  | { readonly ok: true; readonly credential: QrCredential }
  | {
      readonly ok: false;
      readonly code: 'MALFORMED' | 'UNSUPPORTED_VERSION' | 'UNKNOWN_KEY' | 'BAD_SIGNATURE';
      readonly message: string;
    }
  | {
      /** The signature is good, so the credential is authentic and reported for the passage log. */
      readonly ok: false;
      readonly code: 'EXPIRED' | 'NOT_YET_VALID';
      readonly message: string;
      readonly credential: QrCredential;
    };

function invalid(field: string, value: number, range: string): ProtocolError {
  return new ProtocolError('MALFORMED', `QR credential ${field} ${value} is not ${range}`);
}

function requireInt(field: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max)
    throw invalid(field, value, `an integer ${min}–${max}`);
}

function toMinutes(field: string, ms: number): number {
  const offset = ms - QR_TIME_EPOCH_MS;
  if (!Number.isInteger(ms) || offset < 0 || ms > QR_TIME_MAX_MS || offset % 60_000 !== 0) {
    throw invalid(field, ms, 'a whole minute between 2024-01-01 and 2055-11');
  }
  return offset / 60_000;
}

/** Builds, signs and base45-encodes a credential. Throws ProtocolError('MALFORMED') for out-of-range fields. */
export function encodeQrCredential(fields: QrCredentialFields, signer: SigningKeyPair): string {
  assertKeyId(signer.keyId);
  requireInt('ticketId', fields.ticketId, 1, 2 ** 40 - 1);
  requireInt('typeId', fields.typeId, 1, 0xffff);
  requireInt('entries', fields.entries, 0, 0xff);
  requireInt('flags', fields.flags, 0, DEFINED_FLAGS);
  const from = toMinutes('validFrom', fields.validFrom);
  const to = toMinutes('validTo', fields.validTo);
  if (to <= from) throw invalid('validTo', fields.validTo, 'after validFrom');

  const code = Buffer.alloc(QR_CODE_BYTES);
  code[0] = QR_FORMAT_VERSION;
  code[1] = signer.keyId;
  code.writeUIntBE(fields.ticketId, 2, 5);
  code.writeUInt16BE(fields.typeId, 7);
  code.writeUIntBE(from, 9, 3);
  code.writeUIntBE(to, 12, 3);
  code[15] = fields.entries;
  code[16] = fields.flags;
  sign(null, code.subarray(0, QR_PAYLOAD_BYTES), signer.privateKey).copy(code, QR_PAYLOAD_BYTES);
  return base45Encode(code);
}

// Verification decodes into one module-level buffer through fixed views: no allocation besides the result object.
// Safe because crypto.verify without a callback is synchronous, so calls never interleave.
const scratch = Buffer.alloc(QR_CODE_BYTES);
const scratchPayload = scratch.subarray(0, QR_PAYLOAD_BYTES);
const scratchSignature = scratch.subarray(QR_PAYLOAD_BYTES);

const MALFORMED: QrCheckResult = Object.freeze({
  ok: false,
  code: 'MALFORMED',
  message: `not a QR credential: expected ${QR_TEXT_LENGTH} base45 characters`,
});
const UNSUPPORTED_VERSION: QrCheckResult = Object.freeze({
  ok: false,
  code: 'UNSUPPORTED_VERSION',
  message: `QR credential format is not version ${QR_FORMAT_VERSION}`,
});
const BAD_SIGNATURE: QrCheckResult = Object.freeze({
  ok: false,
  code: 'BAD_SIGNATURE',
  message: 'QR credential signature does not match: forged or altered',
});

/** Verifies a scanned QR text without throwing: the gate's hot path. */
export function checkQrCredential(text: string, keyring: PublicKeyLookup, nowMs: number): QrCheckResult {
  if (typeof text !== 'string' || text.length !== QR_TEXT_LENGTH) return MALFORMED;
  if (base45DecodeInto(text, scratch) !== QR_CODE_BYTES) return MALFORMED;
  if (scratch[0] !== QR_FORMAT_VERSION) return UNSUPPORTED_VERSION;
  const keyId = scratch[1]!;
  const key = keyring.publicKey(keyId);
  if (key === undefined) {
    return {
      ok: false,
      code: 'UNKNOWN_KEY',
      message: `QR credential signed with unknown or retired key ${keyId}`,
    };
  }
  if (!verify(null, scratchPayload, key, scratchSignature)) return BAD_SIGNATURE;

  const credential: QrCredential = {
    formatVersion: QR_FORMAT_VERSION,
    keyId,
    ticketId: scratch[2]! * 0x1_0000_0000 + scratch.readUInt32BE(3),
    typeId: (scratch[7]! << 8) | scratch[8]!,
    validFrom: QR_TIME_EPOCH_MS + ((scratch[9]! << 16) | (scratch[10]! << 8) | scratch[11]!) * 60_000,
    validTo: QR_TIME_EPOCH_MS + ((scratch[12]! << 16) | (scratch[13]! << 8) | scratch[14]!) * 60_000,
    entries: scratch[15]!,
    flags: scratch[16]!,
  };
  if (nowMs >= credential.validTo) {
    return { ok: false, code: 'EXPIRED', message: 'QR credential has expired', credential };
  }
  if (nowMs < credential.validFrom) {
    return { ok: false, code: 'NOT_YET_VALID', message: 'QR credential is not valid yet', credential };
  }
  return { ok: true, credential };
}

/** Verifies a scanned QR text; returns the credential or throws ProtocolError with the failure code. */
export function verifyQrCredential(text: string, keyring: PublicKeyLookup, nowMs: number): QrCredential {
  const result = checkQrCredential(text, keyring, nowMs);
  if (result.ok) return result.credential;
  throw new ProtocolError(
    result.code,
    result.message,
    'credential' in result ? { credential: result.credential } : undefined,
  );
}
