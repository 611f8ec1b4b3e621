/**
 * The day and month settlements as export tables (CSV, XLSX, PDF through platform/exports). A day is one table of
 * sections — by ticket type, channel, tender, window, cashier, agency and source, then what was carried in and the
 * adjustments — each section a breakdown of the same money, so the totals row is the day's total as the report gives
 * it, never a sum of the rows (that would count the money once per section). A month is one row per day, summed.
 */
import type { Connection } from '../../../db/scoped.js';
import type { ReportColumn, ReportRow, ReportTable } from '../../../platform/exports/report.js';
import type { Localized } from '../../../platform/language.js';
import type { Site } from '../../venues/schemas.js';
import { channelLabel, METHOD_LABELS, NONE_LABEL, SOURCE_LABELS } from '../labels.js';
import { namesOf } from '../names.js';
import type { Figures } from './figures.js';
import type { DayReport, MonthReport } from './schemas.js';

const text = (key: string, zh: string, en: string, width?: number): ReportColumn => ({
  key,
  header: { 'zh-CN': zh, en },
  kind: 'text',
  ...(width !== undefined && { width }),
});

const DAY_COLUMNS: readonly ReportColumn[] = [
  text('section', '分类', 'Section', 14),
  text('item', '项目', 'Item', 24),
  { key: 'count', header: { 'zh-CN': '笔数', en: 'Payments' }, kind: 'integer', sum: false },
  { key: 'tickets', header: { 'zh-CN': '张数', en: 'Tickets' }, kind: 'integer' },
  { key: 'persons', header: { 'zh-CN': '人数', en: 'Persons' }, kind: 'integer' },
  { key: 'amountFen', header: { 'zh-CN': '金额（元）', en: 'Amount (¥)' }, kind: 'money_fen' },
];

const SECTIONS = {
  type: { 'zh-CN': '按票种', en: 'By ticket type' },
  channel: { 'zh-CN': '按渠道', en: 'By channel' },
  tender: { 'zh-CN': '按支付方式', en: 'By tender' },
  window: { 'zh-CN': '按窗口', en: 'By window' },
  cashier: { 'zh-CN': '按收银员', en: 'By cashier' },
  agency: { 'zh-CN': '按旅行社', en: 'By agency' },
  source: { 'zh-CN': '按来源', en: 'By source' },
  carried: { 'zh-CN': '补计收款', en: 'Carried in' },
  adjustment: { 'zh-CN': '班次调整', en: 'Shift adjustments' },
} as const satisfies Record<string, Localized>;

/** A row's cells as the writers read them: localized text is picked per language by the caller of `localize`. */
interface Line {
  readonly section: Localized;
  readonly item: Localized;
  readonly count?: number;
  readonly tickets?: number;
  readonly persons?: number;
  readonly amountFen: number;
}

type Names = Awaited<ReturnType<typeof namesOf>>;

function figureLines(siteId: string, figures: Figures, names: Names): Line[] {
  const none = (id: string | null, name: (id: string) => Localized) => (!id ? NONE_LABEL : name(id));
  return [
    ...figures.byType.map((r) => ({
      section: SECTIONS.type,
      item: names.type(r.typeId),
      ...r,
    })),
    ...figures.byChannel.map((r) => ({ section: SECTIONS.channel, item: channelLabel(r.channel), ...r })),
    ...figures.byTender.map((r) => ({
      section: SECTIONS.tender,
      item: METHOD_LABELS[r.method],
      count: r.payments,
      amountFen: r.amountFen,
    })),
    ...figures.byWindow.map((r) => ({
      section: SECTIONS.window,
      item: none(r.windowId, (id) => names.window(siteId, id)),
      ...r,
    })),
    ...figures.byCashier.map((r) => ({
      section: SECTIONS.cashier,
      item: none(r.cashierId, names.cashier),
      ...r,
    })),
    ...figures.byAgency.map((r) => ({
      section: SECTIONS.agency,
      item: none(r.agencyId, names.agency),
      ...r,
    })),
    ...figures.bySource.map((r) => ({ section: SECTIONS.source, item: SOURCE_LABELS[r.source], ...r })),
  ];
}

/** The names every id of these figures needs, read once. */
function namesFor(db: Connection, siteId: string, all: readonly Figures[]): Promise<Names> {
  return namesOf(db, {
    windows: all.flatMap((f) =>
      f.byWindow.flatMap((r) => (r.windowId ? [{ siteId, windowId: r.windowId }] : [])),
    ),
    cashiers: all.flatMap((f) => f.byCashier.flatMap((r) => (r.cashierId ? [r.cashierId] : []))),
    agencies: all.flatMap((f) => f.byAgency.flatMap((r) => (r.agencyId ? [r.agencyId] : []))),
    types: all.flatMap((f) => f.byType.map((r) => r.typeId)),
  });
}

/** Lines carry both languages; a table's cells are plain values, so each export is made in its language. */
async function* rowsIn(lines: readonly Line[], language: 'zh-CN' | 'en'): AsyncGenerator<ReportRow> {
  for (const line of lines)
    yield {
      section: line.section[language],
      item: line.item[language],
      count: line.count ?? null,
      tickets: line.tickets ?? null,
      persons: line.persons ?? null,
      amountFen: line.amountFen,
    };
}

/** The day settlement (日结报表) as a table in one language. */
export async function dayTable(
  db: Connection,
  site: Site,
  report: DayReport,
  language: 'zh-CN' | 'en',
): Promise<ReportTable> {
  const names = await namesFor(db, site.id, [report.figures, ...report.carriedIn.map((c) => c.figures)]);
  const lines: Line[] = [
    ...figureLines(site.id, report.figures, names),
    ...report.carriedIn.map((carried) => ({
      section: SECTIONS.carried,
      item: { 'zh-CN': carried.date, en: carried.date },
      ...carried.figures.totals,
      count: carried.figures.totals.takings,
    })),
    ...report.adjustmentsByTender.map((r) => ({
      section: SECTIONS.adjustment,
      item: METHOD_LABELS[r.method],
      amountFen: r.amountFen,
    })),
  ];
  const state: Localized =
    report.state === 'closed' ? { 'zh-CN': '已日结', en: 'closed' } : { 'zh-CN': '未日结', en: 'not closed' };
  return {
    title: { 'zh-CN': '日结报表', en: 'Day settlement' },
    subtitle: {
      'zh-CN': `${site.name.zh} · ${report.date} · ${state['zh-CN']}`,
      en: `${site.name.en} · ${report.date} · ${state.en}`,
    },
    fileName: {
      'zh-CN': `日结报表 ${site.name.zh} ${report.date}`,
      en: `Day settlement ${site.id} ${report.date}`,
    },
    columns: DAY_COLUMNS,
    rows: rowsIn(lines, language),
    // The day's total (its own takings and those carried in); adjustments are apart, as in the report.
    totals: {
      label: { 'zh-CN': '本日合计（不含调整）', en: 'Day total (adjustments apart)' },
      values: {
        tickets: report.total.tickets,
        persons: report.total.persons,
        amountFen: report.total.amountFen,
      },
    },
    timeZone: site.timezone,
  };
}

const MONTH_COLUMNS: readonly ReportColumn[] = [
  { key: 'date', header: { 'zh-CN': '日期', en: 'Date' }, kind: 'date' },
  text('state', '日结状态', 'Day state', 12),
  { key: 'tickets', header: { 'zh-CN': '张数', en: 'Tickets' }, kind: 'integer' },
  { key: 'persons', header: { 'zh-CN': '人数', en: 'Persons' }, kind: 'integer' },
  { key: 'amountFen', header: { 'zh-CN': '收款（元）', en: 'Takings (¥)' }, kind: 'money_fen' },
  { key: 'carriedInFen', header: { 'zh-CN': '补计（元）', en: 'Carried in (¥)' }, kind: 'money_fen' },
  { key: 'adjustmentsFen', header: { 'zh-CN': '调整（元）', en: 'Adjustments (¥)' }, kind: 'money_fen' },
];

const DAY_STATES: Readonly<Record<MonthReport['days'][number]['state'], Localized>> = {
  open: { 'zh-CN': '未日结', en: 'open' },
  closed: { 'zh-CN': '已日结', en: 'closed' },
  empty: { 'zh-CN': '无营业', en: 'no business' },
};

/** The month settlement (月结报表): one row per day, the totals the sums of the days. */
export function monthTable(site: Site, report: MonthReport, language: 'zh-CN' | 'en'): ReportTable {
  const state: Localized =
    report.state === 'closed' ? { 'zh-CN': '已月结', en: 'closed' } : { 'zh-CN': '未月结', en: 'not closed' };
  async function* rows(): AsyncGenerator<ReportRow> {
    for (const day of report.days) yield { ...day, state: DAY_STATES[day.state][language] };
  }
  return {
    title: { 'zh-CN': '月结报表', en: 'Month settlement' },
    subtitle: {
      'zh-CN': `${site.name.zh} · ${report.month} · ${state['zh-CN']}`,
      en: `${site.name.en} · ${report.month} · ${state.en}`,
    },
    fileName: {
      'zh-CN': `月结报表 ${site.name.zh} ${report.month}`,
      en: `Month settlement ${site.id} ${report.month}`,
    },
    columns: MONTH_COLUMNS,
    rows: rows(),
    totals: {},
    timeZone: site.timezone,
  };
}
