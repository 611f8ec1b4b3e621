/**
 * Sales summaries and history against the journal, on each database: random takings (sales, refunds, supplements,
 * group orders; split payments, fees without tickets, two sites, windows, cashiers, an agency, three days) recorded
 * through the takings service; then every grouping by one dimension and a spread of pairs, with and without
 * filters, must equal a recomputation from the journal rows (the rollups are only a faster way to the same sums),
 * its groups must add up to its totals, and in every group sales + supplements + orders − refunds = net. Ticket type
 * and payment method together are refused. The history pages through exactly the journal's matching takings, newest
 * first, and its totals are the journal's.
 */
import fc from 'fast-check';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/schema.js';
import { databaseBackends, type TestDatabase } from '../../db/testing.js';
import { ALL_SITES, siteScopeOf } from '../../platform/site-scope.js';
import { TYPES } from '../tickets/testing.js';
import { historyPage } from './history.js';
import { dateOf } from './period.js';
import { type Summary, type SummaryDimension, type SummaryQuery, summarize } from './summary.js';
import {
  type JournalFilter,
  type JournalRow,
  journal,
  journalMatches,
  type ReportsFixture,
  recomputeSummary,
  recordTakings,
  seedReportsVenue,
  signedFigures,
  takingsArbitrary,
} from './testing.js';

const D0 = 20_790; // 2026-12-03
const FROM = dateOf(D0);
const TO = dateOf(D0 + 2);

const GROUPINGS: readonly SummaryDimension[][] = [
  ['day'],
  ['month'],
  ['type'],
  ['channel'],
  ['method'],
  ['window'],
  ['cashier'],
  ['agency'],
  ['source'],
  ['day', 'type'],
  ['month', 'channel'],
  ['method', 'cashier'],
  ['window', 'source'],
  ['agency', 'type'],
  ['type', 'channel'],
  ['cashier', 'method'],
  ['day', 'window'],
];

const FILTERS: readonly Partial<SummaryQuery>[] = [
  {},
  { siteId: 'park' },
  { method: 'cash' },
  { typeId: TYPES.adult },
  { channel: 'window', source: 'sale' },
];

function keyOfRow(dimensions: readonly SummaryDimension[], group: Summary['rows'][number]['group']): string {
  return JSON.stringify(
    dimensions.map((d) => {
      const value = group[d]!;
      if (d === 'window' && value.id !== null) return `${value.siteId}/${value.id}`;
      return value.id;
    }),
  );
}

function journalFilterOf(query: Partial<SummaryQuery>): JournalFilter {
  return {
    fromDay: D0,
    toDay: D0 + 2,
    ...(query.siteId !== undefined && { siteId: query.siteId }),
    ...(query.method !== undefined && { method: query.method }),
    ...(query.typeId !== undefined && { typeId: query.typeId }),
    ...(query.channel !== undefined && { channel: query.channel }),
    ...(query.source !== undefined && { source: query.source }),
    ...(query.cashierId !== undefined && { cashierId: query.cashierId }),
  };
}

describe.each(databaseBackends())('sales summary and history on $name', (backend) => {
  let test: TestDatabase;
  let db: Kysely<Database>;
  let fixture: ReportsFixture;

  beforeAll(async () => {
    test = await backend.create();
    db = test.database.db;
    fixture = await seedReportsVenue(db);
  });
  afterAll(() => test.dispose());

  async function clearTakings(): Promise<void> {
    for (const table of [
      'taking_payments',
      'taking_items',
      'takings',
      'takings_day_money',
      'takings_day_items',
    ] as const)
      await db.deleteFrom(table).execute();
  }

  async function checkSummaries(rows: readonly JournalRow[]): Promise<void> {
    for (const dimensions of GROUPINGS)
      for (const filter of FILTERS) {
        const query: SummaryQuery = {
          from: FROM,
          to: TO,
          by: dimensions[0]!,
          thenBy: dimensions[1],
          ...filter,
        };
        const label = JSON.stringify({ dimensions, filter });
        const typeAndMethod =
          (dimensions.includes('type') || filter.typeId !== undefined) &&
          (dimensions.includes('method') || filter.method !== undefined);
        if (typeAndMethod) {
          await expect(summarize(db, query, ALL_SITES), label).rejects.toMatchObject({
            code: 'REPORT_DIMENSIONS_INCOMPATIBLE',
          });
          continue;
        }
        const summary = await summarize(db, query, ALL_SITES);
        const expected = recomputeSummary(rows, dimensions, journalFilterOf(filter));
        const actual = new Map(
          summary.rows.map((row) => [keyOfRow(dimensions, row.group), signedFigures(row)]),
        );
        if (!summary.ticketsCounted)
          for (const figures of expected.values())
            for (const f of Object.values(figures)) Object.assign(f, { tickets: 0, persons: 0 });
        expect(Object.fromEntries(actual), label).toEqual(Object.fromEntries(expected));
        // Rows add up to the totals; in every row and the totals, sales + supplements + orders − refunds = net.
        for (const figure of ['sales', 'refunds', 'supplements', 'orders', 'net'] as const) {
          const sum = summary.rows.reduce((n, r) => n + r[figure].amountFen, 0);
          expect(summary.totals[figure].amountFen, `${label} ${figure}`).toBe(sum);
          const tickets = summary.rows.reduce((n, r) => n + (r[figure].tickets ?? 0), 0);
          expect(summary.totals[figure].tickets ?? 0, `${label} ${figure} tickets`).toBe(tickets);
        }
        for (const row of [...summary.rows, summary.totals]) {
          expect(
            row.sales.amountFen + row.supplements.amountFen + row.orders.amountFen - row.refunds.amountFen,
          ).toBe(row.net.amountFen);
          if (summary.ticketsCounted)
            expect(
              row.sales.tickets! + row.supplements.tickets! + row.orders.tickets! - row.refunds.tickets!,
            ).toBe(row.net.tickets);
        }
      }
  }

  async function checkHistory(rows: readonly JournalRow[]): Promise<void> {
    const filters: Partial<SummaryQuery>[] = [
      {},
      { siteId: 'lake' },
      { method: 'wechat' },
      { typeId: TYPES.group },
      { cashierId: fixture.cashiers[1]!, source: 'refund' },
      { windowId: 'W01', channel: 'window' },
      { agencyId: fixture.agencyId },
    ];
    for (const filter of filters) {
      const wanted = rows
        .filter((row) =>
          journalMatches(row, journalFilterOf(filter) as JournalFilter & { windowId?: string }),
        )
        .filter((row) => filter.windowId === undefined || row.window_id === filter.windowId)
        .filter((row) => filter.agencyId === undefined || row.agency_id === filter.agencyId)
        .sort((a, b) => b.id - a.id);
      const seen: number[] = [];
      let before: number | undefined;
      let totals: Awaited<ReturnType<typeof historyPage>>['totals'] | undefined;
      for (let pages = 0; pages < 50; pages++) {
        const page = await historyPage(
          db,
          { from: FROM, to: TO, ...filter },
          { before, limit: 7 },
          ALL_SITES,
        );
        seen.push(...page.items.map((item) => item.id));
        totals ??= page.totals;
        expect(page.totals).toEqual(totals);
        if (page.next === null) break;
        before = page.next;
      }
      const label = JSON.stringify(filter);
      expect(seen, label).toEqual(wanted.map((row) => row.id));
      const sum = (pick: (row: JournalRow) => number) => wanted.reduce((n, row) => n + pick(row), 0);
      expect(totals!.takings, label).toBe(wanted.length);
      expect(totals!.amountFen, label).toBe(sum((row) => row.amount_fen));
      expect(totals!.tickets, label).toBe(sum((row) => row.tickets));
      expect(totals!.persons, label).toBe(sum((row) => row.persons));
      expect(totals!.netFen, label).toBe(totals!.amountFen);
      expect(totals!.salesFen + totals!.supplementsFen + totals!.ordersFen - totals!.refundsFen).toBe(
        totals!.netFen,
      );
      expect(totals!.refundsFen, label).toBe(
        0 - sum((row) => (row.source === 'refund' ? row.amount_fen : 0)),
      );
      const cash = wanted.flatMap((row) => row.payments).filter((p) => p.method === 'cash');
      const cashTotal = totals!.byMethod.find((m) => m.method === 'cash');
      if (filter.method === undefined || filter.method === 'cash')
        expect(cashTotal?.amountFen ?? 0, label).toBe(cash.reduce((n, p) => n + p.amountFen, 0));
    }
  }

  it('agrees with the journal for every grouping and filter, rows summing to totals, net = sales − refunds (+ the rest)', async () => {
    await fc.assert(
      fc.asyncProperty(takingsArbitrary(fixture, D0, 3, { minLength: 1, maxLength: 30 }), async (entries) => {
        await clearTakings();
        await recordTakings(db, entries);
        const rows = await journal(db);
        await checkSummaries(rows);
        await checkHistory(rows);
      }),
      { numRuns: backend.name === 'sqlite' ? 8 : 4, seed: 14 },
    );
  }, 300_000);

  it('names what it groups by, from the owners, and leaves out the sites out of scope', async () => {
    await clearTakings();
    await recordTakings(db, [
      {
        source: 'sale',
        sourceId: 'named-1',
        siteId: 'park',
        at: D0 * 86_400_000,
        day: D0,
        channel: 'window',
        windowId: 'W02',
        cashierId: fixture.cashiers[0]!,
        agencyId: fixture.agencyId,
        payments: [{ method: 'cash', amountFen: 10_000 }],
        items: [{ typeId: TYPES.adult, tickets: 1, persons: 1, amountFen: 10_000 }],
      },
      {
        source: 'sale',
        sourceId: 'named-2',
        siteId: 'lake',
        at: D0 * 86_400_000,
        day: D0,
        channel: 'online',
        windowId: null,
        cashierId: null,
        agencyId: null,
        payments: [{ method: 'wechat', amountFen: 3_000 }],
        items: [{ typeId: 201, tickets: 1, persons: 1, amountFen: 3_000 }],
      },
    ]);
    const byWindow = await summarize(
      db,
      { from: FROM, to: FROM, by: 'window', thenBy: 'cashier' },
      ALL_SITES,
    );
    expect(byWindow.rows.map((r) => [r.group.window, r.group.cashier?.name['zh-CN']])).toEqual([
      [{ id: 'W02', siteId: 'park', name: { 'zh-CN': '二号窗口', en: 'Window 2' } }, '李收银'],
      [{ id: null, name: { 'zh-CN': '（无）', en: '(none)' } }, '（无）'],
    ]);
    const byType = await summarize(db, { from: FROM, to: FROM, by: 'type', thenBy: 'agency' }, ALL_SITES);
    expect(byType.rows.map((r) => [r.group.type?.name.en, r.group.agency?.name['zh-CN']])).toEqual([
      ['Adult', '春秋旅行社'],
      ['Boat', '（无）'],
    ]);
    const parkOnly = await summarize(db, { from: FROM, to: FROM, by: 'method' }, siteScopeOf(['park']));
    expect(parkOnly.rows.map((r) => r.group.method?.id)).toEqual(['cash']);
    expect(parkOnly.totals.net.amountFen).toBe(10_000);
    const history = await historyPage(db, { from: FROM, to: FROM }, { limit: 10 }, siteScopeOf(['lake']));
    expect(history.items.map((i) => i.sourceId)).toEqual(['named-2']);
    expect(history.items[0]!.items[0]!.type.name).toEqual({ 'zh-CN': '游船票', en: 'Boat' });
    expect(history.totals.netFen).toBe(3_000);
  });
});
