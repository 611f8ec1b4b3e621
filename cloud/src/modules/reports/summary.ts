/**
 * 销售汇总表 — takings summed over a period, grouped by one or two of day, month, ticket type, channel, payment
 * method, window, cashier, agency and source, read from the day rollups the takings module keeps in each taking's
 * transaction (a year is a few tens of thousands of rollup rows, never the journal's millions). Each group shows
 * sales, refunds, supplements and group orders (tickets, persons, ¥) and the net; the totals are the sums of the
 * groups, and sales + supplements + orders − refunds = net in every row.
 *
 * Money is booked by payment method (takings_day_money), tickets and their money by type (takings_day_items), so:
 * - grouped or filtered by method: money from the method rollup, no ticket counts (a method has no tickets);
 * - grouped or filtered by type: tickets and money from the type rollup; money a taking recorded without tickets (a
 *   fee, an agency's credit) is a group of its own, "no ticket type", so the groups still add up to the takings;
 * - otherwise: money from the method rollup, tickets from the type rollup;
 * - type and method together cannot be answered from either: 400 REPORT_DIMENSIONS_INCOMPATIBLE.
 */
import type { Connection } from '../../db/scoped.js';
import { AppError } from '../../platform/errors.js';
import {
  type ReportColumn,
  type ReportRow,
  type ReportTable,
  rowsOf,
} from '../../platform/exports/report.js';
import type { Language, Localized } from '../../platform/language.js';
import type { SiteScope } from '../../platform/site-scope.js';
import { TAKING_SOURCES, type TakingMethod, type TakingSource } from '../takings/contract.js';
import {
  type ItemDimension,
  type MoneyDimension,
  sumDayItems,
  sumDayMoney,
  type TakingFilter,
} from '../takings/history.js';
import type { HistoryFilter } from './history.js';
import { takingFilterOf } from './history.js';
import { channelLabel, METHOD_LABELS, NO_TYPE_LABEL, NONE_LABEL, SOURCE_LABELS } from './labels.js';
import { namesOf } from './names.js';
import { dateOf, monthOf } from './period.js';

export const SUMMARY_DIMENSIONS = [
  'day',
  'month',
  'type',
  'channel',
  'method',
  'window',
  'cashier',
  'agency',
  'source',
] as const;
export type SummaryDimension = (typeof SUMMARY_DIMENSIONS)[number];

export interface SummaryQuery extends HistoryFilter {
  readonly by: SummaryDimension;
  readonly thenBy?: SummaryDimension | undefined;
}

export interface SummaryFigure {
  /** Tickets (张数); null when grouped or filtered by payment method. */
  readonly tickets: number | null;
  readonly persons: number | null;
  readonly amountFen: number;
}

export interface GroupValue {
  /** A date, a month, a type id, a channel, a method, a window, cashier or agency id, a source; null: none. */
  readonly id: string | number | null;
  /** A window's site (window codes are unique per site only). */
  readonly siteId?: string;
  readonly name: Localized;
}

export interface SummaryFigures {
  readonly sales: SummaryFigure;
  /** Tickets taken back and money handed back, as positive figures. */
  readonly refunds: SummaryFigure;
  readonly supplements: SummaryFigure;
  readonly orders: SummaryFigure;
  /** sales + supplements + orders − refunds. */
  readonly net: SummaryFigure;
}

export interface SummaryRow extends SummaryFigures {
  readonly group: Readonly<Partial<Record<SummaryDimension, GroupValue>>>;
}

export interface Summary {
  readonly from: string;
  readonly to: string;
  readonly dimensions: SummaryDimension[];
  /** Whether ticket figures are given (not when grouped or filtered by payment method). */
  readonly ticketsCounted: boolean;
  readonly rows: SummaryRow[];
  readonly totals: SummaryFigures;
}

type RollupDimension = MoneyDimension | ItemDimension;

/** The rollup columns behind each dimension (a month is its days; a window is its site and code). */
const COLUMNS_OF: Readonly<Record<SummaryDimension, readonly string[]>> = {
  day: ['day'],
  month: ['day'],
  type: ['type_id'],
  channel: ['channel'],
  method: ['method'],
  window: ['site_id', 'window_id'],
  cashier: ['cashier_id'],
  agency: ['agency_id'],
  source: ['source'],
};

type RollupRow = Record<string, unknown> & { readonly source: TakingSource };
type Raw = string | number | null;

interface Accumulated {
  readonly ids: Partial<Record<SummaryDimension, Raw>>;
  readonly windowSite: string | null;
  readonly bySource: Record<TakingSource, { tickets: number; persons: number; amountFen: number }>;
}

function rawOf(dimension: SummaryDimension, row: Record<string, unknown>): Raw {
  switch (dimension) {
    case 'day':
      return dateOf(Number(row.day));
    case 'month':
      return monthOf(Number(row.day));
    case 'type':
      return row.type_id === undefined || row.type_id === null ? null : Number(row.type_id);
    case 'channel':
      return row.channel as string;
    case 'method':
      return row.method as string;
    case 'window':
      return (row.window_id as string | null) ?? null;
    case 'cashier':
      return (row.cashier_id as string | null) ?? null;
    case 'agency':
      return (row.agency_id as string | null) ?? null;
    case 'source':
      return row.source as string;
  }
}

const emptyFigures = () =>
  Object.fromEntries(
    TAKING_SOURCES.map((s) => [s, { tickets: 0, persons: 0, amountFen: 0 }]),
  ) as Accumulated['bySource'];

class Groups {
  readonly groups = new Map<string, Accumulated>();
  constructor(private readonly dimensions: readonly SummaryDimension[]) {}

  private groupOf(row: Record<string, unknown>, overrides: Partial<Record<SummaryDimension, Raw>> = {}) {
    const ids: Partial<Record<SummaryDimension, Raw>> = {};
    for (const d of this.dimensions) ids[d] = d in overrides ? (overrides[d] ?? null) : rawOf(d, row);
    const windowSite = this.dimensions.includes('window') && ids.window !== null ? String(row.site_id) : null;
    const key = JSON.stringify([windowSite, ...this.dimensions.map((d) => ids[d])]);
    let group = this.groups.get(key);
    if (!group) {
      group = { ids, windowSite, bySource: emptyFigures() };
      this.groups.set(key, group);
    }
    return group.bySource[row.source as TakingSource];
  }

  addMoney(row: RollupRow & { amountFen: number }, overrides?: Partial<Record<SummaryDimension, Raw>>) {
    this.groupOf(row, overrides).amountFen += row.amountFen;
  }

  addTickets(row: RollupRow & { tickets: number; persons: number }) {
    const figure = this.groupOf(row);
    figure.tickets += row.tickets;
    figure.persons += row.persons;
  }
}

/** The summary of the query's period and filters, grouped by its one or two dimensions. */
export async function summarize(db: Connection, query: SummaryQuery, scope: SiteScope): Promise<Summary> {
  const dimensions =
    query.thenBy === undefined || query.thenBy === query.by ? [query.by] : [query.by, query.thenBy];
  const filter = takingFilterOf(query);
  const byType = dimensions.includes('type') || filter.typeId !== undefined;
  const byMethod = dimensions.includes('method') || filter.method !== undefined;
  if (byType && byMethod) throw new AppError('REPORT_DIMENSIONS_INCOMPATIBLE');
  const columns = [...new Set([...dimensions.flatMap((d) => COLUMNS_OF[d]), 'source'])] as RollupDimension[];
  const groups = new Groups(dimensions);

  if (byMethod) {
    for (const row of await sumDayMoney(db, filter, columns as MoneyDimension[], scope))
      groups.addMoney(row as unknown as RollupRow & { amountFen: number });
  } else if (byType) {
    const items = await sumDayItems(db, filter, columns as ItemDimension[], scope);
    for (const row of items) {
      const r = row as unknown as RollupRow & { tickets: number; persons: number; amountFen: number };
      groups.addTickets(r);
      groups.addMoney(r);
    }
    if (dimensions.includes('type') && filter.typeId === undefined)
      await addMoneyWithoutType(db, filter, columns, items as unknown as RollupRow[], groups, scope);
  } else {
    for (const row of await sumDayMoney(db, filter, columns as MoneyDimension[], scope))
      groups.addMoney(row as unknown as RollupRow & { amountFen: number });
    for (const row of await sumDayItems(db, filter, columns as ItemDimension[], scope))
      groups.addTickets(row as unknown as RollupRow & { tickets: number; persons: number });
  }
  return present(db, query, dimensions, !byMethod, [...groups.groups.values()]);
}

/**
 * The money of takings recorded without tickets, per group of the other dimensions: the method rollup's money less
 * the type rollup's, added to the group "no ticket type" (only where it is not zero).
 */
async function addMoneyWithoutType(
  db: Connection,
  filter: TakingFilter,
  columns: readonly RollupDimension[],
  items: readonly RollupRow[],
  groups: Groups,
  scope: SiteScope,
): Promise<void> {
  const rest = columns.filter((c) => c !== 'type_id');
  const keyOf = (row: Record<string, unknown>) => JSON.stringify(rest.map((c) => row[c] ?? null));
  const residual = new Map<string, { row: RollupRow; amountFen: number }>();
  for (const row of await sumDayMoney(db, filter, rest as MoneyDimension[], scope))
    residual.set(keyOf(row), { row: row as unknown as RollupRow, amountFen: row.amountFen });
  for (const row of items) {
    const key = keyOf(row);
    const entry = residual.get(key) ?? { row, amountFen: 0 };
    entry.amountFen -= Number(row.amountFen);
    residual.set(key, entry);
  }
  for (const { row, amountFen } of residual.values())
    if (amountFen !== 0) groups.addMoney({ ...row, amountFen }, { type: null });
}

function figures(bySource: Accumulated['bySource'], ticketsCounted: boolean): SummaryFigures {
  const figure = (tickets: number, persons: number, amountFen: number): SummaryFigure => ({
    tickets: ticketsCounted ? tickets : null,
    persons: ticketsCounted ? persons : null,
    amountFen,
  });
  const { sale, refund, supplement, order } = bySource;
  return {
    sales: figure(sale.tickets, sale.persons, sale.amountFen),
    // 0 − x, not −x: a refund-free group shows 0, never −0.
    refunds: figure(0 - refund.tickets, 0 - refund.persons, 0 - refund.amountFen),
    supplements: figure(supplement.tickets, supplement.persons, supplement.amountFen),
    orders: figure(order.tickets, order.persons, order.amountFen),
    net: figure(
      sale.tickets + supplement.tickets + order.tickets + refund.tickets,
      sale.persons + supplement.persons + order.persons + refund.persons,
      sale.amountFen + supplement.amountFen + order.amountFen + refund.amountFen,
    ),
  };
}

function compareRaw(a: Raw | undefined, b: Raw | undefined): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  return typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
}

async function present(
  db: Connection,
  query: SummaryQuery,
  dimensions: readonly SummaryDimension[],
  ticketsCounted: boolean,
  accumulated: readonly Accumulated[],
): Promise<Summary> {
  const ids = (d: SummaryDimension) =>
    accumulated.flatMap((g) => (g.ids[d] === null || g.ids[d] === undefined ? [] : [g.ids[d]]));
  const names = await namesOf(db, {
    windows: accumulated.flatMap((g) =>
      g.windowSite === null || g.ids.window == null
        ? []
        : [{ siteId: g.windowSite, windowId: String(g.ids.window) }],
    ),
    cashiers: ids('cashier').map(String),
    agencies: ids('agency').map(String),
    types: ids('type').map(Number),
  });
  const groupValue = (d: SummaryDimension, group: Accumulated): GroupValue => {
    const id = group.ids[d] ?? null;
    if (id === null) return { id, name: d === 'type' ? NO_TYPE_LABEL : NONE_LABEL };
    const text = String(id);
    switch (d) {
      case 'day':
      case 'month':
        return { id, name: { 'zh-CN': text, en: text } };
      case 'type':
        return { id, name: names.type(Number(id)) };
      case 'channel':
        return { id, name: channelLabel(text) };
      case 'method':
        return { id, name: METHOD_LABELS[text as TakingMethod] };
      case 'window':
        return { id, siteId: group.windowSite!, name: names.window(group.windowSite!, text) };
      case 'cashier':
        return { id, name: names.cashier(text) };
      case 'agency':
        return { id, name: names.agency(text) };
      case 'source':
        return { id, name: SOURCE_LABELS[text as TakingSource] };
    }
  };
  const sorted = [...accumulated].sort((a, b) => {
    for (const d of dimensions) {
      const order = compareRaw(a.ids[d], b.ids[d]);
      if (order !== 0) return order;
    }
    return compareRaw(a.windowSite, b.windowSite);
  });
  const rows = sorted.map((group) => ({
    group: Object.fromEntries(dimensions.map((d) => [d, groupValue(d, group)])),
    ...figures(group.bySource, ticketsCounted),
  }));
  const total = emptyFigures();
  for (const group of accumulated)
    for (const source of TAKING_SOURCES) {
      total[source].tickets += group.bySource[source].tickets;
      total[source].persons += group.bySource[source].persons;
      total[source].amountFen += group.bySource[source].amountFen;
    }
  return {
    from: query.from,
    to: query.to,
    dimensions: [...dimensions],
    ticketsCounted,
    rows,
    totals: figures(total, ticketsCounted),
  };
}

const DIMENSION_HEADERS: Readonly<Record<SummaryDimension, Localized>> = {
  day: { 'zh-CN': '日期', en: 'Date' },
  month: { 'zh-CN': '月份', en: 'Month' },
  type: { 'zh-CN': '票种', en: 'Ticket type' },
  channel: { 'zh-CN': '渠道', en: 'Channel' },
  method: { 'zh-CN': '支付方式', en: 'Payment method' },
  window: { 'zh-CN': '窗口', en: 'Window' },
  cashier: { 'zh-CN': '营业员', en: 'Cashier' },
  agency: { 'zh-CN': '旅行社', en: 'Agency' },
  source: { 'zh-CN': '业务', en: 'Kind' },
};

const FIGURE_HEADERS: readonly [keyof SummaryFigures, Localized][] = [
  ['sales', { 'zh-CN': '售票', en: 'Sales' }],
  ['refunds', { 'zh-CN': '退票', en: 'Refunds' }],
  ['supplements', { 'zh-CN': '补票', en: 'Supplements' }],
  ['orders', { 'zh-CN': '团队订单', en: 'Group orders' }],
  ['net', { 'zh-CN': '净额', en: 'Net' }],
];

/** The summary as a report table: a column per dimension, then tickets (when counted) and ¥ of each figure. */
export function summaryTable(summary: Summary, language: Language, timeZone: string): ReportTable {
  const columns: ReportColumn[] = summary.dimensions.map((d) => ({
    key: d,
    header: DIMENSION_HEADERS[d],
    kind: d === 'day' ? 'date' : 'text',
  }));
  for (const [key, header] of FIGURE_HEADERS) {
    if (summary.ticketsCounted && key !== 'supplements')
      columns.push({
        key: `${key}Tickets`,
        header: { 'zh-CN': `${header['zh-CN']}张数`, en: `${header.en} tickets` },
        kind: 'integer',
      });
    columns.push({
      key: `${key}Fen`,
      header: { 'zh-CN': `${header['zh-CN']}金额`, en: `${header.en} ¥` },
      kind: 'money_fen',
    });
  }
  const flat = (row: SummaryRow): ReportRow => {
    const out: Record<string, string | number | null> = {};
    for (const d of summary.dimensions) {
      const value = row.group[d];
      out[d] = d === 'day' ? (value?.id as string) : (value?.name[language] ?? null);
    }
    for (const [key] of FIGURE_HEADERS) {
      out[`${key}Tickets`] = row[key].tickets;
      out[`${key}Fen`] = row[key].amountFen;
    }
    return out;
  };
  return {
    title: { 'zh-CN': '销售汇总表', en: 'Sales summary' },
    subtitle: {
      'zh-CN': `${summary.from} 至 ${summary.to}`,
      en: `${summary.from} to ${summary.to}`,
    },
    columns,
    rows: rowsOf(summary.rows.map(flat)),
    totals: {},
    timeZone,
  };
}
