/**
 * The serial LED display protocol (documented for hardware-docs; the display firmware implements the other end).
 *
 *   show a line:   STX 'T' LINE COLOUR TEXT… ETX CHK
 *   clear all:     STX 'C' ETX CHK
 *
 *   STX     0x02
 *   'T'     0x54, 'C' 0x43
 *   LINE    ASCII digit '1'…'9' (0x31…0x39): display line, top line is '1'
 *   COLOUR  ASCII 'R' red, 'G' green, 'Y' yellow (red + green)
 *   TEXT    0…W bytes in the display's charset, W = the configured line width in bytes (1…255):
 *           GB2312 (ASCII 0x20–0x7E one byte, hanzi two bytes 0xA1–0xFE each) or UTF-8, as configured on both ends
 *   ETX     0x03
 *   CHK     XOR of every byte strictly between STX and ETX (for a clear frame: 0x43)
 *
 * No escaping: header bytes are printable ASCII and control characters in the text are replaced by spaces before
 * encoding, so 0x02 and 0x03 appear only as delimiters. CHK may take any value; the receiver reads exactly one
 * byte after ETX. Text wider than W is cut at a character boundary (a hanzi is never split); characters outside
 * the charset (GB2312 mode: anything not in GB2312, e.g. GBK-only hanzi or emoji) become '?'.
 */
import iconv from 'iconv-lite';
import { DriverError } from '../errors.js';
import type { LedColour } from '../interfaces.js';

export const STX = 0x02;
export const ETX = 0x03;
export const MAX_LINE_WIDTH = 255;
export const MAX_LINES = 9;

export type LedCharset = 'gb2312' | 'utf8';

export interface LedTextOptions {
  readonly charset: LedCharset;
  /** Bytes per line the display can show. */
  readonly widthBytes: number;
}

const COLOUR_CODES: Record<LedColour, number> = { red: 0x52, green: 0x47, yellow: 0x59 };
const CONTROL = /\p{Cc}/gu;
const QUESTION = 0x3f;

/** One character in the display's charset; '?' when it has none. */
function encodeChar(ch: string, charset: LedCharset): Buffer {
  if (charset === 'utf8') return Buffer.from(ch, 'utf8');
  // iconv-lite's gb2312 is really GBK (cp936): keep only what a GB2312 font has.
  const bytes = iconv.encode(ch, 'gb2312');
  const oneByte = bytes.length === 1 && bytes[0]! >= 0x20 && bytes[0]! <= 0x7e;
  const twoBytes = bytes.length === 2 && bytes.every((b) => b >= 0xa1 && b <= 0xfe);
  return oneByte || twoBytes ? bytes : Buffer.of(QUESTION);
}

/** The text as the display will show it: controls as spaces, unknown characters as '?', cut to the width. */
export function fitLedText(text: string, options: LedTextOptions): { text: string; bytes: Buffer } {
  let shown = '';
  const parts: Buffer[] = [];
  let length = 0;
  for (const ch of text.replace(CONTROL, ' ')) {
    const bytes = encodeChar(ch, options.charset);
    if (length + bytes.length > options.widthBytes) break;
    parts.push(bytes);
    length += bytes.length;
    shown += bytes.length === 1 && bytes[0] === QUESTION ? '?' : ch;
  }
  return { text: shown, bytes: Buffer.concat(parts, length) };
}

function frame(body: readonly number[] | Buffer): Buffer {
  let chk = 0;
  for (const b of body) chk ^= b;
  return Buffer.from([STX, ...body, ETX, chk]);
}

/** A 'T' frame; `text` must already be fitted (fitLedText). */
export function ledTextFrame(line: number, colour: LedColour, text: Buffer): Buffer {
  if (!Number.isInteger(line) || line < 1 || line > MAX_LINES) {
    throw new DriverError('LED_TOO_MANY_LINES', `LED line ${line} is outside 1–${MAX_LINES}`);
  }
  if (text.length > MAX_LINE_WIDTH)
    throw new DriverError('BAD_CONFIG', 'LED text frame longer than 255 bytes');
  return frame(Buffer.from([0x54, 0x30 + line, COLOUR_CODES[colour], ...text]));
}

export function ledClearFrame(): Buffer {
  return frame([0x43]);
}
