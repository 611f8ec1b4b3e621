/**
 * 决策分析 — decision analysis over the rollups: 同比 / 环比 series of sales ¥ (the takings' net) and visitors (persons
 * who entered, from the hourly entries) by day, month or holiday period against the base the user picked
 * (bases.ts, named in the answer); the ticket-type mix this period against its base (each type's share); and an
 * hour × weekday heatmap of entries. No figure (null, never Infinity) where the base is 0.
 */
import type { Connection } from '../../db/scoped.js';
import type { Localized } from '../../platform/language.js';
import type { SiteScope } from '../../platform/site-scope.js';
import { sumHourlyEntries } from '../passages/hourly-reads.js';
import { sumDayItems, sumDayMoney } from '../takings/history.js';
import {
  type BaseDays,
  type BaseRange,
  type Basis,
  type Comparison,
  type ComparisonCalendar,
  changeBasisPoints,
} from './bases.js';
import { namesOf } from './names.js';
import { type DayRange, dateOf, monthOf, monthSpan, rangeOf } from './period.js';

export const METRICS = ['sales', 'visitors'] as const;
export type Metric = (typeof METRICS)[number];
export const GRANULARITIES = ['day', 'month', 'holiday'] as const;
export type Granularity = (typeof GRANULARITIES)[number];
export const MIX_MEASURES = ['tickets', 'amount', 'visitors'] as const;
export type MixMeasure = (typeof MIX_MEASURES)[number];

interface Period {
  readonly from: string;
  readonly to: string;
}

interface ComparedQuery {
  readonly from: string;
  readonly to: string;
  readonly siteId?: string | undefined;
  readonly compare: Comparison;
  readonly basis: Basis;
}

export interface CompareQuery extends ComparedQuery {
  readonly metric: Metric;
  readonly granularity: Granularity;
  /** Only this type's money (sales) or entries (visitors). */
  readonly typeId?: number | undefined;
}

export interface ComparePoint {
  readonly period: Period & { readonly label: Localized };
  readonly base: Period | null;
  /**
   * The basis that gave this period's base: the one asked for, or same_weekday where same_holiday_day fell back
   * (a day in no holiday, or past the end of last year's shorter break); null without a base.
   */
  readonly baseBasis: Basis | null;
  readonly value: number;
  readonly baseValue: number | null;
  readonly change: number | null;
  /** Basis points; null when the base is 0 or there is none. */
  readonly changeBp: number | null;
}

export interface CompareTotals {
  readonly value: number;
  readonly baseValue: number | null;
  readonly change: number | null;
  readonly changeBp: number | null;
}

export interface CompareSeries {
  readonly metric: Metric;
  /** fen for sales, persons for visitors. */
  readonly unit: 'fen' | 'persons';
  readonly granularity: Granularity;
  readonly compare: Comparison;
  readonly basis: { readonly code: Basis; readonly label: Localized };
  readonly from: string;
  readonly to: string;
  /** The whole range's own base. */
  readonly base: Period | null;
  readonly points: ComparePoint[];
  readonly totals: CompareTotals;
}

const periodOf = (range: DayRange): Period => ({ from: dateOf(range.fromDay), to: dateOf(range.toDay) });

function baseOf(bases: BaseDays, compare: Comparison, range: DayRange, monthly: boolean): BaseRange | null {
  return compare === 'yoy' ? bases.yearBefore(range, monthly) : bases.periodBefore(range, monthly);
}

function compared(value: number, baseValue: number | null): CompareTotals {
  return {
    value,
    baseValue,
    change: baseValue === null ? null : value - baseValue,
    changeBp: changeBasisPoints(value, baseValue),
  };
}

/** The periods of the series: each day, each month (cut to the range), or each holiday period in the range. */
function periodsOf(
  range: DayRange,
  granularity: Granularity,
  calendar: ComparisonCalendar,
): { span: DayRange; label: Localized }[] {
  if (granularity === 'holiday')
    return calendar
      .holidays(range)
      .map((h) => ({ span: { fromDay: h.fromDay, toDay: h.toDay }, label: h.name }));
  const periods: { span: DayRange; label: Localized }[] = [];
  if (granularity === 'day') {
    for (let day = range.fromDay; day <= range.toDay; day++) {
      const date = dateOf(day);
      periods.push({ span: { fromDay: day, toDay: day }, label: { 'zh-CN': date, en: date } });
    }
    return periods;
  }
  for (let day = range.fromDay; day <= range.toDay; ) {
    const month = monthSpan(day);
    const span = {
      fromDay: Math.max(month.fromDay, range.fromDay),
      toDay: Math.min(month.toDay, range.toDay),
    };
    const label = monthOf(day);
    periods.push({ span, label: { 'zh-CN': label, en: label } });
    day = month.toDay + 1;
  }
  return periods;
}

/** Values per day of a range: net takings (fen) or persons entered. */
async function dailyValues(
  db: Connection,
  query: CompareQuery,
  range: DayRange,
  scope: SiteScope,
): Promise<Map<number, number>> {
  const filter = { ...range, siteId: query.siteId, typeId: query.typeId };
  const values = new Map<number, number>();
  if (query.metric === 'visitors') {
    for (const row of await sumHourlyEntries(db, filter, ['day'], scope)) values.set(row.day, row.persons);
  } else if (query.typeId !== undefined) {
    for (const row of await sumDayItems(db, filter, ['day'], scope)) values.set(row.day, row.amountFen);
  } else {
    for (const row of await sumDayMoney(db, filter, ['day'], scope)) values.set(row.day, row.amountFen);
  }
  return values;
}

function sumOver(values: ReadonlyMap<number, number>, span: DayRange): number {
  let sum = 0;
  for (let day = span.fromDay; day <= span.toDay; day++) sum += values.get(day) ?? 0;
  return sum;
}

/** The day range that covers every span given. */
function cover(spans: readonly (DayRange | null)[]): DayRange | null {
  const real = spans.filter((s): s is DayRange => s !== null);
  if (real.length === 0) return null;
  return {
    fromDay: Math.min(...real.map((s) => s.fromDay)),
    toDay: Math.max(...real.map((s) => s.toDay)),
  };
}

export async function compareSeries(
  db: Connection,
  query: CompareQuery,
  calendar: ComparisonCalendar,
  scope: SiteScope,
): Promise<CompareSeries> {
  const range = rangeOf(query.from, query.to);
  const bases = calendar.bases(query.basis);
  const monthly = query.granularity === 'month';
  const periods = periodsOf(range, query.granularity, calendar).map((p) => ({
    ...p,
    base: baseOf(bases, query.compare, p.span, monthly),
  }));
  const wholeBase = baseOf(bases, query.compare, range, false);
  const baseCover = cover([wholeBase, ...periods.map((p) => p.base)]);
  const [values, baseValues] = await Promise.all([
    dailyValues(db, query, range, scope),
    baseCover ? dailyValues(db, query, baseCover, scope) : Promise.resolve(new Map<number, number>()),
  ]);
  const points = periods.map((p): ComparePoint => {
    const value = sumOver(values, p.span);
    const baseValue = p.base ? sumOver(baseValues, p.base) : null;
    return {
      period: { ...periodOf(p.span), label: p.label },
      base: p.base ? periodOf(p.base) : null,
      baseBasis: p.base ? (p.base.basis ?? query.basis) : null,
      ...compared(value, baseValue),
    };
  });
  return {
    metric: query.metric,
    unit: query.metric === 'sales' ? 'fen' : 'persons',
    granularity: query.granularity,
    compare: query.compare,
    basis: { code: query.basis, label: bases.label(query.compare) },
    from: query.from,
    to: query.to,
    base: wholeBase ? periodOf(wholeBase) : null,
    points,
    totals: compared(sumOver(values, range), wholeBase ? sumOver(baseValues, wholeBase) : null),
  };
}

export interface TypeMixQuery extends ComparedQuery {
  /** tickets: net tickets (sold − refunded); amount: their net ¥; visitors: persons who entered. */
  readonly measure: MixMeasure;
}

export interface TypeMixRow {
  readonly type: { readonly id: number; readonly name: Localized };
  readonly value: number;
  /** Share of the period's total in basis points; null when the total is 0. */
  readonly shareBp: number | null;
  readonly baseValue: number;
  readonly baseShareBp: number | null;
  readonly change: number;
  readonly changeBp: number | null;
  /** This period's share minus the base's, in basis points (percentage points × 100). */
  readonly shareChangeBp: number | null;
}

export interface TypeMix {
  readonly measure: MixMeasure;
  readonly compare: Comparison;
  readonly basis: { readonly code: Basis; readonly label: Localized };
  readonly from: string;
  readonly to: string;
  readonly base: Period | null;
  readonly rows: TypeMixRow[];
  readonly totals: CompareTotals;
}

async function valuesByType(
  db: Connection,
  measure: MixMeasure,
  range: DayRange,
  siteId: string | undefined,
  scope: SiteScope,
): Promise<Map<number, number>> {
  const values = new Map<number, number>();
  const filter = { ...range, siteId };
  if (measure === 'visitors')
    for (const row of await sumHourlyEntries(db, filter, ['type_id'], scope))
      values.set(row.type_id, row.persons);
  else
    for (const row of await sumDayItems(db, filter, ['type_id'], scope))
      values.set(row.type_id, measure === 'tickets' ? row.tickets : row.amountFen);
  return values;
}

const share = (value: number, total: number) => (total === 0 ? null : Math.round((value * 10_000) / total));
const sumValues = (values: ReadonlyMap<number, number>) => [...values.values()].reduce((a, b) => a + b, 0);

export async function typeMix(
  db: Connection,
  query: TypeMixQuery,
  calendar: ComparisonCalendar,
  scope: SiteScope,
): Promise<TypeMix> {
  const range = rangeOf(query.from, query.to);
  const bases = calendar.bases(query.basis);
  const base = baseOf(bases, query.compare, range, false);
  const [values, baseValues] = await Promise.all([
    valuesByType(db, query.measure, range, query.siteId, scope),
    base ? valuesByType(db, query.measure, base, query.siteId, scope) : new Map<number, number>(),
  ]);
  const total = sumValues(values);
  const baseTotal = sumValues(baseValues);
  const typeIds = [...new Set([...values.keys(), ...baseValues.keys()])].sort((a, b) => a - b);
  const names = await namesOf(db, { types: typeIds.filter((id) => id !== 0) });
  const rows = typeIds.map((id): TypeMixRow => {
    const value = values.get(id) ?? 0;
    const baseValue = baseValues.get(id) ?? 0;
    const shareBp = share(value, total);
    const baseShareBp = share(baseValue, baseTotal);
    return {
      type: {
        id,
        name: id === 0 ? { 'zh-CN': '（未知票种）', en: '(unknown ticket type)' } : names.type(id),
      },
      value,
      shareBp,
      baseValue,
      baseShareBp,
      change: value - baseValue,
      changeBp: changeBasisPoints(value, baseValue),
      shareChangeBp: shareBp === null || baseShareBp === null ? null : shareBp - baseShareBp,
    };
  });
  return {
    measure: query.measure,
    compare: query.compare,
    basis: { code: query.basis, label: bases.label(query.compare) },
    from: query.from,
    to: query.to,
    base: base ? periodOf(base) : null,
    rows,
    totals: compared(total, base ? baseTotal : null),
  };
}

export interface HeatmapQuery {
  readonly from: string;
  readonly to: string;
  readonly siteId?: string | undefined;
  readonly typeId?: number | undefined;
}

export interface HeatmapCell {
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  readonly weekday: number;
  /** Site-local hour, 0–23. */
  readonly hour: number;
  readonly entries: number;
  readonly persons: number;
  /** Persons per such weekday in the range (rounded); null when the range has no such weekday. */
  readonly averagePersons: number | null;
}

export interface Heatmap {
  readonly from: string;
  readonly to: string;
  /** How many of each weekday (index 0 = Monday) the range holds. */
  readonly weekdays: number[];
  /** 7 × 24 cells, Monday 00:00 first. */
  readonly cells: HeatmapCell[];
  readonly totals: { readonly entries: number; readonly persons: number };
}

/** ISO weekday of a day number (1970-01-01 was a Thursday). */
const weekdayOf = (day: number) => ((((day + 3) % 7) + 7) % 7) + 1;

export async function heatmap(db: Connection, query: HeatmapQuery, scope: SiteScope): Promise<Heatmap> {
  const range = rangeOf(query.from, query.to);
  const rows = await sumHourlyEntries(
    db,
    { ...range, siteId: query.siteId, typeId: query.typeId },
    ['day', 'hour'],
    scope,
  );
  const weekdays = [0, 0, 0, 0, 0, 0, 0];
  for (let day = range.fromDay; day <= range.toDay; day++) weekdays[weekdayOf(day) - 1]! += 1;
  const entries = new Array<number>(7 * 24).fill(0);
  const persons = new Array<number>(7 * 24).fill(0);
  for (const row of rows) {
    const cell = (weekdayOf(row.day) - 1) * 24 + row.hour;
    entries[cell]! += row.entries;
    persons[cell]! += row.persons;
  }
  const cells = entries.map((n, cell): HeatmapCell => {
    const weekday = Math.floor(cell / 24) + 1;
    const days = weekdays[weekday - 1]!;
    return {
      weekday,
      hour: cell % 24,
      entries: n,
      persons: persons[cell]!,
      averagePersons: days === 0 ? null : Math.round(persons[cell]! / days),
    };
  });
  return {
    from: query.from,
    to: query.to,
    weekdays,
    cells,
    totals: { entries: entries.reduce((a, b) => a + b, 0), persons: persons.reduce((a, b) => a + b, 0) },
  };
}
