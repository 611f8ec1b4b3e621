import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
  columns,
  EscPos,
  encodeGbk,
  LINE_COLUMNS,
  renderTicketEscPos,
  spread,
  wrapColumns,
} from './escpos.js';
import { sampleQrText, sampleTicket } from './testing/fixtures.js';

const hex = (b: Buffer) => b.toString('hex').replace(/(..)/g, '$1 ').trim();

describe('ESC/POS commands', () => {
  it('init resets the printer then enters Chinese mode (ESC @, FS &)', () => {
    expect(hex(new EscPos().init().bytes())).toBe('1b 40 1c 26');
  });

  it('encodes text as GBK, ¥ as full-width ￥ (GBK has no U+00A5)', () => {
    expect(hex(encodeGbk('黄山 ¥1'))).toBe('bb c6 c9 bd 20 a3 a4 31');
    expect(columns('成人票 Adult')).toBe(12);
  });

  it('stores a 122-character credential with GS ( k pL=0x7D pH=0x00 (122 + 3 = 125), verbatim', () => {
    const text = sampleQrText();
    expect(text).toHaveLength(122);
    expect(text.startsWith(' ')).toBe(true);
    const bytes = new EscPos().qr(text).bytes();
    const expected = Buffer.concat([
      Buffer.from('1d286b040031413200', 'hex'), // model 2
      Buffer.from('1d286b0300314306', 'hex'), // module 6 dots
      Buffer.from('1d286b0300314531', 'hex'), // error correction M
      Buffer.from('1d286b7d00315030', 'hex'), // store 125 bytes: "1P0" + data
      Buffer.from(text, 'ascii'),
      Buffer.from('1d286b0300315130', 'hex'), // print
    ]);
    expect(hex(bytes)).toBe(hex(expected));
    expect(bytes[9 + 8 + 8 + 8]).toBe(0x20); // the leading space is the first data byte
  });

  it('splits a long QR length over pL and pH', () => {
    const bytes = new EscPos().qr('A'.repeat(300)).bytes();
    expect(hex(bytes.subarray(25, 33))).toBe('1d 28 6b 2f 01 31 50 30'); // 303 = 0x012F
  });

  it('prints 12 digits as Code128 set C with HRI below: GS h, GS w, GS H 2, GS f 0, GS k 73 n {C …', () => {
    expect(hex(new EscPos().code128('816558726459').bytes())).toBe(
      '1d 68 50 1d 77 03 1d 48 02 1d 66 00 1d 6b 49 08 7b 43 51 41 3a 48 40 3b',
    );
  });

  it('uses code set B for other text, escaping {', () => {
    expect(hex(new EscPos().code128('A{1').bytes().subarray(12))).toBe('1d 6b 49 06 7b 42 41 7b 7b 31');
    expect(() => new EscPos().code128('票')).toThrow(/ASCII/);
  });

  it('feeds and partially cuts with GS V 66 n', () => {
    expect(hex(new EscPos().feed(2).cut().bytes())).toBe('1b 64 02 1d 56 42 00');
  });

  it('double size, bold and centring', () => {
    expect(hex(new EscPos().align('center').bold(true).size(2, 2).size(1, 1).bytes())).toBe(
      '1b 61 01 1b 45 01 1d 21 11 1d 21 00',
    );
  });
});

describe('column layout', () => {
  it('wraps hanzi anywhere, Latin at spaces, and cuts with an ellipsis', () => {
    expect(wrapColumns('国家级重点风景名胜区', 8, 3)).toEqual(['国家级重', '点风景名', '胜区']);
    expect(wrapColumns('Adult ticket with cable car', 14, 3)).toEqual(['Adult ticket', 'with cable car']);
    const cut = wrapColumns('国家级重点风景名胜区暨世界文化与自然双重遗产地', 10, 2);
    expect(cut).toEqual(['国家级重点', '风景名胜…']);
    for (const l of cut) expect(columns(l)).toBeLessThanOrEqual(10);
  });

  it('spreads a label and an amount to exactly one line', () => {
    const l = spread('现金 Cash', '¥300.00');
    expect(columns(l)).toBe(LINE_COLUMNS);
    expect(l.endsWith(' ¥300.00')).toBe(true);
  });
});

/** Splits a stream into commands and text runs, using each command's own length; unknown bytes fail the test. */
function tokens(b: Buffer): string[] {
  const out: string[] = [];
  let text: number[] = [];
  const flush = () => {
    if (text.length) out.push(`text:${iconv.decode(Buffer.from(text), 'GBK')}`);
    text = [];
  };
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    const two = (name: string, len: number) => {
      flush();
      out.push(name);
      i += len;
    };
    if (c === 0x0a) two('LF', 1);
    else if (c === 0x1b && b[i + 1] === 0x40) two('ESC @', 2);
    else if (c === 0x1c && b[i + 1] === 0x26) two('FS &', 2);
    else if (c === 0x1b && [0x61, 0x45, 0x64].includes(b[i + 1]!))
      two(`ESC ${String.fromCharCode(b[i + 1]!)} ${b[i + 2]}`, 3);
    else if (c === 0x1d && [0x21, 0x68, 0x77, 0x48, 0x66].includes(b[i + 1]!))
      two(`GS ${String.fromCharCode(b[i + 1]!)} ${b[i + 2]}`, 3);
    else if (c === 0x1d && b[i + 1] === 0x56) two(`GS V ${b[i + 2]} ${b[i + 3]}`, 4);
    else if (c === 0x1d && b[i + 1] === 0x28 && b[i + 2] === 0x6b) {
      const len = b[i + 3]! + 256 * b[i + 4]!;
      const fn = String.fromCharCode(b[i + 6]!);
      two(
        `GS ( k ${fn}${fn === 'P' ? `:${b.subarray(i + 8, i + 5 + len).toString('latin1')}` : ''}`,
        5 + len,
      );
    } else if (c === 0x1d && b[i + 1] === 0x6b && b[i + 2] === 73)
      two(`GS k 73 ${hex(b.subarray(i + 4, i + 4 + b[i + 3]!))}`, 4 + b[i + 3]!);
    else if (c < 0x20) throw new Error(`unknown control byte 0x${c.toString(16)} at ${i}`);
    else {
      text.push(c);
      i++;
    }
  }
  flush();
  return out;
}

describe('ticket slip', () => {
  it('parses end to end: Chinese mode, big title, rows, the QR verbatim, Code128, cut', () => {
    const t = sampleTicket();
    const tk = tokens(renderTicketEscPos(t));
    expect(tk.slice(0, 7)).toEqual([
      'ESC @',
      'FS &',
      'ESC a 1',
      'ESC E 1',
      'GS ! 17',
      'text:黄山风景区',
      'LF',
    ]);
    expect(tk).toContain('text:成人票');
    expect(tk).toContain(`text:单次票 Single entry${' '.repeat(48 - 19 - 8)}￥120.00`);
    expect(tk).toContain('text:入园时段 Slot    2025-05-01 09:00–10:00');
    expect(tk).toContain('text:证件号 ID        110105********123X');
    expect(tk).toContain(`GS ( k P:${t.qrText}`);
    expect(tk.indexOf('GS ( k Q')).toBeGreaterThan(tk.indexOf(`GS ( k P:${t.qrText}`));
    expect(tk).toContain('GS H 2');
    expect(tk.at(-1)).toBe('GS V 66 0');
    const rows = tk.filter((x) => x.startsWith('text:')).map((x) => x.slice(5));
    for (const r of rows) expect(columns(r)).toBeLessThanOrEqual(LINE_COLUMNS);
  });

  it('keeps every line of an overlong ticket within 48 columns', () => {
    const t = sampleTicket({
      venueName: { zh: '国家级重点风景名胜区暨世界文化与自然双重遗产地黄山风景区南大门', en: 'x'.repeat(80) },
      holder: { name: '阿卜杜热合曼·买买提依明·艾合买提江·吐尔逊·阿卜杜热合曼', maskedId: '1101' },
    });
    const rows = tokens(renderTicketEscPos(t)).filter((x) => x.startsWith('text:'));
    for (const r of rows) expect(columns(r.slice(5))).toBeLessThanOrEqual(LINE_COLUMNS);
    expect(rows.some((r) => r.endsWith('…'))).toBe(true);
  });
});
