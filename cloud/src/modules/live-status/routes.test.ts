import { eventually } from '@scenic/testkit/eventually';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { databaseBackends } from '../../db/testing.js';
import { insertTestOperator } from '../../platform/auth/testing.js';
import type { SeedRole } from '../../platform/permissions.js';
import { openEventStream } from '../../platform/testing.js';
import {
  createGroupTestEnv,
  DAY_MS,
  type GroupTestEnv,
  HOUR_MS,
  shanghaiDate,
  shanghaiMidnight,
} from '../group-orders/testing.js';
import { passage } from '../metrics/testing.js';
import { TYPES } from '../tickets/testing.js';
import { seedLayout } from '../venues/testing.js';
import type { LiveFigures } from './schemas.js';

/**
 * Live status over HTTP on each engine: today's figures from the takings (sales, refunds, group orders), the passages,
 * occupancy and the gates; who may read them and which sites; and the push stream, which sends changed figures at
 * most once a second per site and a heartbeat.
 */
describe.each(databaseBackends())('live status on $name', (backend) => {
  let env: GroupTestEnv;
  let seq = 0;
  const today = shanghaiDate(0);

  beforeAll(async () => {
    env = await createGroupTestEnv(backend, {}, { liveStatus: { settleMs: 50, refreshMs: 700 } });
    env.clock = shanghaiMidnight(today) + 10 * HOUR_MS;
    const db = env.test.database.db;
    await seedLayout(db, 'park', [{ id: 'north', gates: ['G1', 'G2', 'G3'] }]);
    await seedLayout(db, 'lake', [{ id: 'shore', gates: ['L1'] }]);
    for (const [gateId, online] of [
      ['G1', 1],
      ['G2', 1],
      ['G3', 0],
    ] as const)
      await env.container.services.gateStatus.repo.applyState(
        {
          gateId,
          siteId: 'park',
          online,
          since: env.clock,
          mode: 'normal',
          denyUnauthorized: 0,
          firmware: 'test',
          whitelistVersion: 0,
          configVersion: null,
          receivedAt: env.clock,
          degraded: '[]',
        },
        { will: false, retained: true },
      );
  });
  afterAll(() => env.dispose());

  async function call(
    role: SeedRole | { authorization: string },
    method: string,
    url: string,
    payload?: object,
  ) {
    const response = await env.app.inject({
      method: method as 'GET',
      url,
      headers: {
        ...(typeof role === 'string' ? env.as(role) : role),
        ...(method === 'POST' && { 'idempotency-key': `live-${++seq}` }),
      },
      ...(payload && { payload }),
    });
    return { status: response.statusCode, body: response.body ? response.json() : undefined };
  }

  async function ok(role: SeedRole, method: string, url: string, payload?: object) {
    const answer = await call(role, method, url, payload);
    expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(300);
    return answer.body;
  }

  const sell = (lines: object[], payments: object[]) =>
    ok('cashier', 'POST', '/api/v1/sales', { siteId: 'park', windowId: 'W01', lines, payments });
  const park = async (): Promise<LiveFigures> =>
    (await ok('finance', 'GET', '/api/v1/live-status?siteId=park')).items[0];

  it("answers today's figures of the takings, passages, occupancy and gates", async () => {
    // Yesterday's sale is yesterday's.
    env.clock -= DAY_MS;
    await sell(
      [{ typeId: TYPES.adult, quantity: 1, visitDate: shanghaiDate(-1) }],
      [{ method: 'cash', amountFen: 10_000 }],
    );
    env.clock += DAY_MS;
    const empty = await park();
    expect(empty).toMatchObject({
      siteId: 'park',
      date: today,
      sales: { totalFen: 0, byMethod: [], byChannel: [] },
      tickets: { sold: 0, persons: 0 },
      entries: 0,
      inPark: 0,
      gates: { online: 2, total: 3 },
    });

    const first = await sell(
      [{ typeId: TYPES.adult, quantity: 2, visitDate: today }],
      [{ method: 'cash', amountFen: 30_000 }],
    );
    await sell(
      [{ typeId: TYPES.group, quantity: 1, persons: 12, visitDate: today }],
      [{ method: 'wechat', amountFen: 60_000 }],
    );
    await ok('cashier', 'POST', '/api/v1/refunds', {
      saleId: first.id,
      ticketIds: [first.tickets[0].ticketId],
    });
    // The venue's own group order, paid at the window when it is picked up.
    const order = await ok('admin', 'POST', '/api/v1/group-orders', {
      siteId: 'park',
      reference: 'live-group',
      visitDate: today,
      lines: [{ typeId: TYPES.adult, quantity: 10 }],
    });
    await ok('admin', 'POST', `/api/v1/group-orders/${order.id}/confirm`);
    await ok('cashier', 'POST', `/api/v1/group-orders/${order.id}/pick-up`, {
      windowId: 'W01',
      issue: 'group',
      payments: [{ method: 'bank_card', amountFen: 100_000 }],
    });
    const ingested = await env.container.services.passages.ingest({
      siteId: 'park',
      gateId: 'G1',
      message: passage('G1', { direction: 'in', persons: 3, at: env.clock }),
      receivedAt: env.clock,
    });
    expect(ingested.status).toBe('applied');

    expect(await park()).toMatchObject({
      siteId: 'park',
      date: today,
      sales: {
        totalFen: 180_000,
        byMethod: [
          { method: 'cash', amountFen: 20_000 },
          { method: 'bank_card', amountFen: 100_000 },
          { method: 'wechat', amountFen: 60_000 },
        ],
        byChannel: [{ channel: 'window', amountFen: 180_000 }],
      },
      refunds: { count: 1, tickets: 1, amountFen: 10_000 },
      netFen: 170_000,
      // Two adults and one group ticket at the window, one group code picked up.
      tickets: { sold: 4, persons: 24 },
      groupPersons: 22,
      entries: 3,
      inPark: 3,
      gates: { online: 2, total: 3 },
    });
    const all = await ok('control_room', 'GET', '/api/v1/live-status');
    expect(all.items.map((f: LiveFigures) => f.siteId)).toEqual(['lake', 'park']);
  });

  it('needs reports.read, and shows a limited operator only their sites', async () => {
    expect((await call('cashier', 'GET', '/api/v1/live-status')).status).toBe(403);
    expect((await call('cashier', 'GET', '/api/v1/live-status/stream')).status).toBe(403);
    const unknown = await call('admin', 'GET', '/api/v1/live-status?siteId=nowhere');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
    expect((await call('admin', 'GET', '/api/v1/live-status?siteId=Bad%20Id')).status).toBe(400);

    const db = env.test.database.db;
    const id = await insertTestOperator(db, 'lake_watcher', 'finance', { password: 'lake-watcher-1' });
    await db.insertInto('operator_sites').values({ operator_id: id, site_id: 'lake' }).execute();
    const login = await call({ authorization: '' }, 'POST', '/api/v1/auth/login', {
      username: 'lake_watcher',
      password: 'lake-watcher-1',
    });
    const lake = { authorization: `Bearer ${login.body.token}` };
    const mine = await call(lake, 'GET', '/api/v1/live-status');
    expect(mine.body.items.map((f: LiveFigures) => f.siteId)).toEqual(['lake']);
    expect((await call(lake, 'GET', '/api/v1/live-status?siteId=park')).status).toBe(404);
    expect((await call(lake, 'GET', '/api/v1/live-status/stream?siteId=park')).status).toBe(404);
  });

  it('streams a snapshot, then changed figures at most once a second per site, and heartbeats', async () => {
    await env.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (env.app.server.address() as { port: number }).port;
    const stream = openEventStream({
      port,
      path: '/api/v1/live-status/stream?siteId=park',
      headers: env.as('finance'),
    });
    onTestFinished(() => stream.close());
    await stream.snapshot;
    const [, snapshot] = stream.events.find(([name]) => name === 'snapshot')!;
    const before = (snapshot as { items: LiveFigures[] }).items[0]!;

    // When each figures event arrived, watched as it comes.
    const arrivals: { at: number; figures: LiveFigures }[] = [];
    const watch = setInterval(() => {
      const figures = stream.events
        .filter(([name]) => name === 'figures')
        .map(([, data]) => data as LiveFigures);
      for (const f of figures.slice(arrivals.length)) arrivals.push({ at: Date.now(), figures: f });
    }, 10);
    onTestFinished(() => clearInterval(watch));

    // Eight sales as fast as the cashier can: their figures arrive folded, at most one push a second.
    for (let i = 0; i < 8; i++)
      await sell(
        [{ typeId: TYPES.adult, quantity: 1, visitDate: today }],
        [{ method: 'alipay', amountFen: 10_000 }],
      );
    const last = await eventually(
      () => arrivals.find((a) => a.figures.sales.totalFen === before.sales.totalFen + 80_000),
      8_000,
    );
    expect(last.figures.tickets.sold).toBe(before.tickets.sold + 8);
    const gaps = arrivals.slice(1).map((a, i) => a.at - arrivals[i]!.at);
    expect(Math.min(...gaps, 1_000)).toBeGreaterThanOrEqual(900);
    expect(arrivals.length).toBeLessThan(8);

    // A passage stored moves the entries and the persons inside.
    await env.container.services.passages.ingest({
      siteId: 'park',
      gateId: 'G2',
      message: passage('G2', { direction: 'in', persons: 2, at: env.clock }),
      receivedAt: env.clock,
    });
    await eventually(() => arrivals.find((a) => a.figures.entries === before.entries + 2), 5_000);
    // Nothing new: the refresh reads again but pushes nothing, and the stream keeps beating.
    const pushed = arrivals.length;
    await eventually(
      () => (stream.events.filter(([name]) => name === 'heartbeat').length >= 2 ? true : undefined),
      5_000,
    );
    expect(arrivals.length).toBe(pushed);
    // Versions only rise: the console never steps back to older figures.
    const versions = arrivals.map((a) => a.figures.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(versions[0]).toBeGreaterThan(before.version);
    stream.close();
  });
});
