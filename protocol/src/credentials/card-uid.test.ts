import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../errors.js';
import { cardUidBcc, cardUidCascadeFrames, checkCardUid, normaliseCardUid } from './card-uid.js';

function rejection(input: Parameters<typeof checkCardUid>[0]): string {
  const result = checkCardUid(input);
  expect(result.ok, String(input)).toBe(false);
  return result.ok ? '' : result.message;
}

describe('card UID normalisation', () => {
  it('accepts hex with any separator and case, and bytes', () => {
    for (const input of [
      '04:a2:2b:1c:5d:80:00',
      '04-A2-2B-1C-5D-80-00',
      '04 a2 2B 1c 5D 80 00',
      '04A22B1C5D8000\r\n',
    ]) {
      expect(normaliseCardUid(input)).toBe('04A22B1C5D8000');
    }
    expect(normaliseCardUid(Uint8Array.of(0xde, 0xad, 0xbe, 0xef))).toBe('DEADBEEF');
    expect(normaliseCardUid(Buffer.from('1a2b3c4d', 'hex'))).toBe('1A2B3C4D');
    expect(normaliseCardUid([0x04, 0xa2, 0x2b, 0x1c, 0x5d, 0x80, 0x00])).toBe('04A22B1C5D8000');
  });

  it('produces what the whitelist schema expects', () => {
    expect(normaliseCardUid('0a0b0c0d')).toMatch(/^([0-9A-F]{8}|[0-9A-F]{14})$/);
  });

  it('rejects other lengths, naming the 10-byte case', () => {
    expect(rejection('04A22B1C5D80001122AA')).toMatch(/10-byte/);
    expect(rejection('04A22B1C5D')).toMatch(/4 or 7 bytes/);
    expect(rejection('')).toMatch(/4 or 7 bytes/);
    expect(rejection(new Uint8Array(8).fill(1))).toMatch(/4 or 7 bytes/);
  });

  it('rejects text that is not hex bytes', () => {
    expect(rejection('04A22B1G')).toMatch(/hexadecimal/);
    expect(rejection('04A22B1C5')).toMatch(/odd/);
    expect(rejection('0:4A22B1C5')).toMatch(/inside a byte/);
    expect(rejection('0'.repeat(65))).toMatch(/too long/);
    expect(rejection([1, 2, 3, 256])).toMatch(/0–255/);
    expect(rejection([1, 2, 3, 1.5])).toMatch(/0–255/);
  });

  it('rejects UIDs that are not a card’s identity', () => {
    expect(rejection('88041234')).toMatch(/cascade tag/);
    expect(rejection('08123456')).toMatch(/random/);
    expect(rejection('04A22B885D8000')).toMatch(/cascade tag/);
    expect(rejection('00000000')).toMatch(/failed read/);
    expect(rejection('00000000000000')).toMatch(/failed read/);
    expect(rejection('FFFFFFFF')).toMatch(/failed read/);
  });

  it('throws BAD_CARD_UID', () => {
    expect(() => normaliseCardUid('88041234')).toThrow(ProtocolError);
    expect(() => normaliseCardUid('zz')).toThrow(expect.objectContaining({ code: 'BAD_CARD_UID' }));
  });
});

describe('BCC and cascade frames', () => {
  it('computes the XOR check byte', () => {
    expect(cardUidBcc([0xde, 0xad, 0xbe, 0xef])).toBe(0x22);
    expect(cardUidBcc([0x88, 0x04, 0xa2, 0x2b])).toBe(0x88 ^ 0x04 ^ 0xa2 ^ 0x2b);
  });

  it('builds one frame for a 4-byte UID', () => {
    expect(cardUidCascadeFrames('DEADBEEF').map((f) => [...f])).toEqual([[0xde, 0xad, 0xbe, 0xef, 0x22]]);
  });

  it('builds two frames for a 7-byte UID, the first led by the cascade tag', () => {
    const frames = cardUidCascadeFrames('04:A2:2B:1C:5D:80:00');
    expect(frames.map((f) => Buffer.from(f).toString('hex'))).toEqual([
      `8804a22b${(0x88 ^ 0x04 ^ 0xa2 ^ 0x2b).toString(16).padStart(2, '0')}`,
      `1c5d8000${(0x1c ^ 0x5d ^ 0x80).toString(16).padStart(2, '0')}`,
    ]);
    for (const frame of frames) expect(cardUidBcc(frame)).toBe(0);
  });
});
