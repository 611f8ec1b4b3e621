/**
 * Reads printed output back the way a person and a scanner would: poppler's pdftotext / pdftoppm (Debian package
 * poppler-utils) for the text and a 203 dpi raster (a thermal head's resolution), jsQR for the QR code and ZXing's
 * Code128 reader for the barcode. Without poppler the PDF read-back tests skip with a message, except under CI=true,
 * where a missing poppler-utils is a failure rather than a silently thinner test run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BarcodeFormat,
  BinaryBitmap,
  Code128Reader,
  DecodeHintType,
  HybridBinarizer,
  RGBLuminanceSource,
} from '@zxing/library';
// jsqr is CommonJS typed as an ES default export: under NodeNext the import is module.exports, which also
// carries the function as `.default`.
import jsqr from 'jsqr';
import { PNG } from 'pngjs';

export const hasPoppler = spawnSync('pdftoppm', ['-v']).status === 0;
export const popplerRequired = process.env.CI === 'true';
if (!hasPoppler && !popplerRequired) {
  console.warn('printing: poppler-utils (pdftotext, pdftoppm) not installed — PDF read-back tests skipped');
}

function withPdf<T>(pdf: Buffer, run: (dir: string, file: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'printing-'));
  try {
    const file = join(dir, 'in.pdf');
    writeFileSync(file, pdf);
    return run(dir, file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function pdfText(pdf: Buffer): string {
  return withPdf(pdf, (_dir, file) =>
    execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }),
  );
}

export function pdfInfo(pdf: Buffer): string {
  return withPdf(pdf, (_dir, file) => execFileSync('pdfinfo', [file], { encoding: 'utf8' }));
}

export function pdfFonts(pdf: Buffer): string {
  return withPdf(pdf, (_dir, file) => execFileSync('pdffonts', [file], { encoding: 'utf8' }));
}

export interface Raster {
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
}

/** Every page as a 203 dpi greyscale raster. */
export function pdfPages(pdf: Buffer, dpi = 203): Raster[] {
  return withPdf(pdf, (dir, file) => {
    execFileSync('pdftoppm', ['-r', String(dpi), '-gray', '-png', file, join(dir, 'page')]);
    return readdirSync(dir)
      .filter((f) => f.endsWith('.png'))
      .sort()
      .map((f) => {
        const png = PNG.sync.read(readFileSync(join(dir, f)));
        return { width: png.width, height: png.height, rgba: new Uint8ClampedArray(png.data) };
      });
  });
}

/** The raster's region (in fractions of its size), for pages holding several tickets. */
export function crop(r: Raster, x0: number, y0: number, x1: number, y1: number): Raster {
  const left = Math.round(r.width * x0);
  const top = Math.round(r.height * y0);
  const width = Math.round(r.width * x1) - left;
  const height = Math.round(r.height * y1) - top;
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let row = 0; row < height; row++) {
    const from = ((top + row) * r.width + left) * 4;
    rgba.set(r.rgba.subarray(from, from + width * 4), row * width * 4);
  }
  return { width, height, rgba };
}

export function decodeQr(r: Raster): string | null {
  return jsqr.default(r.rgba, r.width, r.height)?.data ?? null;
}

export function decodeCode128(r: Raster): string | null {
  const luminance = new Uint8ClampedArray(r.width * r.height);
  for (let i = 0; i < luminance.length; i++) luminance[i] = r.rgba[i * 4]!;
  const hints = new Map<DecodeHintType, unknown>([
    [DecodeHintType.POSSIBLE_FORMATS, [BarcodeFormat.CODE_128]],
    [DecodeHintType.TRY_HARDER, true],
  ]);
  try {
    const bitmap = new BinaryBitmap(
      new HybridBinarizer(new RGBLuminanceSource(luminance, r.width, r.height)),
    );
    return new Code128Reader().decode(bitmap, hints).getText();
  } catch {
    return null;
  }
}
