/**
 * The reports API on each database, over takings made by the real sale, refund and supplement routes: who may read
 * (reports.read), the sales history with its names and totals (net = sales − refunds + supplements, matching what
 * the sale and refund answered), the summary by method and by type, the communication reports, the analysis
 * routes, a limited operator seeing only their site, every refusal with its stable code in both languages; and the
 * report tables the exports will read (every row, page by page).
 */
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/schema.js';
import { databaseBackends } from '../../db/testing.js';
import { type AuthTestApp, createAuthTestApp } from '../../platform/auth/testing.js';
import { readRows } from '../../platform/exports/report.js';
import { ALL_SITES } from '../../platform/site-scope.js';
import { TYPES } from '../tickets/testing.js';
import { historyTable } from './history.js';
import { summarize, summaryTable } from './summary.js';
import { seedReportsVenue } from './testing.js';

const DAY_MS = 86_400_000;
/** The venue's date (Asia/Shanghai) `days` from now. */
const dateIn = (days: number) =>
  new Date(Date.now() + 8 * 3_600_000 + days * DAY_MS).toISOString().slice(0, 10);
const TODAY = dateIn(0);

describe.each(databaseBackends())('the reports API on $name', (backend) => {
  let env: AuthTestApp;
  let db: Kysely<Database>;
  let saleIds: string[];
  let refund: { id: string; amountFen: number; feeFen: number };

  const get = (url: string, role: 'finance' | 'cashier' | 'admin' = 'finance', language?: string) =>
    env.app.inject({
      method: 'GET',
      url,
      headers: { ...env.as(role), ...(language && { 'accept-language': language }) },
    });

  async function post(url: string, payload: object, key: string) {
    const response = await env.app.inject({
      method: 'POST',
      url,
      headers: { ...env.as('cashier'), 'idempotency-key': key },
      payload,
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  }

  beforeAll(async () => {
    env = await createAuthTestApp(backend, { CREDENTIAL_SECRET: 'reports-secret-reports-secret-reports!' });
    db = env.test.database.db;
    await seedReportsVenue(db);
    const first = await post(
      '/api/v1/sales',
      {
        siteId: 'park',
        windowId: 'W01',
        lines: [{ typeId: TYPES.adult, quantity: 2, visitDate: dateIn(1) }],
        payments: [{ method: 'cash', amountFen: 70_000 }],
      },
      'rep-sale-1',
    );
    const second = await post(
      '/api/v1/sales',
      {
        siteId: 'park',
        windowId: 'W02',
        lines: [{ typeId: TYPES.group, quantity: 1, visitDate: dateIn(1) }],
        payments: [{ method: 'wechat', amountFen: 50_000 }],
      },
      'rep-sale-2',
    );
    saleIds = [first.id, second.id];
    refund = await post(
      '/api/v1/refunds',
      { saleId: first.id, ticketIds: [first.tickets[0].ticketId] },
      'rep-refund',
    );
    await post(
      '/api/v1/supplements',
      {
        kind: 'fee',
        ticketId: first.tickets[1].ticketId,
        windowId: 'W01',
        reason: 'other',
        amountFen: 300,
        payments: [{ method: 'cash', amountFen: 500 }],
      },
      'rep-supplement',
    );
    const now = Date.now();
    for (const [site, gate, size] of [
      ['park', 'N1', 40],
      ['lake', 'L1', 60],
    ] as const)
      await db
        .insertInto('comm_log')
        .values({
          at: now - 30_000,
          direction: 'in',
          site_id: site,
          gate_id: gate,
          topic: `scenic/v1/${site}/${gate}/event/passage`,
          channel: 'event/passage',
          message_type: 'passage',
          size,
          result: 'ok',
          reason: null,
          latency_ms: 12,
        })
        .execute();
  }, 120_000);
  afterAll(() => env?.dispose());

  it('is for reports.read: finance reads, a cashier is refused, nobody without a session', async () => {
    const url = `/api/v1/reports/sales-history?from=${TODAY}&to=${TODAY}`;
    expect((await get(url)).statusCode).toBe(200);
    const cashier = await get(url, 'cashier');
    expect([cashier.statusCode, cashier.json().error.code]).toEqual([403, 'FORBIDDEN']);
    expect((await env.app.inject({ method: 'GET', url })).statusCode).toBe(401);
  });

  it('lists the day’s takings newest first with their names, and totals that reconcile with the sale and refund', async () => {
    const response = await get(`/api/v1/reports/sales-history?from=${TODAY}&to=${TODAY}&siteId=park`);
    expect(response.statusCode, response.body).toBe(200);
    const { items, next, totals } = response.json();
    expect(next).toBeNull();
    expect(items.map((i: { source: string }) => i.source)).toEqual(['supplement', 'refund', 'sale', 'sale']);
    const [supplement, refunded, second, first] = items;
    expect(first).toMatchObject({
      sourceId: saleIds[0],
      date: TODAY,
      channel: { id: 'window', name: { 'zh-CN': '售票窗口', en: 'Ticket window' } },
      window: { id: 'W01', name: { 'zh-CN': '一号窗口', en: 'Window 1' } },
      cashier: { id: env.operators.cashier.id, name: { 'zh-CN': 'Test cashier', en: 'Test cashier' } },
      amountFen: 20_000,
      tickets: 2,
      payments: [{ method: 'cash', amountFen: 20_000 }],
      items: [
        {
          type: { id: TYPES.adult, name: { 'zh-CN': '成人票', en: 'Adult' } },
          tickets: 2,
          amountFen: 20_000,
        },
      ],
    });
    expect(second).toMatchObject({
      window: { id: 'W02' },
      payments: [{ method: 'wechat', amountFen: 50_000 }],
      tickets: 1,
      persons: 10,
    });
    expect(refunded).toMatchObject({ sourceId: refund.id, amountFen: -refund.amountFen, tickets: -1 });
    expect(supplement).toMatchObject({
      amountFen: 300,
      tickets: 0,
      payments: [{ method: 'cash', amountFen: 300 }],
    });
    expect(totals).toMatchObject({
      takings: 4,
      salesFen: 70_000,
      refundsFen: refund.amountFen,
      supplementsFen: 300,
      ordersFen: 0,
      netFen: 70_000 - refund.amountFen + 300,
      amountFen: 70_000 - refund.amountFen + 300,
      tickets: 2,
    });
    expect(totals.byMethod).toEqual([
      { method: 'cash', payments: 3, amountFen: 20_000 - refund.amountFen + 300 },
      { method: 'wechat', payments: 1, amountFen: 50_000 },
    ]);
    // Paging: two at a time, newest first, the totals the same on every page.
    const page1 = (await get(`/api/v1/reports/sales-history?from=${TODAY}&to=${TODAY}&limit=2`)).json();
    const page2 = (
      await get(`/api/v1/reports/sales-history?from=${TODAY}&to=${TODAY}&limit=2&before=${page1.next}`)
    ).json();
    expect([...page1.items, ...page2.items].map((i: { id: number }) => i.id)).toEqual(
      items.map((i: { id: number }) => i.id),
    );
    expect(page2.next).toBeNull();
    expect(page2.totals).toEqual(totals);
    const wechat = (
      await get(`/api/v1/reports/sales-history?from=${TODAY}&to=${TODAY}&method=wechat`)
    ).json();
    expect(wechat.items.map((i: { sourceId: string }) => i.sourceId)).toEqual([saleIds[1]]);
  });

  it('sums by method and by type, sales − refunds + supplements = net', async () => {
    const byMethod = (await get(`/api/v1/reports/sales-summary?from=${TODAY}&to=${TODAY}&by=method`)).json();
    expect(byMethod.ticketsCounted).toBe(false);
    expect(
      byMethod.rows.map((r: { group: { method: { id: string } }; net: { amountFen: number } }) => [
        r.group.method.id,
        r.net.amountFen,
      ]),
    ).toEqual([
      ['cash', 20_000 - refund.amountFen + 300],
      ['wechat', 50_000],
    ]);
    const byType = (
      await get(
        `/api/v1/reports/sales-summary?from=${TODAY}&to=${TODAY}&by=type&thenBy=source`,
        'admin',
        'en',
      )
    ).json();
    expect(
      byType.rows.map(
        (r: {
          group: { type: { name: { en: string } }; source: { id: string } };
          net: { tickets: number; amountFen: number };
        }) => [r.group.type.name.en, r.group.source.id, r.net.tickets, r.net.amountFen],
      ),
    ).toEqual([
      ['Adult', 'refund', -1, -refund.amountFen],
      ['Adult', 'sale', 2, 20_000],
      ['Adult', 'supplement', 0, 300],
      ['Group', 'sale', 1, 50_000],
    ]);
    expect(byType.totals.net).toEqual({
      tickets: 2,
      persons: byType.totals.net.persons,
      amountFen: 70_000 - refund.amountFen + 300,
    });
    expect(
      byType.totals.sales.amountFen - byType.totals.refunds.amountFen + byType.totals.supplements.amountFen,
    ).toBe(byType.totals.net.amountFen);
  });

  it('refuses bad periods and groupings with stable codes in both languages', async () => {
    const cases: [string, number, string][] = [
      [`/api/v1/reports/sales-summary?from=2025-01-01&to=2026-02-05&by=day`, 400, 'REPORT_RANGE_TOO_LONG'],
      [`/api/v1/reports/sales-history?from=${TODAY}&to=2020-01-01`, 400, 'REPORT_RANGE_INVALID'],
      [
        `/api/v1/reports/sales-summary?from=${TODAY}&to=${TODAY}&by=type&thenBy=method`,
        400,
        'REPORT_DIMENSIONS_INCOMPATIBLE',
      ],
      [
        `/api/v1/reports/sales-summary?from=${TODAY}&to=${TODAY}&by=type&method=cash`,
        400,
        'REPORT_DIMENSIONS_INCOMPATIBLE',
      ],
      [`/api/v1/reports/sales-summary?from=${TODAY}&to=${TODAY}&by=weather`, 400, 'VALIDATION_FAILED'],
      [`/api/v1/reports/sales-history?from=2026-02-30&to=${TODAY}`, 400, 'VALIDATION_FAILED'],
      [`/api/v1/reports/analysis/heatmap?from=${TODAY}`, 400, 'VALIDATION_FAILED'],
    ];
    for (const [url, status, code] of cases) {
      const zh = await get(url);
      expect([zh.statusCode, zh.json().error.code], url).toEqual([status, code]);
      expect(zh.json().error.message).toBe(zh.json().error.messages['zh-CN']);
      const en = await get(url, 'finance', 'en');
      expect(en.json().error.message).toBe(en.json().error.messages.en);
    }
    const long = (
      await get(`/api/v1/reports/sales-summary?from=2025-01-01&to=2026-02-05&by=day`, 'finance', 'en')
    ).json();
    expect(long.error.message).toBe(
      'The range covers 401 days; a report covers at most 400: choose a shorter range',
    );
  });

  it('an operator limited to another site sees nothing of these takings', async () => {
    const created = await env.app.inject({
      method: 'POST',
      url: '/api/v1/operators',
      headers: env.as('admin'),
      payload: {
        username: 'lake_finance',
        displayName: 'Lake',
        password: 'lake-finance-1',
        roles: ['finance'],
        siteIds: ['lake'],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    await db
      .updateTable('operators')
      .set({ must_change_password: 0 })
      .where('username', '=', 'lake_finance')
      .execute();
    const login = await env.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'lake_finance', password: 'lake-finance-1' },
    });
    const headers = { authorization: `Bearer ${login.json().token}` };
    const read = async (url: string) => (await env.app.inject({ method: 'GET', url, headers })).json();
    const history = await read(`/api/v1/reports/sales-history?from=${TODAY}&to=${TODAY}`);
    expect(history.items).toEqual([]);
    expect(history.totals.takings).toBe(0);
    const summary = await read(
      `/api/v1/reports/sales-summary?from=${TODAY}&to=${TODAY}&by=window&siteId=park`,
    );
    expect(summary.rows).toEqual([]);
    const mix = await read(`/api/v1/reports/analysis/type-mix?from=${TODAY}&to=${TODAY}`);
    expect(mix.rows).toEqual([]);
    const comm = await read(`/api/v1/reports/comm-log/summary?from=${TODAY}&to=${TODAY}`);
    expect(comm.rows.map((r: { gateId: string }) => r.gateId)).toEqual(['L1']);
  });

  it('reports the communication log as rows and totals', async () => {
    const summary = (await get(`/api/v1/reports/comm-log/summary?from=${TODAY}&to=${TODAY}`)).json();
    expect(summary.rows.map((r: { gateId: string; bytesIn: number }) => [r.gateId, r.bytesIn])).toEqual([
      ['L1', 60],
      ['N1', 40],
    ]);
    expect(summary.totals).toEqual({
      messagesIn: 2,
      messagesOut: 0,
      rejected: 0,
      bytesIn: 100,
      bytesOut: 0,
      maxLatencyMs: 12,
    });
    const detail = (await get(`/api/v1/reports/comm-log/detail?siteId=park`)).json();
    expect(detail.items.map((i: { gateId: string }) => i.gateId)).toEqual(['N1']);
    expect(detail.totals).toEqual({ entries: 1, pageMessages: 1, pageBytes: 40 });
  });

  it('answers the analysis routes over today', async () => {
    const compare = await get(
      `/api/v1/reports/analysis/compare?from=${TODAY}&to=${TODAY}&metric=sales&basis=same_weekday`,
    );
    expect(compare.statusCode, compare.body).toBe(200);
    expect(compare.json().points[0]).toMatchObject({
      value: 70_000 - refund.amountFen + 300,
      baseValue: 0,
      changeBp: null,
    });
    expect(compare.json().basis.code).toBe('same_weekday');
    const mix = (await get(`/api/v1/reports/analysis/type-mix?from=${TODAY}&to=${TODAY}&compare=pop`)).json();
    expect(
      mix.rows.map((r: { type: { id: number }; value: number; shareBp: number }) => [
        r.type.id,
        r.value,
        r.shareBp,
      ]),
    ).toEqual([
      [TYPES.adult, 1, 5_000],
      [TYPES.group, 1, 5_000],
    ]);
    const map = (await get(`/api/v1/reports/analysis/heatmap?from=${dateIn(-6)}&to=${TODAY}`)).json();
    expect(map.cells).toHaveLength(168);
    expect(map.weekdays).toEqual([1, 1, 1, 1, 1, 1, 1]);
  });

  it('gives the report tables the exports read: every history row, page by page, and the summary’s columns', async () => {
    const filter = { from: TODAY, to: TODAY };
    const table = historyTable(db, filter, ALL_SITES, 'zh-CN', 'Asia/Shanghai', 2);
    const rows = await readRows(table);
    expect(rows.map((r) => r.source)).toEqual(['补票', '退票', '售票', '售票']);
    expect(rows.reduce((n, r) => n + Number(r.amountFen), 0)).toBe(70_000 - refund.amountFen + 300);
    expect(rows[3]).toMatchObject({
      window: '一号窗口',
      cashier: 'Test cashier',
      types: '成人票 × 2',
      payments: '现金 200.00',
    });
    const summary = summaryTable(
      await summarize(db, { ...filter, by: 'channel' }, ALL_SITES),
      'en',
      'Asia/Shanghai',
    );
    expect(summary.columns.map((c) => c.key)).toEqual([
      'channel',
      'salesTickets',
      'salesFen',
      'refundsTickets',
      'refundsFen',
      'supplementsFen',
      'ordersTickets',
      'ordersFen',
      'netTickets',
      'netFen',
    ]);
    expect(await readRows(summary)).toEqual([
      expect.objectContaining({
        channel: 'Ticket window',
        salesFen: 70_000,
        refundsFen: refund.amountFen,
        netTickets: 2,
      }),
    ]);
  });
});
