/** The decision analysis's answers as report tables (for the exports): one row per period, type or heatmap cell. */

import { type ReportColumn, type ReportTable, rowsOf } from '../../platform/exports/report.js';
import type { Language } from '../../platform/language.js';
import type { CompareSeries, Heatmap, TypeMix } from './analysis.js';

const BASIS_NAMES = {
  same_date: { 'zh-CN': '同日期', en: 'same date' },
  same_weekday: { 'zh-CN': '同星期', en: 'same weekday' },
  same_holiday_day: { 'zh-CN': '节假日同一天', en: 'same holiday day' },
} as const;

const METRIC_TITLES = {
  sales: { 'zh-CN': '销售数据同期对比', en: 'Sales compared' },
  visitors: { 'zh-CN': '通行人数同期对比', en: 'Visitors compared' },
} as const;

export function compareTable(series: CompareSeries, language: Language, timeZone: string): ReportTable {
  const kind = series.unit === 'fen' ? 'money_fen' : 'integer';
  const columns: ReportColumn[] = [
    { key: 'period', header: { 'zh-CN': '期间', en: 'Period' }, kind: 'text' },
    { key: 'base', header: { 'zh-CN': '对比期间', en: 'Base period' }, kind: 'text' },
    { key: 'value', header: { 'zh-CN': '本期', en: 'This period' }, kind },
    { key: 'baseValue', header: { 'zh-CN': '对比期', en: 'Base' }, kind },
    { key: 'change', header: { 'zh-CN': '增减', en: 'Change' }, kind },
    { key: 'changeBp', header: { 'zh-CN': '增减率', en: 'Change %' }, kind: 'percent' },
  ];
  const span = (p: { from: string; to: string } | null) =>
    p === null ? null : p.from === p.to ? p.from : `${p.from} ~ ${p.to}`;
  // A base found by another basis than the one asked for (a fallback) says which, beside its dates.
  const baseText = (p: CompareSeries['points'][number]) => {
    const dates = span(p.base);
    if (dates === null || p.baseBasis === null || p.baseBasis === series.basis.code) return dates;
    return language === 'en'
      ? `${dates} (${BASIS_NAMES[p.baseBasis].en})`
      : `${dates}（${BASIS_NAMES[p.baseBasis]['zh-CN']}）`;
  };
  return {
    title: METRIC_TITLES[series.metric],
    subtitle: {
      'zh-CN': `${series.from} 至 ${series.to} · ${series.basis.label['zh-CN']}`,
      en: `${series.from} to ${series.to} · ${series.basis.label.en}`,
    },
    columns,
    rows: rowsOf(
      series.points.map((p) => ({
        period: p.period.label[language],
        base: baseText(p),
        value: p.value,
        baseValue: p.baseValue,
        change: p.change,
        changeBp: p.changeBp,
      })),
    ),
    totals: { values: { changeBp: series.totals.changeBp } },
    timeZone,
  };
}

export function typeMixTable(mix: TypeMix, language: Language, timeZone: string): ReportTable {
  const kind = mix.measure === 'amount' ? 'money_fen' : 'integer';
  return {
    title: { 'zh-CN': '票型分析对比', en: 'Ticket type mix' },
    subtitle: {
      'zh-CN': `${mix.from} 至 ${mix.to} · ${mix.basis.label['zh-CN']}`,
      en: `${mix.from} to ${mix.to} · ${mix.basis.label.en}`,
    },
    columns: [
      { key: 'type', header: { 'zh-CN': '票种', en: 'Ticket type' }, kind: 'text' },
      { key: 'value', header: { 'zh-CN': '本期', en: 'This period' }, kind },
      { key: 'shareBp', header: { 'zh-CN': '本期占比', en: 'Share' }, kind: 'percent' },
      { key: 'baseValue', header: { 'zh-CN': '对比期', en: 'Base' }, kind },
      { key: 'baseShareBp', header: { 'zh-CN': '对比期占比', en: 'Base share' }, kind: 'percent' },
      { key: 'changeBp', header: { 'zh-CN': '增减率', en: 'Change %' }, kind: 'percent' },
      { key: 'shareChangeBp', header: { 'zh-CN': '占比变化', en: 'Share change' }, kind: 'percent' },
    ],
    rows: rowsOf(
      mix.rows.map((r) => ({
        type: r.type.name[language],
        value: r.value,
        shareBp: r.shareBp,
        baseValue: r.baseValue,
        baseShareBp: r.baseShareBp,
        changeBp: r.changeBp,
        shareChangeBp: r.shareChangeBp,
      })),
    ),
    totals: { values: { changeBp: mix.totals.changeBp } },
    timeZone,
  };
}

const WEEKDAYS = {
  'zh-CN': ['周一', '周二', '周三', '周四', '周五', '周六', '周日'],
  en: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
} as const;

export function heatmapTable(map: Heatmap, language: Language, timeZone: string): ReportTable {
  return {
    title: { 'zh-CN': '入园人数时段分布', en: 'Entries by hour and weekday' },
    subtitle: { 'zh-CN': `${map.from} 至 ${map.to}`, en: `${map.from} to ${map.to}` },
    columns: [
      { key: 'weekday', header: { 'zh-CN': '星期', en: 'Weekday' }, kind: 'text' },
      { key: 'hour', header: { 'zh-CN': '时段', en: 'Hour' }, kind: 'text' },
      { key: 'entries', header: { 'zh-CN': '通行次数', en: 'Entries' }, kind: 'integer' },
      { key: 'persons', header: { 'zh-CN': '入园人数', en: 'Persons' }, kind: 'integer' },
      {
        key: 'averagePersons',
        header: { 'zh-CN': '日均人数', en: 'Mean per day' },
        kind: 'integer',
        sum: false,
      },
    ],
    rows: rowsOf(
      map.cells.map((c) => ({
        weekday: WEEKDAYS[language][c.weekday - 1]!,
        hour: `${String(c.hour).padStart(2, '0')}:00`,
        entries: c.entries,
        persons: c.persons,
        averagePersons: c.averagePersons,
      })),
    ),
    totals: {},
    timeZone,
  };
}
