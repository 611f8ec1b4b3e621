/**
 * The shift report (交接班报表 / 营业员日结单), as an 80 mm roll PDF and as ESC/POS for the window's thermal printer.
 * Both print the same rows, built once from the model: the shift, the cash reconciliation (float, cash in by source,
 * payouts, drops, expected, counted, variance), the count by denomination, the non-cash tenders (expected against
 * recorded), takings by source and ticket type, each drop, payout and adjustment, the approval and the print time.
 * Like the receipt, the PDF is laid out on a tall page and cropped to what was drawn.
 *
 * The model carries codes (states, sources, methods, denominations); this file holds their printed labels, in
 * Chinese and English side by side as on every printout. Printing reads no tables: the shifts module builds the model.
 */
import { EscPos, LINE_COLUMNS, spread, title, wrapColumns } from './escpos.js';
import { formatDateTime, formatFen } from './format.js';
import type { BilingualText } from './model.js';
import { BOLD, createPdf, dashedRule, fitText, MM } from './pdf-kit.js';
import { slipHeading } from './receipt.js';

export interface ShiftReportPrintModel {
  timeZone: string;
  venueName: BilingualText;
  window: BilingualText;
  cashier: string;
  shiftId: string;
  /** `open`, `pending_approval` or `closed`. */
  state: string;
  openedAtMs: number;
  closedAtMs: number | null;
  /** A blind shift not yet closed, printed for its own cashier: no figures to count against. */
  hidden: boolean;
  cash: {
    floatFen: number;
    salesFen: number;
    refundsFen: number;
    supplementsFen: number;
    ordersFen: number;
    payoutsFen: number;
    dropsFen: number;
    expectedFen: number;
    countedFen: number | null;
    varianceFen: number | null;
    adjustmentsFen: number;
  } | null;
  denominations: { code: string; count: number; amountFen: number }[];
  tenders: {
    method: string;
    expectedFen: number;
    recordedFen: number | null;
    differenceFen: number | null;
  }[];
  sources: { source: string; count: number; amountFen: number; tickets: number }[];
  ticketTypes: { name: BilingualText; tickets: number; amountFen: number }[];
  /** Drops, payouts and adjustments, in time order; `kind` is the event kind's code. */
  movements: { kind: string; method: string; amountFen: number; reason: string | null; atMs: number }[];
  approval: { by: string; note: string } | null;
  /** The cashier the till was handed over to, if it was. */
  handoverTo: string | null;
  printedAtMs: number;
}

const STATES: Record<string, string> = {
  open: '未结 Open',
  pending_approval: '待审批 Awaiting approval',
  closed: '已结 Closed',
};
const SOURCES: Record<string, string> = {
  sale: '售票 Sales',
  refund: '退票 Refunds',
  supplement: '补票 Supplements',
  order: '团队 Orders',
};
const METHODS: Record<string, string> = {
  cash: '现金 Cash',
  bank_card: '银行卡 Bank card',
  wechat: '微信支付 WeChat Pay',
  alipay: '支付宝 Alipay',
  points: '积分 Points',
  agency_account: '旅行社账户 Agency account',
};
const KINDS: Record<string, string> = {
  drop: '上缴 Drop',
  payout: '支出 Payout',
  adjustment: '调整 Adjustment',
};
const DENOMINATIONS: Record<string, string> = {
  y100: '100元',
  y50: '50元',
  y20: '20元',
  y10: '10元',
  y5: '5元',
  y1: '1元',
  j5: '5角',
  j1: '1角',
};

/** One printed line: a label and, right-aligned, its figure; or a section heading. */
interface Row {
  readonly left: string;
  readonly right?: string;
  readonly strong?: boolean;
  readonly heading?: boolean;
}

const label = (table: Record<string, string>, code: string) => table[code] ?? code;
const time = (ms: number, m: ShiftReportPrintModel) => formatDateTime(ms, m.timeZone);

export function shiftReportRows(m: ShiftReportPrintModel): Row[] {
  const rows: Row[] = [
    { left: '班次 Shift', right: m.shiftId.slice(0, 8) },
    { left: '窗口 Window', right: `${m.window.zh} ${m.window.en}` },
    { left: '收银员 Cashier', right: m.cashier },
    { left: '状态 State', right: label(STATES, m.state) },
    { left: '开班 Opened', right: time(m.openedAtMs, m) },
  ];
  if (m.closedAtMs !== null) rows.push({ left: '收班 Closed', right: time(m.closedAtMs, m) });
  if (m.handoverTo) rows.push({ left: '交班给 Handed to', right: m.handoverTo });
  if (m.hidden || !m.cash) {
    rows.push({ left: '盲点：收班后显示金额 Blind count: figures shown after closing', heading: true });
    appendMovements(rows, m);
    return rows;
  }
  const c = m.cash;
  rows.push(
    { left: '现金 Cash', heading: true },
    { left: '备用金 Float', right: formatFen(c.floatFen) },
    { left: '现金售票 Cash sales', right: formatFen(c.salesFen) },
    { left: '现金退款 Cash refunds', right: formatFen(c.refundsFen) },
    { left: '现金补票 Cash supplements', right: formatFen(c.supplementsFen) },
    { left: '团队收款 Order payments', right: formatFen(c.ordersFen) },
    { left: '支出 Payouts', right: formatFen(-c.payoutsFen) },
    { left: '上缴 Drops', right: formatFen(-c.dropsFen) },
    { left: '应有现金 Expected', right: formatFen(c.expectedFen), strong: true },
  );
  if (c.countedFen !== null) rows.push({ left: '实点现金 Counted', right: formatFen(c.countedFen) });
  if (c.varianceFen !== null) {
    const kind = c.varianceFen > 0 ? '长款 Over' : c.varianceFen < 0 ? '短款 Short' : '无差额 Even';
    rows.push({ left: `${kind}`, right: formatFen(c.varianceFen), strong: true });
  }
  if (c.adjustmentsFen !== 0)
    rows.push({ left: '现金调整 Cash adjustments', right: formatFen(c.adjustmentsFen) });
  if (m.denominations.length > 0) {
    rows.push({ left: '清点明细 Count', heading: true });
    for (const d of m.denominations)
      rows.push({ left: `${label(DENOMINATIONS, d.code)} × ${d.count}`, right: formatFen(d.amountFen) });
  }
  const tenders = m.tenders.filter((t) => t.expectedFen !== 0 || t.recordedFen !== null);
  if (tenders.length > 0) {
    rows.push({ left: '非现金 Other tenders (应有/录入 expected/recorded)', heading: true });
    for (const t of tenders)
      rows.push({
        left: label(METHODS, t.method),
        right:
          t.recordedFen === null
            ? formatFen(t.expectedFen)
            : `${formatFen(t.expectedFen)}/${formatFen(t.recordedFen)}`,
      });
  }
  rows.push({ left: '收款 Takings', heading: true });
  for (const s of m.sources)
    rows.push({
      left: `${label(SOURCES, s.source)} ${s.count}笔 ${s.tickets}张`,
      right: formatFen(s.amountFen),
    });
  if (m.ticketTypes.length > 0) {
    rows.push({ left: '票种 Ticket types', heading: true });
    for (const t of m.ticketTypes)
      rows.push({ left: `${t.name.zh} ${t.name.en} ${t.tickets}张`, right: formatFen(t.amountFen) });
  }
  appendMovements(rows, m);
  if (m.approval) rows.push({ left: `审批 Approved: ${m.approval.by} ${m.approval.note}`, heading: true });
  return rows;
}

function appendMovements(rows: Row[], m: ShiftReportPrintModel): void {
  if (m.movements.length === 0) return;
  rows.push({ left: '上缴、支出与调整 Drops, payouts, adjustments', heading: true });
  for (const e of m.movements) {
    const method = e.kind === 'adjustment' ? ` ${label(METHODS, e.method)}` : '';
    const reason = e.reason ? ` ${e.reason}` : '';
    const out = e.kind === 'drop' || e.kind === 'payout';
    rows.push({
      left: `${formatDateTime(e.atMs, m.timeZone).slice(11)} ${label(KINDS, e.kind)}${method}${reason}`,
      right: formatFen(out ? -e.amountFen : e.amountFen),
    });
  }
}

const WIDTH = 80 * MM;
const GREY = '#555';

export async function renderShiftReportPdf(m: ShiftReportPrintModel): Promise<Buffer> {
  const rows = shiftReportRows(m);
  const pageH = 80 * MM + rows.length * 26;
  const { doc, finish } = createPdf([WIDTH, pageH], `交接班报表 Shift report ${m.shiftId}`);
  doc.addPage({ size: [WIDTH, pageH], margin: 0 });
  const pad = 4 * MM;
  const x = pad;
  const w = WIDTH - 2 * pad;
  let y = pad;
  y += slipHeading(doc, m.venueName, '交接班报表 Shift report', { x, y, width: w });
  y += 4;
  const amountW = 84;
  for (const row of rows) {
    if (row.heading) {
      y += 2;
      dashedRule(doc, x, y, w);
      y += 3;
      y += fitText(doc, row.left, x, y, { width: w, size: 7.5, minSize: 6, maxLines: 2, font: BOLD }) + 1;
      continue;
    }
    const font = row.strong ? { font: BOLD } : {};
    const size = row.strong ? 9 : 8;
    const used = fitText(doc, row.left, x, y, {
      width: w - amountW - 2,
      size,
      minSize: 6,
      maxLines: 2,
      ...font,
    });
    if (row.right !== undefined)
      fitText(doc, row.right, x + w - amountW, y, {
        width: amountW,
        size,
        minSize: 6,
        maxLines: 1,
        align: 'right',
        ...font,
      });
    y += used + 2;
  }
  y += 2;
  dashedRule(doc, x, y, w);
  y += 4;
  y += fitText(doc, `打印 Printed ${formatDateTime(m.printedAtMs, m.timeZone)}`, x, y, {
    width: w,
    size: 6.5,
    maxLines: 1,
    align: 'center',
    color: GREY,
  });
  y += pad;
  // pdfkit flips the y axis so the page's top edge is at pageH: keeping [pageH − y, pageH] keeps what was drawn.
  const dict = doc.page.dictionary as unknown as { data: Record<string, unknown> };
  dict.data.MediaBox = [0, Math.max(0, pageH - y), WIDTH, pageH];
  return finish();
}

export function renderShiftReportEscPos(m: ShiftReportPrintModel): Buffer {
  const p = new EscPos().init();
  title(p, m.venueName.zh, 2);
  p.line(wrapColumns(m.venueName.en, LINE_COLUMNS, 1)[0])
    .bold(true)
    .line('交接班报表 Shift report')
    .bold(false);
  p.align('left');
  for (const row of shiftReportRows(m)) {
    if (row.heading) {
      p.rule().bold(true);
      for (const l of wrapColumns(row.left, LINE_COLUMNS, 2)) p.line(l);
      p.bold(false);
      continue;
    }
    p.bold(row.strong === true).line(row.right === undefined ? row.left : spread(row.left, row.right));
  }
  p.bold(false).rule();
  p.align('center')
    .line(`打印 Printed ${formatDateTime(m.printedAtMs, m.timeZone)}`)
    .align('left');
  return p.feed(2).cut().bytes();
}
