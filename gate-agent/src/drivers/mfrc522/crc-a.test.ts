import { describe, expect, it } from 'vitest';
import { crcA } from './crc-a.js';

describe('crcA', () => {
  it('matches the ISO/IEC 14443-3 annex B examples', () => {
    expect(crcA([0x00, 0x00])).toEqual([0xa0, 0x1e]);
    expect(crcA([0x12, 0x34])).toEqual([0x26, 0xcf]);
    // HLTA as every MFRC522 library sends it.
    expect(crcA([0x50, 0x00])).toEqual([0x57, 0xcd]);
  });
});
