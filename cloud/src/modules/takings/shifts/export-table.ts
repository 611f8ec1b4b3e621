/**
 * The shift report (交接班报表) as an export table (CSV, XLSX, PDF through platform/exports): the cash reckoning, the
 * non-cash tenders (expected, recorded, difference), takings by source and by ticket type, then the drops, payouts
 * and adjustments one by one. Its lines are of different kinds, so it has no totals row: the reckoning's own lines
 * (expected, counted, variance) are its totals. A blind shift's hidden figures are left out, as in the report.
 */
import type { ReportColumn, ReportRow, ReportTable } from '../../../platform/exports/report.js';
import type { Language, Localized } from '../../../platform/language.js';
import type { Site } from '../../venues/schemas.js';
import { METHOD_LABELS, SOURCE_LABELS } from '../labels.js';
import type { Names } from '../names.js';
import type { ShiftEvent, ShiftReport } from './schemas.js';

const COLUMNS: readonly ReportColumn[] = [
  { key: 'section', header: { 'zh-CN': '分类', en: 'Section' }, kind: 'text', width: 14 },
  { key: 'item', header: { 'zh-CN': '项目', en: 'Item' }, kind: 'text', width: 26 },
  { key: 'count', header: { 'zh-CN': '笔数', en: 'Count' }, kind: 'integer' },
  { key: 'tickets', header: { 'zh-CN': '张数', en: 'Tickets' }, kind: 'integer' },
  { key: 'persons', header: { 'zh-CN': '人数', en: 'Persons' }, kind: 'integer' },
  { key: 'amountFen', header: { 'zh-CN': '金额（元）', en: 'Amount (¥)' }, kind: 'money_fen' },
  { key: 'at', header: { 'zh-CN': '时间', en: 'Time' }, kind: 'datetime' },
];

const L = (zh: string, en: string): Localized => ({ 'zh-CN': zh, en });

const SECTIONS = {
  cash: L('现金', 'Cash'),
  tender: L('非现金', 'Non-cash'),
  source: L('按来源', 'By source'),
  type: L('按票种', 'By ticket type'),
  drop: L('上缴', 'Drops'),
  payout: L('支出', 'Payouts'),
  adjustment: L('调整', 'Adjustments'),
};

interface Line {
  readonly section: Localized;
  readonly item: Localized;
  readonly count?: number;
  readonly tickets?: number;
  readonly persons?: number;
  readonly amountFen: number | null;
  readonly at?: number;
}

function cashLines(cash: NonNullable<ShiftReport['cash']>, hidden: boolean): Line[] {
  const line = (item: Localized, amountFen: number | null): Line => ({
    section: SECTIONS.cash,
    item,
    amountFen,
  });
  const lines = [line(L('备用金', 'Float'), cash.floatFen)];
  if (!hidden)
    lines.push(
      line(L('现金售票', 'Cash sales'), cash.salesFen),
      line(L('现金退票', 'Cash refunds'), cash.refundsFen),
      line(L('现金补票', 'Cash supplements'), cash.supplementsFen),
      line(L('现金团队订单', 'Cash group orders'), cash.ordersFen),
    );
  lines.push(line(L('支出', 'Payouts'), -cash.payoutsFen), line(L('上缴', 'Drops'), -cash.dropsFen));
  if (!hidden) lines.push(line(L('应有现金', 'Expected cash'), cash.expectedFen));
  lines.push(line(L('实点现金', 'Counted cash'), cash.countedFen));
  if (!hidden) {
    lines.push(line(L('长短款（长为正）', 'Variance (over positive)'), cash.varianceFen));
    if (cash.adjustmentsFen !== 0)
      lines.push(
        line(L('调整', 'Adjustments'), cash.adjustmentsFen),
        line(L('调整后长短款', 'Variance after adjustments'), cash.adjustedVarianceFen),
      );
  }
  return lines;
}

function eventLine(section: Localized, event: ShiftEvent): Line {
  const who = event.reason ? `${event.reason} · ${event.by.username}` : event.by.username;
  const method = event.kind === 'adjustment' ? `${METHOD_LABELS[event.method]['zh-CN']} · ` : '';
  const methodEn = event.kind === 'adjustment' ? `${METHOD_LABELS[event.method].en} · ` : '';
  return {
    section,
    item: L(`${method}${who}`, `${methodEn}${who}`),
    amountFen: event.amountFen,
    at: event.at,
  };
}

export function shiftLines(report: ShiftReport, names: Names): Line[] {
  const hidden = report.expectedHidden;
  const lines: Line[] = report.cash ? cashLines(report.cash, hidden) : [];
  for (const tender of report.tenders) {
    const name = METHOD_LABELS[tender.method];
    const of = (zh: string, en: string) => L(`${name['zh-CN']} · ${zh}`, `${name.en} · ${en}`);
    if (!hidden)
      lines.push({ section: SECTIONS.tender, item: of('应收', 'expected'), amountFen: tender.expectedFen });
    if (tender.recordedFen !== null)
      lines.push({ section: SECTIONS.tender, item: of('录入', 'recorded'), amountFen: tender.recordedFen });
    if (!hidden && tender.differenceFen !== null)
      lines.push({
        section: SECTIONS.tender,
        item: of('差额', 'difference'),
        amountFen: tender.differenceFen,
      });
  }
  for (const s of report.sources)
    lines.push({ section: SECTIONS.source, item: SOURCE_LABELS[s.source], ...s });
  for (const t of report.ticketTypes)
    lines.push({ section: SECTIONS.type, item: names.type(t.typeId), ...t });
  lines.push(
    ...report.drops.map((e) => eventLine(SECTIONS.drop, e)),
    ...report.payouts.map((e) => eventLine(SECTIONS.payout, e)),
    ...report.adjustments.map((e) => eventLine(SECTIONS.adjustment, e)),
  );
  return lines;
}

/** The shift report as a table in one language. */
export function shiftTable(site: Site, report: ShiftReport, names: Names, language: Language): ReportTable {
  const { shift } = report;
  const lines = shiftLines(report, names);
  async function* rows(): AsyncGenerator<ReportRow> {
    for (const line of lines)
      yield {
        section: line.section[language],
        item: line.item[language],
        count: line.count ?? null,
        tickets: line.tickets ?? null,
        persons: line.persons ?? null,
        amountFen: line.amountFen,
        at: line.at ?? null,
      };
  }
  const window = names.window(shift.siteId, shift.windowId);
  const heading = (lang: Language) =>
    `${lang === 'en' ? site.name.en : site.name.zh} · ${window[lang]} · ${shift.cashier.username} · ${shift.openDate}`;
  return {
    title: L('交接班报表', 'Shift report'),
    subtitle: L(heading('zh-CN'), heading('en')),
    fileName: L(
      `交接班报表 ${shift.windowId} ${shift.cashier.username} ${shift.openDate}`,
      `Shift report ${shift.windowId} ${shift.cashier.username} ${shift.openDate}`,
    ),
    columns: COLUMNS,
    rows: rows(),
    timeZone: site.timezone,
  };
}
