/**
 * The decision analysis on each database, over takings recorded through the takings service and entries added as
 * the ingestion adds them: 同比 by day on the same date and the same weekday, 环比, months cut to the range, sales
 * and visitors, no figure where the base is 0, a type's own series; the ticket-type mix with each type's share here
 * and in the base; the hour × weekday heatmap; the holiday series and basis through a plugged-in calendar, and the
 * plain calendar refusing them.
 */
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/schema.js';
import { databaseBackends, type TestDatabase } from '../../db/testing.js';
import { ALL_SITES, siteScopeOf } from '../../platform/site-scope.js';
import { issueTicket } from '../gate-validation/testing.js';
import { addTicketHours } from '../passages/hourly.js';
import type { TakingEntry } from '../takings/contract.js';
import { TYPES } from '../tickets/testing.js';
import { compareSeries, heatmap, typeMix } from './analysis.js';
import { type ComparisonCalendar, plainCalendar, SAME_DATE } from './bases.js';
import { dateOf, dayOf } from './period.js';
import { type ReportsFixture, recordTakings, seedReportsVenue } from './testing.js';

/** Sales as recorded: [date, fen, type, tickets]. */
const SALES: [string, number, number, number][] = [
  ...[0, 1, 2, 3, 4, 5, 6].map((i): [string, number, number, number] => [
    dateOf(dayOf('2026-12-01') + i),
    1_000 * (i + 1),
    TYPES.adult,
    i + 1,
  ]),
  ['2026-12-03', 4_000, TYPES.group, 2],
  ...[0, 1, 2, 3, 4, 5].map((i): [string, number, number, number] => [
    dateOf(dayOf('2025-12-01') + i),
    500 * (i + 1),
    TYPES.adult,
    1,
  ]),
  ['2025-12-08', 700, TYPES.realName, 1],
  ['2026-11-20', 100, TYPES.adult, 1],
  ['2025-11-20', 300, TYPES.adult, 1],
];

function sale(
  fixture: ReportsFixture,
  [date, fen, typeId, tickets]: [string, number, number, number],
  n: number,
): TakingEntry {
  const day = dayOf(date);
  return {
    source: 'sale',
    sourceId: `s-${n}`,
    siteId: 'park',
    at: day * 86_400_000,
    day,
    channel: 'window',
    windowId: 'W01',
    cashierId: fixture.cashiers[0]!,
    agencyId: null,
    payments: [{ method: 'cash', amountFen: fen }],
    items: [{ typeId, tickets, persons: tickets, amountFen: fen }],
  };
}

/** The refund recorded besides: 300 back on 2026-12-02. */
const REFUNDED: [string, number, number, number][] = [['2026-12-02', -300, TYPES.adult, -1]];

const salesOn = (from: string, to: string, typeId?: number) =>
  [...SALES, ...REFUNDED]
    .filter(([d, , t]) => d >= from && d <= to && (typeId === undefined || t === typeId))
    .reduce((n, [, fen]) => n + fen, 0);

describe.each(databaseBackends())('decision analysis on $name', (backend) => {
  let test: TestDatabase;
  let db: Kysely<Database>;

  beforeAll(async () => {
    test = await backend.create();
    db = test.database.db;
    const fixture = await seedReportsVenue(db);
    await recordTakings(
      db,
      SALES.map((s, n) => sale(fixture, s, n)),
    );
    // A refund on 2026-12-02 counts against that day's net.
    await recordTakings(db, [
      {
        ...sale(fixture, ['2026-12-02', 300, TYPES.adult, 1], 99),
        source: 'refund',
        payments: [{ method: 'cash', amountFen: -300 }],
        items: [{ typeId: TYPES.adult, tickets: -1, persons: -1, amountFen: -300 }],
      },
    ]);
    const adult = await issueTicket(db, { typeId: TYPES.adult });
    const group = await issueTicket(db, { typeId: TYPES.group, persons: 40, entriesTotal: 40 });
    const hour = (date: string, h: number, ticketId: number, persons: number) => ({
      site_id: 'park',
      day: dayOf(date),
      hour: h,
      ticket_id: ticketId,
      entries: 1,
      persons,
    });
    await addTicketHours(db, [
      hour('2026-12-01', 9, adult, 3),
      hour('2026-12-05', 14, group, 40),
      hour('2026-12-05', 14, adult, 2),
      hour('2025-12-01', 9, adult, 10),
      hour('2025-12-05', 14, group, 20),
    ]);
  });
  afterAll(() => test.dispose());

  it('同比 by day on the same date: each day against last year’s, no figure where last year had nothing', async () => {
    const series = await compareSeries(
      db,
      {
        metric: 'sales',
        granularity: 'day',
        compare: 'yoy',
        basis: 'same_date',
        from: '2026-12-01',
        to: '2026-12-07',
      },
      plainCalendar,
      ALL_SITES,
    );
    expect(series.basis).toEqual({ code: 'same_date', label: SAME_DATE.label('yoy') });
    expect(series.unit).toBe('fen');
    expect(series.points).toHaveLength(7);
    for (const point of series.points) {
      const date = point.period.from;
      const base = `2025${date.slice(4)}`;
      expect(point.base).toEqual({ from: base, to: base });
      expect(point.value, date).toBe(salesOn(date, date));
      expect(point.baseValue, date).toBe(salesOn(base, base));
    }
    const last = series.points[6]!;
    expect(last.baseValue).toBe(0);
    expect(last.changeBp).toBeNull();
    expect(last.change).toBe(7_000);
    const first = series.points[0]!;
    expect(first.changeBp).toBe(10_000); // 1,000 against 500
    expect(series.base).toEqual({ from: '2025-12-01', to: '2025-12-07' });
    expect(series.totals.value).toBe(salesOn('2026-12-01', '2026-12-07'));
    expect(series.totals.baseValue).toBe(salesOn('2025-12-01', '2025-12-07'));
  });

  it('同比 on the same weekday, 环比, and months cut to the range', async () => {
    const weekday = await compareSeries(
      db,
      {
        metric: 'sales',
        granularity: 'day',
        compare: 'yoy',
        basis: 'same_weekday',
        from: '2026-12-07',
        to: '2026-12-07',
      },
      plainCalendar,
      ALL_SITES,
    );
    expect(weekday.points[0]).toMatchObject({
      base: { from: '2025-12-08', to: '2025-12-08' },
      value: 7_000,
      baseValue: 700,
    });
    const pop = await compareSeries(
      db,
      {
        metric: 'sales',
        granularity: 'day',
        compare: 'pop',
        basis: 'same_date',
        from: '2026-12-02',
        to: '2026-12-03',
      },
      plainCalendar,
      ALL_SITES,
    );
    // Each day against the day before; the whole range against the two days before it.
    expect(pop.points.map((p) => [p.period.from, p.base?.from, p.value, p.baseValue])).toEqual([
      ['2026-12-02', '2026-12-01', 1_700, 1_000],
      ['2026-12-03', '2026-12-02', 7_000, 1_700],
    ]);
    expect(pop.base).toEqual({ from: '2026-11-30', to: '2026-12-01' });
    expect(pop.totals).toMatchObject({ value: 8_700, baseValue: 1_000 });
    const months = await compareSeries(
      db,
      {
        metric: 'sales',
        granularity: 'month',
        compare: 'yoy',
        basis: 'same_date',
        from: '2026-11-15',
        to: '2026-12-07',
      },
      plainCalendar,
      ALL_SITES,
    );
    expect(
      months.points.map((p) => [p.period.label.en, p.period.from, p.period.to, p.base, p.value, p.baseValue]),
    ).toEqual([
      ['2026-11', '2026-11-15', '2026-11-30', { from: '2025-11-15', to: '2025-11-30' }, 100, 300],
      [
        '2026-12',
        '2026-12-01',
        '2026-12-07',
        { from: '2025-12-01', to: '2025-12-07' },
        salesOn('2026-12-01', '2026-12-07'),
        salesOn('2025-12-01', '2025-12-07'),
      ],
    ]);
    const groupOnly = await compareSeries(
      db,
      {
        metric: 'sales',
        granularity: 'month',
        compare: 'yoy',
        basis: 'same_date',
        from: '2026-12-01',
        to: '2026-12-07',
        typeId: TYPES.group,
      },
      plainCalendar,
      ALL_SITES,
    );
    expect(groupOnly.totals).toEqual({ value: 4_000, baseValue: 0, change: 4_000, changeBp: null });
  });

  it('visitors: persons who entered, against last year; another site’s operator sees none of it', async () => {
    const query = {
      metric: 'visitors',
      granularity: 'day',
      compare: 'yoy',
      basis: 'same_date',
      from: '2026-12-01',
      to: '2026-12-07',
    } as const;
    const series = await compareSeries(db, query, plainCalendar, ALL_SITES);
    expect(series.unit).toBe('persons');
    expect(
      series.points
        .filter((p) => p.value > 0 || (p.baseValue ?? 0) > 0)
        .map((p) => [p.period.from, p.value, p.baseValue, p.changeBp]),
    ).toEqual([
      ['2026-12-01', 3, 10, -7_000],
      ['2026-12-05', 42, 20, 11_000],
    ]);
    const lake = await compareSeries(db, query, plainCalendar, siteScopeOf(['lake']));
    expect(lake.totals).toEqual({ value: 0, baseValue: 0, change: 0, changeBp: null });
  });

  it('ticket-type mix: each type’s share this period and last year, by tickets and by visitors', async () => {
    const mix = await typeMix(
      db,
      { measure: 'tickets', compare: 'yoy', basis: 'same_date', from: '2026-12-01', to: '2026-12-07' },
      plainCalendar,
      ALL_SITES,
    );
    // This period: adult 1+…+7 − 1 refunded = 27, group 2; last year: adult 6.
    expect(
      mix.rows.map((r) => [
        r.type.id,
        r.type.name.en,
        r.value,
        r.shareBp,
        r.baseValue,
        r.baseShareBp,
        r.changeBp,
        r.shareChangeBp,
      ]),
    ).toEqual([
      [TYPES.adult, 'Adult', 27, 9_310, 6, 10_000, 35_000, -690],
      [TYPES.group, 'Group', 2, 690, 0, 0, null, 690],
    ]);
    expect(mix.totals).toEqual({ value: 29, baseValue: 6, change: 23, changeBp: 38_333 });
    const visitors = await typeMix(
      db,
      { measure: 'visitors', compare: 'yoy', basis: 'same_date', from: '2026-12-01', to: '2026-12-07' },
      plainCalendar,
      ALL_SITES,
    );
    expect(visitors.rows.map((r) => [r.type.id, r.value, r.baseValue])).toEqual([
      [TYPES.adult, 5, 10],
      [TYPES.group, 40, 20],
    ]);
  });

  it('hour × weekday heatmap: entries in their local hour and weekday, with the mean per such weekday', async () => {
    const map = await heatmap(db, { from: '2026-11-24', to: '2026-12-07' }, ALL_SITES);
    expect(map.cells).toHaveLength(7 * 24);
    expect(map.weekdays).toEqual([2, 2, 2, 2, 2, 2, 2]);
    const nonEmpty = map.cells.filter((c) => c.persons > 0);
    // 2026-12-01 was a Tuesday, 2026-12-05 a Saturday.
    expect(nonEmpty).toEqual([
      { weekday: 2, hour: 9, entries: 1, persons: 3, averagePersons: 2 },
      { weekday: 6, hour: 14, entries: 2, persons: 42, averagePersons: 21 },
    ]);
    expect(map.totals).toEqual({ entries: 3, persons: 45 });
    const groupOnly = await heatmap(
      db,
      { from: '2026-12-01', to: '2026-12-07', typeId: TYPES.group },
      ALL_SITES,
    );
    expect(groupOnly.totals).toEqual({ entries: 1, persons: 40 });
  });

  it('the holiday series and basis come from the calendar plugged in; the plain one refuses them', async () => {
    const query = {
      metric: 'sales',
      granularity: 'holiday',
      compare: 'yoy',
      basis: 'same_holiday_day',
      from: '2026-12-01',
      to: '2026-12-07',
    } as const;
    await expect(compareSeries(db, query, plainCalendar, ALL_SITES)).rejects.toMatchObject({
      code: 'REPORT_BASIS_UNAVAILABLE',
    });
    await expect(
      compareSeries(db, { ...query, granularity: 'day' }, plainCalendar, ALL_SITES),
    ).rejects.toMatchObject({ code: 'REPORT_BASIS_UNAVAILABLE' });
    const festival = { 'zh-CN': '测试节', en: 'Test festival' };
    const calendar: ComparisonCalendar = {
      bases: (basis) =>
        basis === 'same_holiday_day'
          ? {
              basis,
              label: () => ({ 'zh-CN': '节假日同日', en: 'Same holiday day' }),
              // Last year's festival fell two days earlier.
              yearBefore: (p) => ({
                fromDay: SAME_DATE.yearBefore(p, false)!.fromDay - 2,
                toDay: SAME_DATE.yearBefore(p, false)!.toDay - 2,
              }),
              periodBefore: () => null,
            }
          : plainCalendar.bases(basis),
      holidays: () => [{ name: festival, fromDay: dayOf('2026-12-03'), toDay: dayOf('2026-12-05') }],
    };
    const series = await compareSeries(db, query, calendar, ALL_SITES);
    expect(series.basis.label.en).toBe('Same holiday day');
    expect(series.points).toEqual([
      {
        period: { from: '2026-12-03', to: '2026-12-05', label: festival },
        base: { from: '2025-12-01', to: '2025-12-03' },
        baseBasis: 'same_holiday_day',
        value: salesOn('2026-12-03', '2026-12-05'),
        baseValue: salesOn('2025-12-01', '2025-12-03'),
        change: salesOn('2026-12-03', '2026-12-05') - salesOn('2025-12-01', '2025-12-03'),
        changeBp: Math.round(
          ((salesOn('2026-12-03', '2026-12-05') - salesOn('2025-12-01', '2025-12-03')) * 10_000) /
            salesOn('2025-12-01', '2025-12-03'),
        ),
      },
    ]);
  });
});
