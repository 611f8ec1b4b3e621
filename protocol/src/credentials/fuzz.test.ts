/**
 * Fuzz: random text and mutations of valid credentials through every decoder a scan can reach. Nothing but
 * ProtocolError may escape, and no mutated QR code may verify unless it is byte-identical to the original.
 * Deterministic (seeded) so a failure reproduces.
 */
import { describe, expect, it } from 'vitest';
import { isProtocolError } from '../errors.js';
import { generateBarcode, validateBarcode } from './barcode.js';
import { BASE45_ALPHABET, base45Decode, base45Encode } from './base45.js';
import { normaliseCardUid } from './card-uid.js';
import { classifyScan } from './detect.js';
import { importSigningKey, PublicKeyring } from './keys.js';
import { encodeQrCredential, verifyQrCredential } from './qr-code.js';

const ITERATIONS = 100_000;

/** mulberry32: tiny, fast, good enough to drive a fuzzer. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('credential fuzz', () => {
  it(`survives ${ITERATIONS.toLocaleString('en')} random and mutated inputs`, () => {
    const random = prng(0x5ce11c);
    const int = (n: number) => Math.floor(random() * n);
    const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;

    const now = Date.UTC(2025, 6, 1, 12);
    const ring = new PublicKeyring();
    const originals: string[] = [];
    for (const keyId of [0, 5, 7, 255]) {
      // Keys from the seeded generator too, so every code — and so every mutation — is the same on each run.
      const key = importSigningKey(
        keyId,
        Buffer.from(Array.from({ length: 32 }, () => int(256))).toString('base64'),
      );
      ring.add(keyId, key.publicKey);
      for (let i = 0; i < 5; i++) {
        originals.push(
          encodeQrCredential(
            {
              ticketId: 1 + int(2 ** 40 - 2),
              typeId: 1 + int(0xfffe),
              validFrom: Date.UTC(2025, 5, 1),
              validTo: Date.UTC(2025, 7, 1),
              entries: int(256),
              flags: int(16),
            },
            key,
          ),
        );
      }
    }
    const seeds = [
      ...originals,
      ...Array.from({ length: 10 }, () => generateBarcode(8 + int(17))),
      '04:A2:2B:1C:5D:80:00',
      'DEADBEEF',
    ];
    const pools = [BASE45_ALPHABET, '0123456789', '0123456789abcdefABCDEF:- ', ' \t\r\n\u3000\uff10\uff19-'];
    const anyChar = () => String.fromCharCode(int(0x10000)); // includes lone surrogates

    function randomText(): string {
      const length = random() < 0.9 ? int(140) : int(700);
      const pool = random() < 0.8 ? pick(pools) : null;
      let s = '';
      for (let i = 0; i < length; i++) s += pool ? pool[int(pool.length)] : anyChar();
      return s;
    }

    function mutateText(s: string): string {
      for (let ops = 1 + int(3); ops > 0; ops--) {
        const i = int(s.length + 1);
        const c = random() < 0.85 ? BASE45_ALPHABET[int(45)]! : anyChar();
        switch (int(6)) {
          case 0:
          case 1:
            s = s.slice(0, i) + c + s.slice(i + 1);
            break;
          case 2:
            s = s.slice(0, i) + c + s.slice(i);
            break;
          case 3:
            s = s.slice(0, i) + s.slice(i + 1);
            break;
          case 4:
            s = s.slice(0, i) + s.slice(i + 1, i + 2) + s.slice(i, i + 1) + s.slice(i + 2);
            break;
          default:
            s = random() < 0.5 ? s.slice(0, i) : s + s.slice(i);
        }
      }
      return s;
    }

    function mutateBytes(s: string): string {
      const bytes = base45Decode(s);
      for (let ops = 1 + int(3); ops > 0; ops--) {
        if (random() < 0.7) bytes[int(bytes.length)]! ^= 1 << int(8);
        else bytes[int(bytes.length)] = int(256);
      }
      return base45Encode(bytes);
    }

    const escaped: string[] = [];
    const accepted: string[] = [];
    const outcomes = new Map<string, number>();
    const guard = (what: string, input: string, fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        if (!isProtocolError(err)) escaped.push(`${what}(${JSON.stringify(input)}): ${String(err)}`);
      }
    };

    for (let n = 0; n < ITERATIONS; n++) {
      const roll = random();
      const original = pick(seeds);
      const input =
        roll < 0.3 ? randomText() : roll < 0.75 ? mutateText(original) : mutateBytes(pick(originals));

      guard('base45Decode', input, () => base45Decode(input));
      guard('validateBarcode', input, () => validateBarcode(input));
      guard('normaliseCardUid', input, () => normaliseCardUid(input));
      guard('classifyScan', input, () => classifyScan(input));
      let outcome = 'OK';
      guard('verifyQrCredential', input, () => {
        try {
          verifyQrCredential(input, ring, now);
        } catch (err) {
          outcome = isProtocolError(err) ? err.code : 'THROWN';
          throw err;
        }
      });
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      // base45 is canonical (one text per byte string), so text identity is byte identity.
      if (outcome === 'OK' && !originals.includes(input)) accepted.push(input);
    }

    expect(escaped.slice(0, 5)).toEqual([]);
    expect(accepted).toEqual([]);
    expect(outcomes.get('OK') ?? 0).toBeGreaterThan(0); // unchanged originals do verify
    // The run must actually exercise the signature check, not just bounce off the length test.
    expect(outcomes.get('BAD_SIGNATURE') ?? 0).toBeGreaterThan(20_000);
    expect(outcomes.get('MALFORMED') ?? 0).toBeGreaterThan(20_000);
    expect(outcomes.get('UNKNOWN_KEY') ?? 0).toBeGreaterThan(100);
    expect(outcomes.get('UNSUPPORTED_VERSION') ?? 0).toBeGreaterThan(100);
    // CPU-bound: well within the default alone, not always when the rest of the suite shares the cores.
  }, 120_000);
});
