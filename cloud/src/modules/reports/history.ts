/**
 * 销售历史查询 — the takings journal listed: every sale, refund, supplement and group order's money and tickets,
 * newest first, with the filters of the journal (takings/history.ts), keyset paging by id, each row with its
 * payments and items and the names of its window, cashier, types and agency; and the totals over the whole filter
 * (every page), so sales − refunds (+ supplements and orders) = net can be read off them. `historyTable` gives the
 * same rows as a report table for the exports, read page by page, with their totals row.
 */
import type { Connection } from '../../db/scoped.js';
import type { ReportColumn, ReportRow, ReportTable } from '../../platform/exports/report.js';
import type { Language, Localized } from '../../platform/language.js';
import type { SiteScope } from '../../platform/site-scope.js';
import type { TakingMethod, TakingSource } from '../takings/contract.js';
import { listTakings, type TakingFilter, type TakingLine, takingsTotals } from '../takings/history.js';
import { channelLabel, METHOD_LABELS, SOURCE_LABELS } from './labels.js';
import { type Names, namesOf } from './names.js';
import { dateOf, rangeOf } from './period.js';

/** The journal's filter as the routes take it: site-local dates instead of day numbers. */
export type HistoryFilter = Omit<TakingFilter, 'fromDay' | 'toDay'> & {
  readonly from: string;
  readonly to: string;
};

export interface Named<Id> {
  readonly id: Id;
  readonly name: Localized;
}

export interface HistoryItem {
  readonly id: number;
  readonly source: TakingSource;
  readonly sourceId: string;
  readonly siteId: string;
  /** The taking's business day in its site's zone. */
  readonly date: string;
  readonly at: number;
  readonly channel: Named<string>;
  readonly window: Named<string> | null;
  readonly cashier: Named<string> | null;
  readonly agency: Named<string> | null;
  readonly shiftId: string | null;
  readonly amountFen: number;
  readonly tickets: number;
  readonly persons: number;
  readonly payments: { method: TakingMethod; amountFen: number }[];
  readonly items: {
    type: Named<number>;
    tickets: number;
    persons: number;
    amountFen: number;
  }[];
}

export interface HistoryTotals {
  readonly takings: number;
  /** Every taking's signed money: the net. */
  readonly amountFen: number;
  readonly tickets: number;
  readonly persons: number;
  /** Money in from sales, supplements and group orders (signed: an order's credit is negative). */
  readonly salesFen: number;
  readonly supplementsFen: number;
  readonly ordersFen: number;
  /** Money handed back by refunds, as a positive amount. */
  readonly refundsFen: number;
  /** sales + supplements + orders − refunds. */
  readonly netFen: number;
  readonly bySource: {
    source: TakingSource;
    takings: number;
    amountFen: number;
    tickets: number;
    persons: number;
  }[];
  readonly byMethod: { method: TakingMethod; payments: number; amountFen: number }[];
}

export interface HistoryPage {
  readonly items: HistoryItem[];
  /** Pass as `before` for the next page; null on the last one. */
  readonly next: number | null;
  readonly totals: HistoryTotals;
}

export function takingFilterOf(filter: HistoryFilter): TakingFilter {
  const { fromDay, toDay } = rangeOf(filter.from, filter.to);
  return {
    fromDay,
    toDay,
    siteId: filter.siteId,
    windowId: filter.windowId,
    cashierId: filter.cashierId,
    typeId: filter.typeId,
    channel: filter.channel,
    method: filter.method,
    agencyId: filter.agencyId,
    source: filter.source,
  };
}

async function namesOfLines(db: Connection, lines: readonly TakingLine[]): Promise<Names> {
  return namesOf(db, {
    windows: lines.flatMap((l) => (l.windowId === null ? [] : [{ siteId: l.siteId, windowId: l.windowId }])),
    cashiers: lines.flatMap((l) => (l.cashierId === null ? [] : [l.cashierId])),
    agencies: lines.flatMap((l) => (l.agencyId === null ? [] : [l.agencyId])),
    types: lines.flatMap((l) => l.items.map((i) => i.typeId)),
  });
}

function itemOf(line: TakingLine, names: Names): HistoryItem {
  return {
    id: line.id,
    source: line.source,
    sourceId: line.sourceId,
    siteId: line.siteId,
    date: dateOf(line.day),
    at: line.at,
    channel: { id: line.channel, name: channelLabel(line.channel) },
    window:
      line.windowId === null ? null : { id: line.windowId, name: names.window(line.siteId, line.windowId) },
    cashier: line.cashierId === null ? null : { id: line.cashierId, name: names.cashier(line.cashierId) },
    agency: line.agencyId === null ? null : { id: line.agencyId, name: names.agency(line.agencyId) },
    shiftId: line.shiftId,
    amountFen: line.amountFen,
    tickets: line.tickets,
    persons: line.persons,
    payments: line.payments,
    items: line.items.map((i) => ({
      type: { id: i.typeId, name: names.type(i.typeId) },
      tickets: i.tickets,
      persons: i.persons,
      amountFen: i.amountFen,
    })),
  };
}

/** One page of the journal under the filter, with the totals of the whole filter. */
export async function historyPage(
  db: Connection,
  filter: HistoryFilter,
  page: { readonly before?: number | undefined; readonly limit: number },
  scope: SiteScope,
): Promise<HistoryPage> {
  const takingFilter = takingFilterOf(filter);
  const [lines, totals] = await Promise.all([
    listTakings(db, takingFilter, { beforeId: page.before, limit: page.limit + 1 }, scope),
    historyTotals(db, takingFilter, scope),
  ]);
  const shown = lines.slice(0, page.limit);
  const names = await namesOfLines(db, shown);
  return {
    items: shown.map((line) => itemOf(line, names)),
    next: lines.length > page.limit ? shown[shown.length - 1]!.id : null,
    totals,
  };
}

export async function historyTotals(
  db: Connection,
  filter: TakingFilter,
  scope: SiteScope,
): Promise<HistoryTotals> {
  const { bySource, byMethod } = await takingsTotals(db, filter, scope);
  const of = (source: TakingSource) => bySource.find((s) => s.source === source);
  const fen = (source: TakingSource) => of(source)?.amountFen ?? 0;
  const sum = (pick: (s: (typeof bySource)[number]) => number) => bySource.reduce((n, s) => n + pick(s), 0);
  const salesFen = fen('sale');
  const supplementsFen = fen('supplement');
  const ordersFen = fen('order');
  const refundsFen = 0 - fen('refund');
  return {
    takings: sum((s) => s.takings),
    amountFen: sum((s) => s.amountFen),
    tickets: sum((s) => s.tickets),
    persons: sum((s) => s.persons),
    salesFen,
    supplementsFen,
    ordersFen,
    refundsFen,
    netFen: salesFen + supplementsFen + ordersFen - refundsFen,
    bySource: [...bySource].sort((a, b) => a.source.localeCompare(b.source)),
    byMethod: [...byMethod].sort((a, b) => a.method.localeCompare(b.method)),
  };
}

// Widths are for the PDF's landscape page first (shares of its width): times and dates whole, names shortened.
const HISTORY_COLUMNS: readonly ReportColumn[] = [
  { key: 'id', header: { 'zh-CN': '流水号', en: 'No.' }, kind: 'integer', sum: false, width: 7 },
  { key: 'at', header: { 'zh-CN': '时间', en: 'Time' }, kind: 'datetime', width: 26 },
  { key: 'date', header: { 'zh-CN': '营业日', en: 'Business day' }, kind: 'date', width: 13 },
  { key: 'source', header: { 'zh-CN': '业务', en: 'Kind' }, kind: 'text', width: 7 },
  { key: 'sourceId', header: { 'zh-CN': '单号', en: 'Reference' }, kind: 'text', width: 10 },
  { key: 'site', header: { 'zh-CN': '景区', en: 'Site' }, kind: 'text', width: 8 },
  { key: 'channel', header: { 'zh-CN': '渠道', en: 'Channel' }, kind: 'text', width: 11 },
  { key: 'window', header: { 'zh-CN': '窗口', en: 'Window' }, kind: 'text', width: 10 },
  { key: 'cashier', header: { 'zh-CN': '营业员', en: 'Cashier' }, kind: 'text', width: 12 },
  { key: 'agency', header: { 'zh-CN': '旅行社', en: 'Agency' }, kind: 'text', width: 10 },
  { key: 'types', header: { 'zh-CN': '票种', en: 'Ticket types' }, kind: 'text', width: 16 },
  { key: 'payments', header: { 'zh-CN': '支付方式', en: 'Payments' }, kind: 'text', width: 16 },
  { key: 'tickets', header: { 'zh-CN': '张数', en: 'Tickets' }, kind: 'integer', width: 7 },
  { key: 'persons', header: { 'zh-CN': '人数', en: 'Persons' }, kind: 'integer', width: 7 },
  { key: 'amountFen', header: { 'zh-CN': '金额', en: 'Amount' }, kind: 'money_fen', width: 13 },
];

/** Rows per page when the whole filter is read for an export. */
const EXPORT_PAGE = 500;

function rowOf(item: HistoryItem, language: Language): ReportRow {
  // Integer arithmetic only: yuan with thousands separators and two decimals from fen (text in a text cell).
  const yuan = (fen: number) =>
    `${fen < 0 ? '-' : ''}${Math.floor(Math.abs(fen) / 100).toLocaleString('en-US')}.${String(Math.abs(fen) % 100).padStart(2, '0')}`;
  return {
    id: item.id,
    at: item.at,
    date: item.date,
    source: SOURCE_LABELS[item.source][language],
    sourceId: item.sourceId,
    site: item.siteId,
    channel: item.channel.name[language],
    window: item.window?.name[language] ?? null,
    cashier: item.cashier?.name[language] ?? null,
    agency: item.agency?.name[language] ?? null,
    types: item.items.map((i) => `${i.type.name[language]} × ${i.tickets}`).join('; '),
    payments: item.payments
      .map((p) => `${METHOD_LABELS[p.method][language]} ${yuan(p.amountFen)}`)
      .join('; '),
    tickets: item.tickets,
    persons: item.persons,
    amountFen: item.amountFen,
  };
}

/** The history under the filter as a report table: every row, read 500 at a time; the totals summed as they go. */
export function historyTable(
  db: Connection,
  filter: HistoryFilter,
  scope: SiteScope,
  language: Language,
  timeZone: string,
  pageSize = EXPORT_PAGE,
): ReportTable {
  const takingFilter = takingFilterOf(filter);
  async function* rows(): AsyncIterable<ReportRow> {
    let before: number | undefined;
    for (;;) {
      const lines = await listTakings(db, takingFilter, { beforeId: before, limit: pageSize }, scope);
      if (lines.length === 0) return;
      const names = await namesOfLines(db, lines);
      for (const line of lines) yield rowOf(itemOf(line, names), language);
      if (lines.length < pageSize) return;
      before = lines[lines.length - 1]!.id;
    }
  }
  return {
    title: { 'zh-CN': '销售历史', en: 'Sales history' },
    subtitle: {
      'zh-CN': `${filter.from} 至 ${filter.to}${filter.siteId ? ` · ${filter.siteId}` : ''}`,
      en: `${filter.from} to ${filter.to}${filter.siteId ? ` · ${filter.siteId}` : ''}`,
    },
    columns: HISTORY_COLUMNS,
    rows: rows(),
    // Tickets, persons and money summed as the rows go by: the same figures as the JSON route's totals.
    totals: {},
    timeZone,
  };
}
