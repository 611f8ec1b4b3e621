import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../errors.js';
import { base45Decode, base45DecodeInto, base45Encode } from './base45.js';

const text = (s: string) => Buffer.from(s, 'utf8');

function malformed(input: string): void {
  expect(() => base45Decode(input)).toThrow(ProtocolError);
  try {
    base45Decode(input);
  } catch (err) {
    expect((err as ProtocolError).code).toBe('MALFORMED');
  }
}

describe('base45 (RFC 9285)', () => {
  it('matches the RFC examples', () => {
    expect(base45Encode(text('AB'))).toBe('BB8');
    expect(base45Encode(text('Hello!!'))).toBe('%69 VD92EX0');
    expect(base45Encode(text('base-45'))).toBe('UJCLQE7W581');
    expect(base45Decode('QED8WEX0').toString('utf8')).toBe('ietf!');
    expect(base45Encode(new Uint8Array())).toBe('');
    expect(base45Decode('')).toHaveLength(0);
  });

  it('round-trips arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const encoded = base45Encode(bytes);
        expect(encoded.length).toBe(Math.floor(bytes.length / 2) * 3 + (bytes.length % 2) * 2);
        expect(base45Decode(encoded).equals(Buffer.from(bytes))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('encodes the extremes of a group', () => {
    expect(base45Encode(Uint8Array.of(0xff, 0xff))).toBe('FGW');
    expect(base45Encode(Uint8Array.of(0xff))).toBe('U5');
    expect(base45Encode(Uint8Array.of(0, 0))).toBe('000');
  });

  it('rejects characters outside the alphabet', () => {
    malformed('bb8'); // lower case is not in the QR alphanumeric set
    malformed('BB#');
    malformed('B\u00c08');
    malformed('BB\n');
  });

  it('rejects lengths that leave a lone character', () => {
    malformed('B');
    malformed('BB8B');
  });

  it('rejects groups above their byte range', () => {
    malformed('GGW'); // 65536
    malformed(':::');
    malformed('V5'); // 256 in a trailing pair
    malformed('::');
  });

  it('decodes into a caller buffer and refuses to overflow it', () => {
    const out = new Uint8Array(4);
    expect(base45DecodeInto('BB8', out)).toBe(2);
    expect(Buffer.from(out.subarray(0, 2)).toString()).toBe('AB');
    expect(base45DecodeInto('%69 VD92EX0', out)).toBe(-1);
    expect(base45DecodeInto('GGW', out)).toBe(-1);
  });
});
