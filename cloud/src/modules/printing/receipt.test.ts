import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { columns, LINE_COLUMNS } from './escpos.js';
import { renderReceiptEscPos, renderReceiptPdf } from './receipt.js';
import { sampleReceipt } from './testing/fixtures.js';
import { hasPoppler, pdfInfo, pdfText, popplerRequired } from './testing/readback.js';

/** The printable lines of an ESC/POS stream: control sequences dropped, GBK decoded. */
function printedLines(b: Buffer): string[] {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ESC/POS commands are control bytes.
  const text = iconv.decode(b, 'GBK').replace(/\x1b@|\x1c&|\x1b[aEd][\s\S]|\x1d![\s\S]|\x1dVB[\s\S]/g, '');
  return text.split('\n').filter((l) => l.length > 0);
}

describe('receipt ESC/POS', () => {
  it('prints lines, totals, payments and change in 48 columns, then cuts', () => {
    const bytes = renderReceiptEscPos(sampleReceipt());
    expect(bytes.subarray(0, 4).toString('hex')).toBe('1b401c26');
    expect(bytes.subarray(-4).toString('hex')).toBe('1d564200');
    const lines = printedLines(bytes);
    expect(lines).toContain('成人票 Adult               2  ￥120.00  ￥240.00');
    expect(lines).toContain(`合计 Total${' '.repeat(48 - 10 - 8)}￥300.00`);
    expect(lines).toContain(`优惠 Discount${' '.repeat(48 - 13 - 8)}-￥10.00`);
    expect(lines).toContain(`应收 Due${' '.repeat(48 - 8 - 8)}￥290.00`);
    expect(lines).toContain(`微信支付 WeChat Pay${' '.repeat(48 - 19 - 7)}￥90.00`);
    expect(lines).toContain(`找零 Change${' '.repeat(48 - 11 - 8)}￥100.00`);
    for (const l of lines.slice(2)) expect(columns(l)).toBeLessThanOrEqual(LINE_COLUMNS);
  });

  it('leaves out discount, due and change when there are none', () => {
    const lines = printedLines(
      renderReceiptEscPos(
        sampleReceipt({ discountFen: 0, changeFen: 0, payments: [{ method: 'alipay', amountFen: 30000 }] }),
      ),
    );
    expect(lines.some((l) => l.startsWith('优惠'))).toBe(false);
    expect(lines.some((l) => l.startsWith('找零'))).toBe(false);
    expect(lines.some((l) => l.startsWith('支付宝 Alipay'))).toBe(true);
  });
});

describe.runIf(hasPoppler || popplerRequired)('receipt PDF read back with poppler', () => {
  it('is an 80 mm roll cropped to its content, with every amount in Chinese and English', async () => {
    const pdf = await renderReceiptPdf(sampleReceipt());
    const text = pdfText(pdf);
    for (const s of [
      '黄山风景区',
      '销售小票',
      '成人票 Adult',
      '¥240.00',
      '合计 Total',
      '¥300.00',
      '-¥10.00',
      '应收 Due',
    ]) {
      expect(text).toContain(s);
    }
    for (const s of ['¥290.00', '微信支付 WeChat Pay', '¥90.00', '找零 Change', '¥100.00', '0559-5561111']) {
      expect(text).toContain(s);
    }
    const size = /Page size:\s+([\d.]+) x ([\d.]+)/.exec(pdfInfo(pdf));
    expect(Number(size?.[1])).toBeCloseTo(226.77, 1);
    expect(Number(size?.[2])).toBeGreaterThan(200);
    expect(Number(size?.[2])).toBeLessThan(400);
    const many = await renderReceiptPdf(
      sampleReceipt({ lines: Array.from({ length: 30 }, () => sampleReceipt().lines[0]!) }),
    );
    const tall = /Page size:\s+[\d.]+ x ([\d.]+)/.exec(pdfInfo(many));
    expect(Number(tall?.[1])).toBeGreaterThan(Number(size?.[2]) + 28 * 10);
  });
});
