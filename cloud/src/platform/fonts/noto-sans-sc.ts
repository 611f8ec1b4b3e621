/**
 * Noto Sans SC for every PDF the cloud makes (tickets, receipts, report exports), unwrapped from @fontsource's WOFF1
 * files once per process and kept in memory (≈ 2.5 MB per weight). pdfkit embeds only the glyphs a document uses,
 * so each PDF stays a few tens of kilobytes.
 *
 * We take @fontsource's `chinese-simplified` slice: ≈ 7,900 characters — GB2312's 6,763 hanzi plus Latin digits,
 * punctuation, full-width forms and ¥ — in one font, so no per-character font switching is needed. A character
 * outside it (a rare name character) prints as the font's blank box; the ticket still scans.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { woffToSfnt } from './woff.js';

export type FontWeight = 'regular' | 'bold';

const FILES: Record<FontWeight, string> = {
  regular: 'noto-sans-sc-chinese-simplified-400-normal.woff',
  bold: 'noto-sans-sc-chinese-simplified-700-normal.woff',
};

const cache = new Map<FontWeight, Buffer>();

// Resolved through the package's `./files/*` export, so it works wherever npm hoisted the package.
const resolveFile = (name: string) =>
  createRequire(import.meta.url).resolve(`@fontsource/noto-sans-sc/files/${name}`);

/** The TrueType bytes of one weight, read and unwrapped on first use. */
export function notoSansSc(weight: FontWeight): Buffer {
  let ttf = cache.get(weight);
  if (!ttf) {
    ttf = woffToSfnt(readFileSync(resolveFile(FILES[weight])));
    cache.set(weight, ttf);
  }
  return ttf;
}
