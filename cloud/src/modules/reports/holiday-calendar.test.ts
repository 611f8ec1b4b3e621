/**
 * same_holiday_day and the holiday series on each database, through the holidays service as the composition root
 * wires it: Spring Festival 2026 day 3 against 2025's day 3 (seeded calendar), the whole break against the whole
 * break, a day past last year's shorter break and a plain day on the same weekday, no figure on a base of 0, and an
 * edited holiday moving the base of the next request.
 */
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/schema.js';
import { databaseBackends, type TestDatabase } from '../../db/testing.js';
import type { ChangeContext } from '../../platform/change-context.js';
import type { CommLogService } from '../comm-log/service.js';
import { HolidaysService } from '../holidays/service.js';
import type { TakingEntry } from '../takings/contract.js';
import { TYPES } from '../tickets/testing.js';
import { holidayCalendar } from './holiday-calendar.js';
import { dateOf, dayOf } from './period.js';
import { ReportsService } from './service.js';
import { type ReportsFixture, recordTakings, seedReportsVenue } from './testing.js';

const context: ChangeContext = { actor: { id: null, username: 'planner' }, ip: '10.0.0.9' };

// Seeded: Spring Festival 2025 is 28 Jan – 4 Feb (8 days), 2026 is 15–23 Feb (9 days).
const SPRING_2025 = dayOf('2025-01-28');
const SPRING_2026 = dayOf('2026-02-15');

/** fen sold on a day: a distinct figure per day, so a wrong base shows. 2025-02-05 … 2025-02-10 sold nothing. */
const SOLD = new Map<string, number>();
for (let i = 0; i < 8; i++) SOLD.set(dateOf(SPRING_2025 + i), 10_000 * (i + 1));
for (let i = 0; i < 9; i++) SOLD.set(dateOf(SPRING_2026 + i), 20_000 * (i + 1) + 1);
// Days the fallbacks land on (2026 day − 364).
SOLD.set(dateOf(SPRING_2026 + 8 - 364), 777);
SOLD.set('2026-03-05', 5_000);
SOLD.set('2025-03-06', 4_000);
SOLD.set('2026-02-10', 3_000);

function sale(fixture: ReportsFixture, date: string, fen: number, n: number): TakingEntry {
  const day = dayOf(date);
  return {
    source: 'sale',
    sourceId: `h-${n}`,
    siteId: 'park',
    at: day * 86_400_000,
    day,
    channel: 'window',
    windowId: 'W01',
    cashierId: fixture.cashiers[0]!,
    agencyId: null,
    payments: [{ method: 'cash', amountFen: fen }],
    items: [{ typeId: TYPES.adult, tickets: 1, persons: 1, amountFen: fen }],
  };
}

describe.each(databaseBackends())('same holiday day through the holiday calendar on $name', (backend) => {
  let test: TestDatabase;
  let db: Kysely<Database>;
  let holidays: HolidaysService;
  let reports: ReportsService;

  beforeAll(async () => {
    test = await backend.create();
    db = test.database.db;
    const fixture = await seedReportsVenue(db);
    await recordTakings(
      db,
      [...SOLD].map(([date, fen], n) => sale(fixture, date, fen, n)),
    );
    holidays = new HolidaysService(db);
    reports = new ReportsService(db, {
      commLog: undefined as unknown as CommLogService,
      defaultTimeZone: 'Asia/Shanghai',
      calendar: {
        calendarFor: async (range) =>
          holidayCalendar(await holidays.calendarFor({ from: range.fromDay, to: range.toDay })),
      },
    });
  });

  afterAll(() => test.dispose());

  const daily = { metric: 'sales', granularity: 'day', compare: 'yoy', basis: 'same_holiday_day' } as const;

  it('Spring Festival day 3 against last year’s day 3; other days on the same weekday; the label says so', async () => {
    const series = await reports.compare({ ...daily, from: '2026-02-17', to: '2026-02-17' });
    expect(series.basis.label['zh-CN']).toContain('同节假日同一天');
    expect(series.basis.label.en).toContain('same day of the same holiday last year');
    expect(series.points).toEqual([
      {
        period: { from: '2026-02-17', to: '2026-02-17', label: { 'zh-CN': '2026-02-17', en: '2026-02-17' } },
        base: { from: '2025-01-30', to: '2025-01-30' },
        baseBasis: 'same_holiday_day',
        value: 60_001,
        baseValue: 30_000,
        change: 30_001,
        changeBp: 10_000,
      },
    ]);
    const festival = await reports.compare({ ...daily, from: '2026-02-15', to: '2026-02-23' });
    expect(festival.points.map((p) => [p.period.from, p.base?.from, p.baseValue, p.baseBasis])).toEqual([
      ...[0, 1, 2, 3, 4, 5, 6, 7].map((i) => [
        dateOf(SPRING_2026 + i),
        dateOf(SPRING_2025 + i),
        10_000 * (i + 1),
        'same_holiday_day',
      ]),
      // Day 9: last year's break had 8 days, so the same weekday 52 weeks back, and the point says so.
      ['2026-02-23', dateOf(SPRING_2026 + 8 - 364), 777, 'same_weekday'],
    ]);
    // The whole range is the whole break: last year's whole break.
    expect(festival.base).toEqual({ from: '2025-01-28', to: '2025-02-04' });
    const plain = await reports.compare({ ...daily, from: '2026-03-05', to: '2026-03-05' });
    expect(plain.points[0]).toMatchObject({
      base: { from: '2025-03-06', to: '2025-03-06' },
      baseValue: 4_000,
    });
  });

  it('no figure (null, not Infinity) where the base sold nothing', async () => {
    // 2026-02-10 − 364 days = 2025-02-11: nothing sold.
    const series = await reports.compare({ ...daily, from: '2026-02-10', to: '2026-02-10' });
    expect(series.points[0]).toMatchObject({ value: 3_000, baseValue: 0, change: 3_000, changeBp: null });
    expect(JSON.stringify(series)).not.toMatch(/Infinity|NaN/);
  });

  it('the holiday series: each break in the range against the same break a year earlier, and 环比 the break before', async () => {
    const series = await reports.compare({
      ...daily,
      granularity: 'holiday',
      from: '2026-01-01',
      to: '2026-02-28',
    });
    const spring = series.points.find((p) => p.period.from === '2026-02-15')!;
    expect(spring.period.label).toEqual({ 'zh-CN': '2026 春节', en: 'Spring Festival 2026' });
    expect(spring.base).toEqual({ from: '2025-01-28', to: '2025-02-04' });
    expect(spring.value).toBe([...Array(9).keys()].reduce((n, i) => n + 20_000 * (i + 1) + 1, 0));
    expect(spring.baseValue).toBe(360_000);
    const pop = await reports.compare({ ...daily, compare: 'pop', from: '2026-02-17', to: '2026-02-17' });
    // The break before Spring Festival 2026 is New Year 2026 (1–3 January): its day 3.
    expect(pop.points[0]!.base).toEqual({ from: '2026-01-03', to: '2026-01-03' });
  });

  it('an edited holiday moves the base of the next request', async () => {
    const [spring2025] = (await holidays.list(2025)).filter(
      (h) => h.code === 'spring_festival' && h.kind === 'holiday',
    );
    // Say the venue's break last year began a day later: day 3 is now 31 January.
    await holidays.update(spring2025!.id, { firstDay: '2025-01-29' }, context);
    const series = await reports.compare({ ...daily, from: '2026-02-17', to: '2026-02-17' });
    expect(series.points[0]).toMatchObject({
      base: { from: '2025-01-31', to: '2025-01-31' },
      baseValue: 40_000,
    });
    const mix = await reports.typeMix({
      measure: 'amount',
      compare: 'yoy',
      basis: 'same_holiday_day',
      from: '2026-02-15',
      to: '2026-02-23',
    });
    expect(mix.base).toEqual({ from: '2025-01-29', to: '2025-02-04' });
    expect(mix.totals.baseValue).toBe(360_000 - 10_000);
  });
});
