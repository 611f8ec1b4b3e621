/**
 * The sale receipt (销售小票), as an 80 mm roll PDF and as ESC/POS. Both print the same facts in the same order:
 * venue, sale and time, lines (item, quantity, unit price, amount), total, discount, amount due, each payment,
 * change, the venue's footer and the print time.
 *
 * The PDF is a roll: it is laid out on a tall page and the page's MediaBox is then cropped to the content, so the
 * length follows the number of lines without measuring everything twice.
 */
import { EscPos, LINE_COLUMNS, labelledLines, padLeft, spread, title, wrapColumns } from './escpos.js';
import { formatDateTime, formatFen, PAYMENT_LABELS } from './format.js';
import type { ReceiptPrintModel } from './model.js';
import { BOLD, createPdf, dashedRule, fitText, MM } from './pdf-kit.js';
import type { LabelledRow } from './ticket-lines.js';

interface AmountRow {
  label: string;
  amountFen: number;
  strong?: boolean;
}

function metaRows(r: ReceiptPrintModel): LabelledRow[] {
  const rows: LabelledRow[] = [
    { label: { zh: '订单', en: 'Sale' }, value: r.saleId },
    { label: { zh: '时间', en: 'Time' }, value: formatDateTime(r.soldAtMs, r.timeZone) },
  ];
  if (r.window) rows.push({ label: { zh: '窗口', en: 'Window' }, value: r.window });
  if (r.cashier) rows.push({ label: { zh: '收银员', en: 'Cashier' }, value: r.cashier });
  return rows;
}

function amountRows(r: ReceiptPrintModel): AmountRow[] {
  const rows: AmountRow[] = [{ label: '合计 Total', amountFen: r.totalFen }];
  if (r.discountFen) {
    rows.push({ label: '优惠 Discount', amountFen: -r.discountFen });
    rows.push({ label: '应收 Due', amountFen: r.totalFen - r.discountFen, strong: true });
  } else {
    rows[0]!.strong = true;
  }
  for (const p of r.payments) {
    const l = PAYMENT_LABELS[p.method];
    rows.push({ label: `${l.zh} ${l.en}`, amountFen: p.amountFen });
  }
  if (r.changeFen) rows.push({ label: '找零 Change', amountFen: r.changeFen });
  return rows;
}

const RECEIPT_WIDTH = 80 * MM;
const GREY = '#555';

/**
 * The top of an 80 mm slip (receipt, shift report): the venue's name in Chinese and English, then the slip's title;
 * answers the height it took.
 */
export function slipHeading(
  doc: PDFKit.PDFDocument,
  venueName: { readonly zh: string; readonly en: string },
  title: string,
  at: { readonly x: number; readonly y: number; readonly width: number },
): number {
  const { x, width } = at;
  let y = at.y;
  y += fitText(doc, venueName.zh, x, y, {
    width,
    size: 12,
    minSize: 9,
    maxLines: 2,
    font: BOLD,
    align: 'center',
  });
  y += fitText(doc, venueName.en, x, y, {
    width,
    size: 7,
    minSize: 6,
    maxLines: 1,
    align: 'center',
    color: GREY,
  });
  y += 2;
  y += fitText(doc, title, x, y, { width, size: 9, maxLines: 1, font: BOLD, align: 'center' });
  return y - at.y;
}

export async function renderReceiptPdf(r: ReceiptPrintModel): Promise<Buffer> {
  // Tall enough for any content (two lines per sale line at most); cropped below.
  const pageH = 120 * MM + (r.lines.length * 2 + r.payments.length) * 14;
  const { doc, finish } = createPdf([RECEIPT_WIDTH, pageH], `销售小票 Receipt ${r.saleId}`);
  doc.addPage({ size: [RECEIPT_WIDTH, pageH], margin: 0 });
  const pad = 4 * MM;
  const x = pad;
  const w = RECEIPT_WIDTH - 2 * pad;
  let y = pad;

  y += slipHeading(doc, r.venueName, '销售小票 Sales receipt', { x, y, width: w });
  y += 3;
  for (const row of metaRows(r)) {
    fitText(doc, `${row.label.zh} ${row.label.en}`, x, y, { width: 52, size: 7, maxLines: 1, color: GREY });
    y += fitText(doc, row.value, x + 54, y, { width: w - 54, size: 8, maxLines: 1 }) + 1;
  }
  y += 2;
  dashedRule(doc, x, y, w);
  y += 4;

  // Columns: item (wraps), quantity, unit price, amount; numbers right-aligned.
  const qtyW = 22;
  const moneyW = 44;
  const itemW = w - qtyW - 2 * moneyW;
  const cols = [x, x + itemW, x + itemW + qtyW, x + itemW + qtyW + moneyW];
  const header = ['项目 Item', '数量 Qty', '单价 Price', '金额 Amount'];
  header.forEach((h, i) => {
    fitText(doc, h, cols[i]!, y, {
      width: i === 0 ? itemW : i === 1 ? qtyW : moneyW,
      size: 6.5,
      minSize: 5,
      maxLines: 1,
      color: GREY,
      align: i === 0 ? 'left' : 'right',
    });
  });
  y += 10;
  for (const line of r.lines) {
    const nameH = fitText(doc, `${line.name.zh} ${line.name.en}`, x, y, {
      width: itemW - 2,
      size: 8,
      minSize: 7,
      maxLines: 2,
    });
    fitText(doc, String(line.quantity), cols[1]!, y, { width: qtyW, size: 8, maxLines: 1, align: 'right' });
    fitText(doc, formatFen(line.unitPriceFen), cols[2]!, y, {
      width: moneyW,
      size: 8,
      maxLines: 1,
      align: 'right',
    });
    fitText(doc, formatFen(line.amountFen), cols[3]!, y, {
      width: moneyW,
      size: 8,
      maxLines: 1,
      align: 'right',
    });
    y += nameH + 2;
  }
  y += 1;
  dashedRule(doc, x, y, w);
  y += 4;
  for (const a of amountRows(r)) {
    const font = a.strong ? BOLD : undefined;
    const size = a.strong ? 10 : 8;
    fitText(doc, a.label, x, y, { width: w - 70, size, maxLines: 1, ...(font ? { font } : {}) });
    y +=
      fitText(doc, formatFen(a.amountFen), x + w - 70, y, {
        width: 70,
        size,
        maxLines: 1,
        align: 'right',
        ...(font ? { font } : {}),
      }) + 2;
  }
  y += 2;
  dashedRule(doc, x, y, w);
  y += 4;
  if (r.footer)
    y += fitText(doc, r.footer, x, y, { width: w, size: 7, minSize: 6, maxLines: 4, color: GREY }) + 2;
  y += fitText(doc, `打印 Printed ${formatDateTime(r.printedAtMs, r.timeZone)}`, x, y, {
    width: w,
    size: 6.5,
    maxLines: 1,
    align: 'center',
    color: GREY,
  });
  y += pad;

  // pdfkit flips the y axis so the page's top edge is at pageH: keeping [pageH − y, pageH] keeps what was drawn.
  const mediaBox = [0, Math.max(0, pageH - y), RECEIPT_WIDTH, pageH];
  const dict = doc.page.dictionary as unknown as { data: Record<string, unknown> };
  dict.data.MediaBox = mediaBox;
  return finish();
}

export function renderReceiptEscPos(r: ReceiptPrintModel): Buffer {
  const p = new EscPos().init();
  title(p, r.venueName.zh, 2);
  p.line(wrapColumns(r.venueName.en, LINE_COLUMNS, 1)[0])
    .bold(true)
    .line('销售小票 Sales receipt')
    .bold(false);
  p.align('left');
  for (const row of metaRows(r)) labelledLines(p, row, 1);
  p.rule();
  // 48 columns: item 22, quantity 6, unit price 10, amount 10.
  const nums = (q: string, u: string, a: string) => padLeft(q, 6) + padLeft(u, 10) + padLeft(a, 10);
  p.line(spread('项目 Item', nums('Qty', 'Price', 'Amount')));
  for (const line of r.lines) {
    const name = wrapColumns(`${line.name.zh} ${line.name.en}`, 21, 2);
    p.line(
      spread(
        name[0] ?? '',
        nums(String(line.quantity), formatFen(line.unitPriceFen), formatFen(line.amountFen)),
      ),
    );
    if (name[1]) p.line(name[1]);
  }
  p.rule();
  for (const a of amountRows(r)) {
    p.bold(a.strong === true).line(spread(a.label, formatFen(a.amountFen)));
  }
  p.bold(false).rule();
  if (r.footer) for (const l of wrapColumns(r.footer, LINE_COLUMNS, 4)) p.line(l);
  p.align('center')
    .line(`打印 Printed ${formatDateTime(r.printedAtMs, r.timeZone)}`)
    .align('left');
  return p.feed(2).cut().bytes();
}
