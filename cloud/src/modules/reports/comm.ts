/**
 * 终端通信明细及汇总 as reports: the communication log's per-gate daily totals and its message list (the comm-log
 * module's service answers both), in the rows-and-totals shape the other reports have, so they join the exports.
 */

import {
  type ReportColumn,
  type ReportRow,
  type ReportTable,
  rowsOf,
} from '../../platform/exports/report.js';
import type { Language } from '../../platform/language.js';
import type { SiteScope } from '../../platform/site-scope.js';
import type { CommLogService, DailyGateSummary } from '../comm-log/service.js';

/** The message list's filter and entries, as the comm-log service takes and gives them. */
export type CommLogFilter = Parameters<CommLogService['list']>[0];
export type CommLogRow = Awaited<ReturnType<CommLogService['list']>>['items'][number];

export interface CommSummaryReport {
  readonly timeZone: string;
  readonly rows: DailyGateSummary[];
  readonly totals: {
    readonly messagesIn: number;
    readonly messagesOut: number;
    readonly rejected: number;
    readonly bytesIn: number;
    readonly bytesOut: number;
    readonly maxLatencyMs: number | null;
  };
}

export async function commSummary(
  commLog: CommLogService,
  query: { from: string; to: string; siteId?: string | undefined; gateId?: string | undefined },
  scope: SiteScope,
): Promise<CommSummaryReport> {
  const { timeZone, days } = await commLog.summary(
    {
      from: query.from,
      to: query.to,
      ...(query.siteId !== undefined && { siteId: query.siteId }),
      ...(query.gateId !== undefined && { gateId: query.gateId }),
    },
    scope,
  );
  const sum = (pick: (d: DailyGateSummary) => number) => days.reduce((n, d) => n + pick(d), 0);
  const latencies = days.flatMap((d) => (d.maxLatencyMs === null ? [] : [d.maxLatencyMs]));
  return {
    timeZone,
    rows: days,
    totals: {
      messagesIn: sum((d) => d.messagesIn),
      messagesOut: sum((d) => d.messagesOut),
      rejected: sum((d) => d.rejected),
      bytesIn: sum((d) => d.bytesIn),
      bytesOut: sum((d) => d.bytesOut),
      maxLatencyMs: latencies.length > 0 ? Math.max(...latencies) : null,
    },
  };
}

const SUMMARY_COLUMNS: readonly ReportColumn[] = [
  { key: 'date', header: { 'zh-CN': '日期', en: 'Date' }, kind: 'date' },
  { key: 'siteId', header: { 'zh-CN': '景区', en: 'Site' }, kind: 'text' },
  { key: 'gateId', header: { 'zh-CN': '闸机', en: 'Gate' }, kind: 'text' },
  { key: 'messagesIn', header: { 'zh-CN': '上行消息', en: 'Messages in' }, kind: 'integer' },
  { key: 'messagesOut', header: { 'zh-CN': '下行消息', en: 'Messages out' }, kind: 'integer' },
  { key: 'rejected', header: { 'zh-CN': '拒收', en: 'Rejected' }, kind: 'integer' },
  { key: 'bytesIn', header: { 'zh-CN': '上行字节', en: 'Bytes in' }, kind: 'integer' },
  { key: 'bytesOut', header: { 'zh-CN': '下行字节', en: 'Bytes out' }, kind: 'integer' },
  {
    key: 'avgLatencyMs',
    header: { 'zh-CN': '平均延迟(ms)', en: 'Mean latency (ms)' },
    kind: 'integer',
    sum: false,
  },
  {
    key: 'maxLatencyMs',
    header: { 'zh-CN': '最大延迟(ms)', en: 'Max latency (ms)' },
    kind: 'integer',
    sum: false,
  },
];

export function commSummaryTable(report: CommSummaryReport, from: string, to: string): ReportTable {
  return {
    title: { 'zh-CN': '终端通信汇总', en: 'Gate communication summary' },
    subtitle: { 'zh-CN': `${from} 至 ${to}`, en: `${from} to ${to}` },
    columns: SUMMARY_COLUMNS,
    rows: rowsOf(report.rows.map((row) => ({ ...row }) as ReportRow)),
    totals: { values: { maxLatencyMs: report.totals.maxLatencyMs } },
    timeZone: report.timeZone,
  };
}

const DETAIL_COLUMNS: readonly ReportColumn[] = [
  { key: 'at', header: { 'zh-CN': '时间', en: 'Time' }, kind: 'datetime' },
  { key: 'direction', header: { 'zh-CN': '方向', en: 'Direction' }, kind: 'text' },
  { key: 'siteId', header: { 'zh-CN': '景区', en: 'Site' }, kind: 'text' },
  { key: 'gateId', header: { 'zh-CN': '闸机', en: 'Gate' }, kind: 'text' },
  { key: 'messageType', header: { 'zh-CN': '消息类型', en: 'Message type' }, kind: 'text' },
  { key: 'result', header: { 'zh-CN': '结果', en: 'Result' }, kind: 'text' },
  { key: 'reason', header: { 'zh-CN': '原因', en: 'Reason' }, kind: 'text' },
  { key: 'count', header: { 'zh-CN': '条数', en: 'Messages' }, kind: 'integer' },
  { key: 'size', header: { 'zh-CN': '字节', en: 'Bytes' }, kind: 'integer' },
  { key: 'latencyMs', header: { 'zh-CN': '延迟(ms)', en: 'Latency (ms)' }, kind: 'integer', sum: false },
];

const DIRECTIONS = {
  in: { 'zh-CN': '上行', en: 'In' },
  out: { 'zh-CN': '下行', en: 'Out' },
} as const;

const RESULTS = {
  ok: { 'zh-CN': '正常', en: 'OK' },
  rejected: { 'zh-CN': '拒收', en: 'Rejected' },
} as const;

/** Rows per page while the whole list is read for an export. */
const EXPORT_PAGE = 500;

/** The message list under the filter, newest first, read 500 at a time. */
export function commDetailTable(
  commLog: CommLogService,
  filter: CommLogFilter,
  scope: SiteScope,
  language: Language,
  timeZone: string,
): ReportTable {
  // Gates keep talking while the file is written: pages by offset over a list that grows at the top would repeat
  // rows, so the export covers what was logged before it started.
  const now = Date.now();
  const upTo = { ...filter, to: Math.min(filter.to ?? now, now) };
  async function* rows(): AsyncIterable<ReportRow> {
    for (let offset = 0; ; offset += EXPORT_PAGE) {
      const { items } = await commLog.list(upTo, { limit: EXPORT_PAGE, offset }, scope);
      for (const item of items) yield detailRow(item, language);
      if (items.length < EXPORT_PAGE) return;
    }
  }
  return {
    title: { 'zh-CN': '终端通信明细', en: 'Gate communication log' },
    columns: DETAIL_COLUMNS,
    rows: rows(),
    // Messages and bytes summed over every entry (not one page's, as the JSON route's page totals are).
    totals: {},
    timeZone,
  };
}

export function detailRow(item: CommLogRow, language: Language): ReportRow {
  return {
    at: item.at,
    direction: DIRECTIONS[item.direction][language],
    siteId: item.siteId,
    gateId: item.gateId,
    messageType: item.messageType,
    result: RESULTS[item.result][language],
    reason: item.reason,
    count: item.count,
    size: item.size,
    latencyMs: item.latencyMs,
  };
}
