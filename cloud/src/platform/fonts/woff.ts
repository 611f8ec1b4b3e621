/**
 * WOFF 1.0 → SFNT (TTF/OTF). WOFF1 is only a container: the same tables as the SFNT, each zlib-compressed when that
 * made it smaller, so unwrapping is one inflate per table plus a fresh table directory. We do it ourselves with
 * node:zlib rather than pull in a font-conversion package; WOFF2 is not handled (it transforms glyf/loca and would
 * need a real decoder), which is why the font loader picks the .woff file that @fontsource ships beside the .woff2.
 *
 * Layout per the W3C WOFF 1.0 spec: a 44-byte header (signature 'wOFF', flavor, …, numTables at 12), then numTables
 * 20-byte entries (tag, offset, compLength, origLength, origChecksum).
 */
import { inflateSync } from 'node:zlib';

const WOFF_SIGNATURE = 0x774f4646; // 'wOFF'
const WOFF_HEADER_BYTES = 44;
const WOFF_ENTRY_BYTES = 20;
const SFNT_HEADER_BYTES = 12;
const SFNT_RECORD_BYTES = 16;

interface WoffTable {
  tag: number;
  checksum: number;
  data: Buffer;
}

export function woffToSfnt(woff: Buffer): Buffer {
  if (woff.length < WOFF_HEADER_BYTES || woff.readUInt32BE(0) !== WOFF_SIGNATURE) {
    throw new Error('Not a WOFF 1.0 font (missing wOFF signature)');
  }
  const flavor = woff.readUInt32BE(4);
  const numTables = woff.readUInt16BE(12);
  if (WOFF_HEADER_BYTES + numTables * WOFF_ENTRY_BYTES > woff.length)
    throw new Error('WOFF table directory truncated');

  const tables: WoffTable[] = [];
  for (let i = 0; i < numTables; i++) {
    const at = WOFF_HEADER_BYTES + i * WOFF_ENTRY_BYTES;
    const offset = woff.readUInt32BE(at + 4);
    const compLength = woff.readUInt32BE(at + 8);
    const origLength = woff.readUInt32BE(at + 12);
    if (offset + compLength > woff.length) throw new Error('WOFF table data out of bounds');
    const stored = woff.subarray(offset, offset + compLength);
    const tag = woff.readUInt32BE(at);
    const data = compLength < origLength ? inflateTable(stored, tag) : stored;
    if (data.length !== origLength)
      throw new Error(`WOFF table ${tagName(tag)}: length mismatch after inflate`);
    tables.push({ tag, checksum: woff.readUInt32BE(at + 16), data });
  }
  // SFNT readers binary-search the directory, so records must be in ascending tag order.
  tables.sort((a, b) => a.tag - b.tag);

  const pad4 = (n: number) => (n + 3) & ~3;
  let size = SFNT_HEADER_BYTES + numTables * SFNT_RECORD_BYTES;
  for (const t of tables) size += pad4(t.data.length);
  const out = Buffer.alloc(size);

  const entrySelector = Math.floor(Math.log2(Math.max(1, numTables)));
  const searchRange = 2 ** entrySelector * 16;
  out.writeUInt32BE(flavor, 0);
  out.writeUInt16BE(numTables, 4);
  out.writeUInt16BE(searchRange, 6);
  out.writeUInt16BE(entrySelector, 8);
  out.writeUInt16BE(numTables * 16 - searchRange, 10);

  let dataAt = SFNT_HEADER_BYTES + numTables * SFNT_RECORD_BYTES;
  tables.forEach((t, i) => {
    const rec = SFNT_HEADER_BYTES + i * SFNT_RECORD_BYTES;
    out.writeUInt32BE(t.tag, rec);
    out.writeUInt32BE(t.checksum, rec + 4);
    out.writeUInt32BE(dataAt, rec + 8);
    out.writeUInt32BE(t.data.length, rec + 12);
    t.data.copy(out, dataAt);
    dataAt += pad4(t.data.length);
  });
  return out;
}

function tagName(tag: number): string {
  return Buffer.from([tag >>> 24, (tag >>> 16) & 0xff, (tag >>> 8) & 0xff, tag & 0xff]).toString('latin1');
}

function inflateTable(stored: Buffer, tag: number): Buffer {
  try {
    return inflateSync(stored);
  } catch (e) {
    throw new Error(`WOFF table ${tagName(tag)}: does not inflate (${(e as Error).message})`);
  }
}
