/**
 * ESC/POS for 80 mm thermal printers (576 dots, Font A 12 × 24: 48 half-width columns a line) and the ticket slip.
 *
 * Printer assumptions, true of the Chinese-market printers venues buy (Xprinter, GPrinter, Sunmi, the Epson TM-T82
 * China model) and documented here because ESC/POS leaves them to the model:
 * - `FS &` enters Chinese (Kanji) mode and the double-byte code page is GBK / GB18030's two-byte part. We encode in
 *   GBK (iconv-lite CP936): every character is then one byte (ASCII, one column) or two (hanzi, two columns), so
 *   the encoded length *is* the printed width and columns line up. GB18030's four-byte sequences are not sent — few
 *   printers decode them; a character outside GBK prints as `?`. `¥` (not in GBK) is printed as full-width `￥`.
 * - The printer has the native QR command (`GS ( k`, function 165–181) and Code128 via `GS k` m = 73 with `{A/{B/{C`
 *   code-set prefixes; every 80 mm printer sold in the last decade does.
 * - `GS V 66 n` feeds to the cutter and makes a partial cut; printers without a cutter ignore it.
 */
import iconv from 'iconv-lite';
import { formatFen, KIND_LABELS } from './format.js';
import type { TicketPrintModel } from './model.js';
import { type LabelledRow, ticketDetailRows, ticketFooterRows } from './ticket-lines.js';

export const LINE_COLUMNS = 48;

const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;
const LF = 0x0a;

export type Align = 'left' | 'center' | 'right';
const ALIGN_CODE: Record<Align, number> = { left: 0, center: 1, right: 2 };

/** Text as the printer will see it in Chinese mode. */
export function encodeGbk(text: string): Buffer {
  return iconv.encode(text.replaceAll('¥', '￥'), 'GBK');
}

/** Printed width in half-width columns (= GBK byte length; see the assumptions above). */
export function columns(text: string): number {
  return encodeGbk(text).length;
}

/**
 * Splits `text` into lines of at most `width` columns and `maxLines` lines, the last ending in `…` when cut.
 * Hanzi break anywhere; Latin text breaks at the last space when there is one on the line.
 */
export function wrapColumns(text: string, width: number, maxLines: number): string[] {
  const lines: string[] = [];
  let rest = [...text.replace(/\s+/g, ' ').trim()];
  while (rest.length > 0 && lines.length < maxLines) {
    let used = 0;
    let end = 0;
    while (end < rest.length && used + columns(rest[end]!) <= width) used += columns(rest[end++]!);
    if (end < rest.length) {
      const space = rest.lastIndexOf(' ', end);
      if (space > 0 && /[\x21-\x7e]/.test(rest[end]!) && /[\x21-\x7e]/.test(rest[end - 1]!)) end = space;
    }
    lines.push(rest.slice(0, end).join('').trimEnd());
    rest = rest.slice(end);
    while (rest[0] === ' ') rest.shift();
  }
  if (rest.length > 0) {
    const last = [...lines.pop()!];
    while (last.length > 0 && columns(last.join('')) + 2 > width) last.pop();
    lines.push(`${last.join('')}…`);
  }
  return lines;
}

/** Left text and right text on one line, padded apart (the left is cut to leave room for the right). */
export function spread(left: string, right: string, width = LINE_COLUMNS): string {
  const room = width - columns(right) - 1;
  const l = columns(left) > room ? wrapColumns(left, room, 1)[0]! : left;
  return l + ' '.repeat(width - columns(l) - columns(right)) + right;
}

/** Right-aligns `text` in `width` columns. */
export function padLeft(text: string, width: number): string {
  return ' '.repeat(Math.max(0, width - columns(text))) + text;
}

/** Builds an ESC/POS byte stream command by command. */
export class EscPos {
  private readonly parts: Buffer[] = [];

  private raw(...bytes: number[]): this {
    this.parts.push(Buffer.from(bytes));
    return this;
  }

  /** ESC @ (reset) then FS & (Chinese mode). */
  init(): this {
    return this.raw(ESC, 0x40).raw(FS, 0x26);
  }

  align(a: Align): this {
    return this.raw(ESC, 0x61, ALIGN_CODE[a]);
  }

  bold(on: boolean): this {
    return this.raw(ESC, 0x45, on ? 1 : 0);
  }

  /** GS ! — width and height multipliers 1–8; applies to hanzi and ASCII alike. */
  size(width: number, height: number): this {
    return this.raw(GS, 0x21, ((width - 1) << 4) | (height - 1));
  }

  text(s: string): this {
    this.parts.push(encodeGbk(s));
    return this;
  }

  line(s = ''): this {
    return this.text(s).raw(LF);
  }

  /** ESC d n: print and feed n lines. */
  feed(lines: number): this {
    return this.raw(ESC, 0x64, lines);
  }

  /**
   * Native QR, model 2, error correction M. `moduleDots` 1–16 (6 dots = 0.75 mm at 203 dpi). The data bytes are the
   * text as-is (ASCII): a credential's leading space is part of it.
   */
  qr(data: string, moduleDots = 6): this {
    const bytes = Buffer.from(data, 'latin1');
    const k = bytes.length + 3;
    this.raw(GS, 0x28, 0x6b, 4, 0, 0x31, 0x41, 0x32, 0); // fn 165: model 2
    this.raw(GS, 0x28, 0x6b, 3, 0, 0x31, 0x43, moduleDots); // fn 167: module size
    this.raw(GS, 0x28, 0x6b, 3, 0, 0x31, 0x45, 0x31); // fn 169: error correction M
    this.raw(GS, 0x28, 0x6b, k & 0xff, k >> 8, 0x31, 0x50, 0x30); // fn 180: store
    this.parts.push(bytes);
    return this.raw(GS, 0x28, 0x6b, 3, 0, 0x31, 0x51, 0x30); // fn 181: print
  }

  /**
   * Code128 via GS k m = 73 with digits below (GS H 2, font A). An even run of digits goes in code set C (two
   * digits a byte, half the width); anything else in code set B, where `{` is escaped as `{{`.
   */
  code128(data: string, heightDots = 80, moduleDots = 3): this {
    const payload = /^(\d\d)+$/.test(data)
      ? Buffer.from([0x7b, 0x43, ...(data.match(/\d\d/g) ?? []).map(Number)])
      : Buffer.from(`{B${data.replaceAll('{', '{{')}`, 'latin1');
    if (!/^[\x20-\x7e]+$/.test(data) || payload.length > 255)
      throw new Error('Code128 data must be printable ASCII');
    this.raw(GS, 0x68, heightDots).raw(GS, 0x77, moduleDots).raw(GS, 0x48, 2).raw(GS, 0x66, 0);
    this.raw(GS, 0x6b, 73, payload.length);
    this.parts.push(payload);
    return this;
  }

  rule(): this {
    return this.line('-'.repeat(LINE_COLUMNS));
  }

  /** GS V 66 n: feed to the cutter plus n dots, then partial cut. */
  cut(extraDots = 0): this {
    return this.raw(GS, 0x56, 0x42, extraDots);
  }

  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}

const LABEL_COLUMNS = 17;

/** "有效期 Valid    2025-05-01": label in a fixed column, value wrapped under itself. */
export function labelledLines(p: EscPos, row: LabelledRow, maxLines = 2): void {
  const label = wrapColumns(`${row.label.zh} ${row.label.en}`, LABEL_COLUMNS - 1, 1)[0]!;
  wrapColumns(row.value, LINE_COLUMNS - LABEL_COLUMNS, maxLines).forEach((v, i) => {
    const left = i === 0 ? label : '';
    p.line(left + ' '.repeat(LABEL_COLUMNS - columns(left)) + v);
  });
}

/** Big bold centred text (double width and height: 24 columns). */
export function title(p: EscPos, text: string, maxLines: number): void {
  p.align('center').bold(true).size(2, 2);
  for (const l of wrapColumns(text, LINE_COLUMNS / 2, maxLines)) p.line(l);
  p.size(1, 1).bold(false);
}

/** One ticket slip, cut at the end; several tickets are simply concatenated. */
export function renderTicketEscPos(t: TicketPrintModel): Buffer {
  const p = new EscPos().init();
  title(p, t.venueName.zh, 2);
  p.line(wrapColumns(t.venueName.en, LINE_COLUMNS, 1)[0])
    .align('left')
    .rule();
  title(p, t.ticketTypeName.zh, 2);
  p.line(wrapColumns(t.ticketTypeName.en, LINE_COLUMNS, 1)[0])
    .align('left')
    .feed(1);
  const kind = KIND_LABELS[t.kind];
  p.bold(true)
    .line(spread(`${kind.zh} ${kind.en}`, formatFen(t.pricePaidFen)))
    .bold(false);
  for (const row of ticketDetailRows(t)) labelledLines(p, row);
  p.align('center');
  if (t.qrText) p.feed(1).qr(t.qrText);
  if (t.barcode) p.feed(1).code128(t.barcode);
  p.align('left').feed(1).rule();
  for (const row of ticketFooterRows(t)) labelledLines(p, row, 1);
  return p.feed(2).cut().bytes();
}
