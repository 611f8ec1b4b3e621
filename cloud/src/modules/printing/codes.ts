/**
 * QR and Code128 drawn into a PDF as vector rectangles from bwip-js's raw symbol matrix, rather than as a PNG: the
 * printer driver then rasterises each module straight onto its own dot grid (203 dpi thermal, 600 dpi laser) with
 * no resampling blur, the PDF stays small, and no image has to be encoded per ticket.
 */
import bwipjs from 'bwip-js';

/** Quiet zones the symbologies require around the symbol. */
export const QR_QUIET_MODULES = 4;
export const CODE128_QUIET_MODULES = 10;

export interface QrMatrix {
  /** Modules per side (37 for a 122-character credential: version 5). */
  size: number;
  dark: Uint8Array;
}

/** The QR symbol for `text` at error correction M, byte-for-byte as given (a leading space is part of the code). */
export function qrMatrix(text: string): QrMatrix {
  const [sym] = bwipjs.raw('qrcode', text, 'eclevel=M');
  if (!sym || !('pixs' in sym) || sym.pixx !== sym.pixy)
    throw new Error('bwip-js returned no square QR matrix');
  return { size: sym.pixx, dark: Uint8Array.from(sym.pixs) };
}

/** Code128 bar/space widths in modules, starting with a bar. */
export function code128Widths(data: string): number[] {
  if (!/^[\x20-\x7e]{1,48}$/.test(data))
    throw new Error('Code128 data must be 1–48 printable ASCII characters');
  const [sym] = bwipjs.raw('code128', data, '');
  if (!sym || !('sbs' in sym)) throw new Error('bwip-js returned no Code128 bars');
  return sym.sbs;
}

/** Minimal PDF path API both renderers' documents offer (pdfkit's PDFDocument). */
interface PathSink {
  rect(x: number, y: number, w: number, h: number): unknown;
  fill(color?: string): unknown;
}

/** Draws the QR so that `size` (pt) includes the 4-module quiet zone; returns the module size in pt. */
export function drawQr(doc: PathSink, m: QrMatrix, x: number, y: number, size: number): number {
  const unit = size / (m.size + 2 * QR_QUIET_MODULES);
  const ox = x + QR_QUIET_MODULES * unit;
  const oy = y + QR_QUIET_MODULES * unit;
  // One rectangle per horizontal run of dark modules keeps the content stream about a third of one-per-module.
  for (let row = 0; row < m.size; row++) {
    let col = 0;
    while (col < m.size) {
      if (!m.dark[row * m.size + col]) {
        col++;
        continue;
      }
      const start = col;
      while (col < m.size && m.dark[row * m.size + col]) col++;
      doc.rect(ox + start * unit, oy + row * unit, (col - start) * unit, unit);
    }
  }
  doc.fill('black');
  return unit;
}

/** Draws Code128 bars so that `width` (pt) includes both 10-module quiet zones. */
export function drawCode128(
  doc: PathSink,
  widths: number[],
  x: number,
  y: number,
  width: number,
  height: number,
) {
  const modules = widths.reduce((a, b) => a + b, 0) + 2 * CODE128_QUIET_MODULES;
  const unit = width / modules;
  let at = x + CODE128_QUIET_MODULES * unit;
  widths.forEach((w, i) => {
    if (i % 2 === 0) doc.rect(at, y, w * unit, height);
    at += w * unit;
  });
  doc.fill('black');
}
