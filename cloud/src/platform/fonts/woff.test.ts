import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { woffToSfnt } from './woff.js';

const require = createRequire(import.meta.url);
const latinWoff = () =>
  readFileSync(require.resolve('@fontsource/noto-sans-sc/files/noto-sans-sc-latin-400-normal.woff'));

/** OpenType table checksum: the sum of big-endian uint32s, zero-padded. */
function checksum(b: Buffer): number {
  const padded = Buffer.concat([b, Buffer.alloc((4 - (b.length % 4)) % 4)]);
  let sum = 0;
  for (let i = 0; i < padded.length; i += 4) sum = (sum + padded.readUInt32BE(i)) >>> 0;
  return sum;
}

describe('woffToSfnt', () => {
  it('rebuilds a TrueType font whose tables match the checksums recorded in the WOFF', () => {
    const woff = latinWoff();
    const ttf = woffToSfnt(woff);
    const numTables = woff.readUInt16BE(12);
    expect(ttf.readUInt32BE(0)).toBe(0x00010000);
    expect(ttf.readUInt16BE(4)).toBe(numTables);
    expect(ttf.length).toBe(woff.readUInt32BE(16)); // totalSfntSize
    const tags: string[] = [];
    for (let i = 0; i < numTables; i++) {
      const rec = 12 + i * 16;
      const tag = ttf.subarray(rec, rec + 4).toString('latin1');
      tags.push(tag);
      const table = ttf.subarray(
        ttf.readUInt32BE(rec + 8),
        ttf.readUInt32BE(rec + 8) + ttf.readUInt32BE(rec + 12),
      );
      // head's recorded checksum was taken with checkSumAdjustment zeroed.
      if (tag === 'head') table.writeUInt32BE(0, 8);
      expect(checksum(table), tag).toBe(ttf.readUInt32BE(rec + 4));
    }
    expect(tags).toEqual([...tags].sort());
    expect(tags).toEqual(expect.arrayContaining(['cmap', 'glyf', 'head', 'loca', 'name']));
  });

  it('refuses what is not WOFF 1.0, and table data that does not inflate to its stated size', () => {
    expect(() => woffToSfnt(Buffer.from('wOF2xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'))).toThrow(
      /WOFF 1\.0/,
    );
    const woff = Buffer.from(latinWoff());
    const first = 44;
    woff.writeUInt32BE(woff.readUInt32BE(first + 12) + 1, first + 12); // origLength off by one
    expect(() => woffToSfnt(woff)).toThrow(/WOFF table \S{4}: (length mismatch|does not inflate)/);
    const truncated = Buffer.from(latinWoff().subarray(0, 60));
    expect(() => woffToSfnt(truncated)).toThrow(/truncated|out of bounds/);
  });
});
