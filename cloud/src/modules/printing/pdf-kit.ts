/**
 * pdfkit plumbing shared by tickets and receipts: a document with Noto Sans SC registered, collected into a Buffer,
 * and text that always fits its box — long names shrink to a floor size, then wrap to a line limit, then end in an
 * ellipsis, so nothing a caller passes can push text over a QR code or off the stub.
 */
import PDFDocument from 'pdfkit';
import { notoSansSc } from '../../platform/fonts/noto-sans-sc.js';

export const MM = 72 / 25.4;
export const REGULAR = 'NotoSansSC';
export const BOLD = 'NotoSansSC-Bold';

export interface PdfDocumentHandle {
  doc: PDFKit.PDFDocument;
  /** Ends the document and resolves with its bytes. */
  finish(): Promise<Buffer>;
}

export function createPdf(size: [number, number], title: string): PdfDocumentHandle {
  const doc = new PDFDocument({
    size,
    margin: 0,
    autoFirstPage: false,
    info: { Title: title, Creator: 'Scenic Gate' },
  });
  doc.registerFont(REGULAR, notoSansSc('regular'));
  doc.registerFont(BOLD, notoSansSc('bold'));
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return {
    doc,
    finish() {
      doc.end();
      return done;
    },
  };
}

export interface FitOptions {
  width: number;
  size: number;
  /** Shrink down to this size before wrapping (defaults to `size`: no shrinking). */
  minSize?: number;
  maxLines: number;
  font?: string;
  align?: 'left' | 'center' | 'right';
  color?: string;
}

/** Writes `text` at (x, y) within `width` and at most `maxLines` lines; returns the height used. */
export function fitText(doc: PDFKit.PDFDocument, text: string, x: number, y: number, o: FitOptions): number {
  doc.font(o.font ?? REGULAR);
  let size = o.size;
  const floor = o.minSize ?? o.size;
  const tooTall = (s: number) => {
    doc.fontSize(s);
    return (
      doc.heightOfString(text, { width: o.width, lineGap: 0 }) >
      doc.currentLineHeight(true) * o.maxLines + 0.01
    );
  };
  while (size > floor && tooTall(size)) size = Math.max(floor, size - 1);
  doc.fontSize(size);
  const lineHeight = doc.currentLineHeight(true);
  const used = Math.min(doc.heightOfString(text, { width: o.width, lineGap: 0 }), lineHeight * o.maxLines);
  doc.fillColor(o.color ?? 'black').text(text, x, y, {
    width: o.width,
    height: lineHeight * o.maxLines,
    ellipsis: true,
    align: o.align ?? 'left',
    lineGap: 0,
  });
  return used;
}

export function dashedRule(doc: PDFKit.PDFDocument, x: number, y: number, width: number): void {
  doc
    .save()
    .moveTo(x, y)
    .lineTo(x + width, y)
    .lineWidth(0.5)
    .dash(2, { space: 2 })
    .strokeColor('#444')
    .stroke()
    .restore();
}
