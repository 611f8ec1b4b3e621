/**
 * Tickets as PDF: one 80 × 150 mm stub per page (ticket printers, and the window's "print again"), or A4 sheets
 * holding four A6 tickets with dashed cut lines (office printers, group orders). Each ticket lays out top-down
 * (venue, type, kind and price, details), bottom-up (serials, sale, printed-at) and gives the codes what is left in
 * between, so a ticket with many rows gets a smaller QR rather than overlapping text; every text has a line limit.
 */
import {
  CODE128_QUIET_MODULES,
  code128Widths,
  drawCode128,
  drawQr,
  QR_QUIET_MODULES,
  qrMatrix,
} from './codes.js';
import { formatFen, KIND_LABELS } from './format.js';
import type { TicketPrintModel } from './model.js';
import { BOLD, createPdf, dashedRule, fitText, MM } from './pdf-kit.js';
import { type LabelledRow, ticketDetailRows, ticketFooterRows } from './ticket-lines.js';

export type TicketPage = 'stub' | 'a4';

export interface TicketPdfOptions {
  /** `stub` (default): one 80 × 150 mm ticket per page; `a4`: four A6 tickets per A4 sheet. */
  page?: TicketPage;
}

export const STUB_SIZE_MM = { width: 80, height: 150 } as const;
const A4: [number, number] = [210 * MM, 297 * MM];
const GREY = '#555';
/** Smallest QR module we allow on paper: below ≈ 0.4 mm phone cameras and 203 dpi gate scanners start to fail. */
const MIN_QR_MODULE = 0.4 * MM;
/** Code128 module on paper: 0.375 mm is 3 dots on a 203 dpi thermal head. */
const CODE128_MODULE = 0.375 * MM;
const BAR_HEIGHT = 9 * MM;

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export async function renderTicketsPdf(
  tickets: TicketPrintModel[],
  options: TicketPdfOptions = {},
): Promise<Buffer> {
  if (tickets.length === 0) throw new Error('renderTicketsPdf needs at least one ticket');
  const page = options.page ?? 'stub';
  const first = tickets[0]!;
  const title = `门票 Tickets ${first.saleId}`;
  if (page === 'stub') {
    const size: [number, number] = [STUB_SIZE_MM.width * MM, STUB_SIZE_MM.height * MM];
    const { doc, finish } = createPdf(size, title);
    for (const t of tickets) {
      doc.addPage({ size, margin: 0 });
      drawTicket(doc, t, { x: 0, y: 0, w: size[0], h: size[1] });
    }
    return finish();
  }
  const { doc, finish } = createPdf(A4, title);
  const cellW = A4[0] / 2;
  const cellH = A4[1] / 2;
  tickets.forEach((t, i) => {
    const slot = i % 4;
    if (slot === 0) {
      doc.addPage({ size: A4, margin: 0 });
      cutLines(doc, cellW, cellH);
    }
    drawTicket(doc, t, { x: (slot % 2) * cellW, y: Math.floor(slot / 2) * cellH, w: cellW, h: cellH });
  });
  return finish();
}

function cutLines(doc: PDFKit.PDFDocument, cellW: number, cellH: number): void {
  dashedRule(doc, 0, cellH, A4[0]);
  doc.save().moveTo(cellW, 0).lineTo(cellW, A4[1]).lineWidth(0.5).dash(2, { space: 2 }).strokeColor('#444');
  doc.stroke().restore();
}

function drawTicket(doc: PDFKit.PDFDocument, t: TicketPrintModel, box: Box): void {
  const pad = 5 * MM;
  const x = box.x + pad;
  const w = box.w - 2 * pad;
  let y = box.y + pad;

  y += fitText(doc, t.venueName.zh, x, y, {
    width: w,
    size: 11,
    minSize: 8,
    maxLines: 1,
    font: BOLD,
    align: 'center',
  });
  y += fitText(doc, t.venueName.en, x, y, {
    width: w,
    size: 7,
    minSize: 6,
    maxLines: 1,
    align: 'center',
    color: GREY,
  });
  y += 3;
  dashedRule(doc, x, y, w);
  y += 5;
  y += fitText(doc, t.ticketTypeName.zh, x, y, {
    width: w,
    size: 16,
    minSize: 12,
    maxLines: 2,
    font: BOLD,
    align: 'center',
  });
  y += fitText(doc, t.ticketTypeName.en, x, y, {
    width: w,
    size: 8,
    minSize: 6.5,
    maxLines: 1,
    align: 'center',
  });
  y += 5;

  const kind = KIND_LABELS[t.kind];
  const price = formatFen(t.pricePaidFen);
  doc.font(BOLD).fontSize(15);
  const priceW = doc.widthOfString(price);
  const priceH = doc.currentLineHeight(true);
  doc.fillColor('black').text(price, x + w - priceW, y, { lineBreak: false });
  fitText(doc, `${kind.zh} ${kind.en}`, x, y + priceH * 0.3, { width: w - priceW - 4, size: 8, maxLines: 1 });
  y += priceH + 3;

  for (const row of ticketDetailRows(t)) y += drawRow(doc, row, x, y, w, 9, 2) + 2;

  const footer = ticketFooterRows(t);
  doc.font(BOLD).fontSize(6.5);
  const footerLine = doc.currentLineHeight(true);
  const footerTop = box.y + box.h - pad - footer.length * footerLine;
  dashedRule(doc, x, footerTop - 3, w);
  footer.forEach((row, i) => {
    drawRow(doc, row, x, footerTop + i * footerLine, w, 6.5, 1);
  });

  drawCodes(doc, t, { x, y: y + 2, w, h: footerTop - 5 - (y + 2) });
}

/** Label (zh + en, grey) in a fixed column, value beside it; returns the height used. */
function drawRow(
  doc: PDFKit.PDFDocument,
  row: LabelledRow,
  x: number,
  y: number,
  w: number,
  size: number,
  lines: number,
) {
  const labelW = size * 6.6;
  const labelH = fitText(doc, `${row.label.zh} ${row.label.en}`, x, y + size * 0.12, {
    width: labelW - 3,
    size: size * 0.8,
    minSize: 5,
    maxLines: 1,
    color: GREY,
  });
  const valueH = fitText(doc, row.value, x + labelW, y, {
    width: w - labelW,
    size,
    minSize: size - 1,
    maxLines: lines,
  });
  return Math.max(labelH, valueH);
}

function drawCodes(doc: PDFKit.PDFDocument, t: TicketPrintModel, area: Box): void {
  let bottom = area.y + area.h;
  if (t.barcode) {
    const widths = code128Widths(t.barcode);
    const modules = widths.reduce((a, b) => a + b, 0) + 2 * CODE128_QUIET_MODULES;
    const width = Math.min(area.w, modules * CODE128_MODULE);
    doc.font(BOLD).fontSize(9);
    const digitsH = doc.currentLineHeight(true);
    const top = bottom - BAR_HEIGHT - digitsH;
    const left = area.x + (area.w - width) / 2;
    drawCode128(doc, widths, left, top, width, BAR_HEIGHT);
    // Spaced human-readable digits, so staff can key the code in when a scanner fails.
    doc.fillColor('black').text(t.barcode, area.x, top + BAR_HEIGHT + 1, {
      width: area.w,
      align: 'center',
      characterSpacing: 1.5,
      lineBreak: false,
    });
    bottom = top - 3;
  }
  if (t.qrText) {
    const m = qrMatrix(t.qrText);
    const size = Math.min(area.w * 0.75, bottom - area.y);
    if (size / (m.size + 2 * QR_QUIET_MODULES) < MIN_QR_MODULE) {
      throw new Error(`Ticket ${t.serial}: no room for a scannable QR code on this page size`);
    }
    drawQr(doc, m, area.x + (area.w - size) / 2, area.y + (bottom - area.y - size) / 2, size);
  }
}
