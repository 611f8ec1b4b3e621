import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { columns, LINE_COLUMNS } from './escpos.js';
import { renderShiftReportEscPos, renderShiftReportPdf, type ShiftReportPrintModel } from './shift-report.js';
import { hasPoppler, pdfInfo, pdfText, popplerRequired } from './testing/readback.js';

const AT = Date.parse('2031-03-30T09:00:00+08:00');

function sample(overrides: Partial<ShiftReportPrintModel> = {}): ShiftReportPrintModel {
  return {
    timeZone: 'Asia/Shanghai',
    venueName: { zh: '黄山风景区', en: 'Huangshan Scenic Area' },
    window: { zh: '一号窗口', en: 'Window 1' },
    cashier: 'wang_li',
    shiftId: '8d829aaa-8f8b-4124-bede-c71f40360f9e',
    state: 'pending_approval',
    openedAtMs: AT,
    closedAtMs: AT + 8 * 3_600_000,
    hidden: false,
    cash: {
      floatFen: 50_000,
      salesFen: 24_000,
      refundsFen: -10_000,
      supplementsFen: 500,
      ordersFen: 0,
      payoutsFen: 1_500,
      dropsFen: 20_000,
      expectedFen: 43_000,
      countedFen: 42_950,
      varianceFen: -50,
      adjustmentsFen: 0,
    },
    denominations: [
      { code: 'y100', count: 4, amountFen: 40_000 },
      { code: 'j5', count: 1, amountFen: 50 },
    ],
    tenders: [
      { method: 'wechat', expectedFen: 10_000, recordedFen: 9_900, differenceFen: -100 },
      { method: 'alipay', expectedFen: 0, recordedFen: null, differenceFen: null },
    ],
    sources: [
      { source: 'sale', count: 3, amountFen: 40_000, tickets: 4 },
      { source: 'refund', count: 1, amountFen: -10_000, tickets: -1 },
    ],
    ticketTypes: [{ name: { zh: '成人票', en: 'Adult' }, tickets: 3, amountFen: 30_500 }],
    movements: [
      { kind: 'drop', method: 'cash', amountFen: 20_000, reason: '存入保险箱', atMs: AT + 3_600_000 },
      { kind: 'payout', method: 'cash', amountFen: 1_500, reason: '打印纸', atMs: AT + 7_200_000 },
    ],
    approval: null,
    handoverTo: null,
    printedAtMs: AT + 9 * 3_600_000,
    ...overrides,
  };
}

/** The printable lines of an ESC/POS stream: control sequences dropped, GBK decoded. */
function printedLines(b: Buffer): string[] {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ESC/POS commands are control bytes.
  const text = iconv.decode(b, 'GBK').replace(/\x1b@|\x1c&|\x1b[aEd][\s\S]|\x1d![\s\S]|\x1dVB[\s\S]/g, '');
  return text.split('\n').filter((l) => l.length > 0);
}

const row = (left: string, right: string) =>
  left + ' '.repeat(LINE_COLUMNS - columns(left) - columns(right)) + right;

describe('shift report ESC/POS', () => {
  it('prints the reconciliation, the count, the tenders and each movement in 48 columns, then cuts', () => {
    const bytes = renderShiftReportEscPos(sample());
    expect(bytes.subarray(0, 4).toString('hex')).toBe('1b401c26');
    expect(bytes.subarray(-4).toString('hex')).toBe('1d564200');
    const lines = printedLines(bytes);
    for (const expected of [
      row('收银员 Cashier', 'wang_li'),
      row('状态 State', '待审批 Awaiting approval'),
      row('备用金 Float', '￥500.00'),
      row('现金退款 Cash refunds', '-￥100.00'),
      row('上缴 Drops', '-￥200.00'),
      row('应有现金 Expected', '￥430.00'),
      row('实点现金 Counted', '￥429.50'),
      row('短款 Short', '-￥0.50'),
      row('100元 × 4', '￥400.00'),
      row('5角 × 1', '￥0.50'),
      row('微信支付 WeChat Pay', '￥100.00/￥99.00'),
      row('售票 Sales 3笔 4张', '￥400.00'),
      row('成人票 Adult 3张', '￥305.00'),
      row('10:00 上缴 Drop 存入保险箱', '-￥200.00'),
      row('11:00 支出 Payout 打印纸', '-￥15.00'),
    ])
      expect(lines).toContain(expected);
    // A tender with nothing expected and nothing recorded is left out.
    expect(lines.some((l) => l.startsWith('支付宝'))).toBe(false);
    for (const l of lines.slice(2)) expect(columns(l)).toBeLessThanOrEqual(LINE_COLUMNS);
  });

  it('prints no figures for a blind shift not yet counted, only its movements', () => {
    const lines = printedLines(renderShiftReportEscPos(sample({ hidden: true, cash: null, state: 'open' })));
    expect(lines.join('\n')).toContain('盲点');
    expect(lines.some((l) => l.includes('应有现金'))).toBe(false);
    expect(lines.some((l) => l.includes('￥430.00'))).toBe(false);
    expect(lines).toContain(row('10:00 上缴 Drop 存入保险箱', '-￥200.00'));
  });
});

describe.runIf(hasPoppler || popplerRequired)('shift report PDF read back with poppler', () => {
  it('is an 80 mm roll cropped to its content, in Chinese and English', async () => {
    const pdf = await renderShiftReportPdf(sample({ approval: { by: 'finance_zhao', note: '短款已追回' } }));
    const text = pdfText(pdf);
    for (const s of [
      '黄山风景区',
      '交接班报表',
      '应有现金 Expected',
      '¥430.00',
      '短款 Short',
      '-¥0.50',
      '100元 × 4',
      '成人票 Adult 3张',
      '存入保险箱',
      '审批 Approved: finance_zhao 短款已追回',
    ])
      expect(text).toContain(s);
    const size = /Page size:\s+([\d.]+) x ([\d.]+)/.exec(pdfInfo(pdf));
    expect(Number(size?.[1])).toBeCloseTo(226.77, 1);
    expect(Number(size?.[2])).toBeGreaterThan(250);
    expect(Number(size?.[2])).toBeLessThan(1_000);
  });
});
