import { sign } from 'node:crypto';
import bwipjs from 'bwip-js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../errors.js';
import { base45Decode, base45Encode } from './base45.js';
import { generateSigningKey, PublicKeyring, type SigningKeyPair } from './keys.js';
import {
  checkQrCredential,
  encodeQrCredential,
  QR_CODE_BYTES,
  QR_FLAGS,
  QR_PAYLOAD_BYTES,
  QR_TEXT_LENGTH,
  QR_TIME_EPOCH_MS,
  QR_TIME_MAX_MS,
  type QrCredentialFields,
  verifyQrCredential,
} from './qr-code.js';

const key7 = generateSigningKey(7);
const key6 = generateSigningKey(6);
const ring = new PublicKeyring();
ring.add(7, key7.publicKey);
ring.add(6, key6.publicKey);

const fields: QrCredentialFields = {
  ticketId: 123_456_789_012,
  typeId: 42,
  validFrom: Date.UTC(2025, 4, 1, 0, 0),
  validTo: Date.UTC(2025, 4, 2, 0, 0),
  entries: 1,
  flags: QR_FLAGS.REAL_NAME | QR_FLAGS.CONCESSION,
};
const now = Date.UTC(2025, 4, 1, 10, 30);
const maximal: QrCredentialFields = {
  ticketId: 2 ** 40 - 1,
  typeId: 0xffff,
  validFrom: QR_TIME_MAX_MS - 60_000,
  validTo: QR_TIME_MAX_MS,
  entries: 255,
  flags: 0x0f,
};

/** Signs arbitrary 17 payload bytes, bypassing the encoder's field checks. */
function signRaw(bytes: Uint8Array, key: SigningKeyPair): string {
  const code = Buffer.alloc(QR_CODE_BYTES);
  code.set(bytes.subarray(0, QR_PAYLOAD_BYTES));
  sign(null, code.subarray(0, QR_PAYLOAD_BYTES), key.privateKey).copy(code, QR_PAYLOAD_BYTES);
  return base45Encode(code);
}

function codeOf(text: string, keyring = ring, at = now): string {
  const result = checkQrCredential(text, keyring, at);
  return result.ok ? 'OK' : result.code;
}

describe('QR credential encoding', () => {
  it('round-trips to 122 base45 characters', () => {
    const text = encodeQrCredential(fields, key7);
    expect(text).toHaveLength(QR_TEXT_LENGTH);
    const expected = { ...fields, formatVersion: 1, keyId: 7 };
    expect(checkQrCredential(text, ring, now)).toEqual({ ok: true, credential: expected });
    expect(verifyQrCredential(text, ring, now)).toEqual(expected);
  });

  it('places every field where the layout says, big-endian', () => {
    const text = encodeQrCredential(
      {
        ticketId: 0x01_0203_0405,
        typeId: 0x0607,
        validFrom: QR_TIME_EPOCH_MS + 0x08090a * 60_000,
        validTo: QR_TIME_EPOCH_MS + 0x0b0c0d * 60_000,
        entries: 0x0e,
        flags: 0x0f,
      },
      key7,
    );
    const bytes = base45Decode(text);
    expect([...bytes.subarray(0, QR_PAYLOAD_BYTES)]).toEqual([
      1,
      7,
      ...Array.from({ length: 15 }, (_, i) => i + 1),
    ]);
  });

  it('round-trips the extreme field values', () => {
    const minimal: QrCredentialFields = {
      ticketId: 1,
      typeId: 1,
      validFrom: QR_TIME_EPOCH_MS,
      validTo: QR_TIME_EPOCH_MS + 60_000,
      entries: 0,
      flags: 0,
    };
    expect(verifyQrCredential(encodeQrCredential(minimal, key7), ring, QR_TIME_EPOCH_MS)).toMatchObject(
      minimal,
    );
    expect(verifyQrCredential(encodeQrCredential(maximal, key7), ring, maximal.validFrom)).toMatchObject(
      maximal,
    );
  });

  it('round-trips random valid fields', () => {
    const minutes = fc.integer({ min: 0, max: 0xffffff });
    fc.assert(
      fc.property(
        fc.record({
          ticketId: fc.integer({ min: 1, max: 2 ** 40 - 1 }),
          typeId: fc.integer({ min: 1, max: 0xffff }),
          span: fc.tuple(minutes, minutes).filter(([a, b]) => a !== b),
          entries: fc.integer({ min: 0, max: 255 }),
          flags: fc.integer({ min: 0, max: 15 }),
          keyId: fc.constantFrom(6, 7),
        }),
        ({ span, keyId, ...rest }) => {
          const [from, to] = span[0] < span[1] ? span : [span[1], span[0]];
          const input = {
            ...rest,
            validFrom: QR_TIME_EPOCH_MS + from * 60_000,
            validTo: QR_TIME_EPOCH_MS + to * 60_000,
          };
          const text = encodeQrCredential(input, keyId === 6 ? key6 : key7);
          expect(text).toHaveLength(QR_TEXT_LENGTH);
          expect(verifyQrCredential(text, ring, input.validFrom)).toEqual({
            ...input,
            formatVersion: 1,
            keyId,
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses fields it cannot represent', () => {
    const bad: Partial<QrCredentialFields>[] = [
      { ticketId: 0 },
      { ticketId: 2 ** 40 },
      { ticketId: 1.5 },
      { typeId: 0 },
      { typeId: 0x10000 },
      { entries: -1 },
      { entries: 256 },
      { flags: 16 },
      { validFrom: fields.validFrom + 1 },
      { validFrom: QR_TIME_EPOCH_MS - 60_000 },
      { validTo: fields.validFrom },
      { validTo: QR_TIME_MAX_MS + 60_000 },
      { validTo: Number.NaN },
    ];
    for (const change of bad) {
      expect(() => encodeQrCredential({ ...fields, ...change }, key7), JSON.stringify(change)).toThrow(
        expect.objectContaining({ code: 'MALFORMED' }),
      );
    }
  });
});

describe('QR credential verification', () => {
  const good = encodeQrCredential(fields, key7);

  it('reports MALFORMED for wrong length, bad base45 and garbage', () => {
    expect(codeOf(good.slice(1))).toBe('MALFORMED');
    expect(codeOf(`${good}0`)).toBe('MALFORMED');
    expect(codeOf(good.toLowerCase())).toBe('MALFORMED');
    expect(codeOf(`#${good.slice(1)}`)).toBe('MALFORMED');
    expect(codeOf(`:::${good.slice(3)}`)).toBe('MALFORMED'); // triple above 65535
    expect(codeOf('')).toBe('MALFORMED');
    expect(codeOf(42 as unknown as string)).toBe('MALFORMED');
  });

  it('reports UNSUPPORTED_VERSION before looking at the key or signature', () => {
    const bytes = base45Decode(good);
    bytes[0] = 2;
    expect(codeOf(signRaw(bytes, key7))).toBe('UNSUPPORTED_VERSION');
    bytes[1] = 99; // unknown key too: the version still wins
    expect(codeOf(signRaw(bytes, key7))).toBe('UNSUPPORTED_VERSION');
  });

  it('reports UNKNOWN_KEY for a code re-signed under a key id the gate does not hold', () => {
    expect(codeOf(encodeQrCredential(fields, generateSigningKey(9)))).toBe('UNKNOWN_KEY');
  });

  it('reports BAD_SIGNATURE for the same key id but another private key', () => {
    expect(codeOf(encodeQrCredential(fields, generateSigningKey(7)))).toBe('BAD_SIGNATURE');
  });

  it('reports BAD_SIGNATURE for a payload swapped in with another ticket’s valid signature', () => {
    const other = encodeQrCredential({ ...fields, ticketId: fields.ticketId + 1 }, key7);
    const a = base45Decode(good);
    const b = base45Decode(other);
    const swapped = Buffer.concat([b.subarray(0, QR_PAYLOAD_BYTES), a.subarray(QR_PAYLOAD_BYTES)]);
    expect(codeOf(base45Encode(swapped))).toBe('BAD_SIGNATURE');
    expect(codeOf(other)).toBe('OK');
  });

  it('checks the signature before time, so a forged expired code is BAD_SIGNATURE', () => {
    const later = fields.validTo + 86_400_000;
    const forged = encodeQrCredential(fields, generateSigningKey(7));
    expect(codeOf(forged, ring, later)).toBe('BAD_SIGNATURE');
    expect(codeOf(encodeQrCredential(fields, generateSigningKey(9)), ring, later)).toBe('UNKNOWN_KEY');
  });

  it('is valid from validFrom inclusive to validTo exclusive, to the millisecond', () => {
    expect(codeOf(good, ring, fields.validFrom - 1)).toBe('NOT_YET_VALID');
    expect(codeOf(good, ring, fields.validFrom)).toBe('OK');
    expect(codeOf(good, ring, fields.validTo - 1)).toBe('OK');
    expect(codeOf(good, ring, fields.validTo)).toBe('EXPIRED');
    expect(codeOf(good, ring, fields.validTo + 3_600_000)).toBe('EXPIRED');
  });

  it('reports the authentic credential with a time failure', () => {
    const result = checkQrCredential(good, ring, fields.validTo);
    expect(result).toMatchObject({ ok: false, code: 'EXPIRED', credential: { ticketId: fields.ticketId } });
    let caught: unknown;
    try {
      verifyQrCredential(good, ring, fields.validFrom - 60_000);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ProtocolError);
    expect(caught).toMatchObject({
      code: 'NOT_YET_VALID',
      details: { credential: { ticketId: fields.ticketId } },
    });
  });

  it('throws ProtocolError carrying each failure code', () => {
    const cases: [string, string][] = [
      [good.slice(2), 'MALFORMED'],
      [encodeQrCredential(fields, generateSigningKey(9)), 'UNKNOWN_KEY'],
      [encodeQrCredential(fields, generateSigningKey(7)), 'BAD_SIGNATURE'],
    ];
    for (const [text, code] of cases) {
      expect(() => verifyQrCredential(text, ring, now)).toThrow(
        expect.objectContaining({ name: 'ProtocolError', code }),
      );
    }
  });

  it('never accepts a single flipped bit anywhere in the 81 bytes', () => {
    const original = base45Decode(good);
    const seen = new Map<string, number>();
    for (let bit = 0; bit < QR_CODE_BYTES * 8; bit++) {
      const bytes = Buffer.from(original);
      bytes[bit >> 3]! ^= 0x80 >> (bit & 7);
      const code = codeOf(base45Encode(bytes));
      seen.set(code, (seen.get(code) ?? 0) + 1);
      // The version byte is checked first; a flipped key id names a retired key, or key 6 (7 ^ 1) whose
      // signature cannot match; everything else is the signed payload or the signature itself.
      const byte = bit >> 3;
      const expected =
        byte === 0
          ? 'UNSUPPORTED_VERSION'
          : byte === 1
            ? (original[1]! ^ (0x80 >> (bit & 7))) === 6
              ? 'BAD_SIGNATURE'
              : 'UNKNOWN_KEY'
            : 'BAD_SIGNATURE';
      expect(code, `bit ${bit}`).toBe(expected);
    }
    expect(seen.get('BAD_SIGNATURE')).toBe(QR_CODE_BYTES * 8 - 16 + 1);
  });

  it('never accepts any single-character substitution of the text', () => {
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
    for (let i = 0; i < good.length; i++) {
      for (const c of alphabet) {
        if (c === good[i]) continue;
        const mutated = good.slice(0, i) + c + good.slice(i + 1);
        expect(codeOf(mutated)).not.toBe('OK');
      }
    }
  });
});

describe('key rotation', () => {
  it('accepts codes under every active key and none under a retired one', () => {
    const oldKey = generateSigningKey(1);
    const newKey = generateSigningKey(2);
    const gate = new PublicKeyring();
    gate.add(1, oldKey.publicKey);
    gate.add(2, newKey.publicKey);
    const oldCode = encodeQrCredential(fields, oldKey);
    const newCode = encodeQrCredential(fields, newKey);
    expect(codeOf(oldCode, gate)).toBe('OK');
    expect(codeOf(newCode, gate)).toBe('OK');
    gate.retire(1);
    expect(codeOf(oldCode, gate)).toBe('UNKNOWN_KEY');
    expect(codeOf(newCode, gate)).toBe('OK');
  });
});

describe('QR symbol size', () => {
  // 122 characters is the alphanumeric capacity of version 5 at level M; the requirement is "at most version 7-M".
  const fits = (text: string, version: number) => {
    try {
      bwipjs.raw('qrcode', text, `eclevel=M version=${version}`);
      return true;
    } catch {
      return false;
    }
  };

  it('fits a version-5-M (and so a version-7-M) QR code with maximal field values', () => {
    for (const key of [generateSigningKey(255), generateSigningKey(5), key7]) {
      const text = encodeQrCredential(maximal, key);
      expect(fits(text, 5)).toBe(true);
      expect(fits(text, 7)).toBe(true);
    }
  });

  it('would not fit with a single character more', () => {
    expect(fits('A'.repeat(QR_TEXT_LENGTH), 5)).toBe(true);
    expect(fits('A'.repeat(QR_TEXT_LENGTH + 1), 5)).toBe(false);
    expect(fits('A'.repeat(179), 7)).toBe(false);
  });
});
