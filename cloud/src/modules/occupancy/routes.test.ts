/**
 * Occupancy and capacity alerts following a scripted day of entries and exits over MQTT, as the console sees them:
 * the push stream, today's figures, the alert history — and /metrics with and without its token. On each database.
 */

import { eventually } from '@scenic/testkit/eventually';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { loadConfig } from '../../config.js';
import { databaseBackends } from '../../db/testing.js';
import { insertTestOperator } from '../../platform/auth/testing.js';
import { openEventStream } from '../../platform/testing.js';
import { testApp } from '../../testing/app.js';
import {
  type ControlRoomEnv,
  createControlRoomEnv,
  GateConnection,
  passage,
  SITE,
} from '../metrics/testing.js';
import { seedLayout } from '../venues/testing.js';

const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';

describe.each(databaseBackends())('occupancy on $name', (backend) => {
  let env: ControlRoomEnv;
  let entry: GateConnection;
  let exit: GateConnection;

  beforeEach(async () => {
    env = await createControlRoomEnv(backend, { env: { METRICS_TOKEN } });
    await env.db.updateTable('zones').set({ capacity: 100 }).where('id', '=', 'north').execute();
    entry = await GateConnection.open(env, 'N1');
    exit = await GateConnection.open(env, 'N2');
  });
  afterEach(async () => {
    await entry.close();
    await exit.close();
    await env.dispose();
  });

  it('pushes an operator limited to another site nothing of this one', async () => {
    await seedLayout(env.db, 'lake', []);
    const limited = await insertTestOperator(env.db, 'lake_only', 'control_room', {
      password: 'lake-only-pass-1',
    });
    await env.db.insertInto('operator_sites').values({ operator_id: limited, site_id: 'lake' }).execute();
    const signedIn = await env.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'lake_only', password: 'lake-only-pass-1' },
    });
    await env.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (env.app.server.address() as { port: number }).port;
    const lake = openEventStream({
      port,
      path: '/api/v1/occupancy/stream',
      headers: { authorization: `Bearer ${signedIn.json().token}` },
    });
    const park = openEventStream({
      port,
      path: '/api/v1/occupancy/stream',
      headers: env.auth.as('control_room'),
    });
    onTestFinished(() => {
      lake.close();
      park.close();
    });
    await Promise.all([lake.snapshot, park.snapshot]);
    await entry.send(passage('N1', { direction: 'in', persons: 3 }));
    await eventually(() => (park.events.some(([name]) => name === 'figure') ? true : undefined));
    await env.cloud.bus.idle();
    // Closed before the app is (afterEach): an open stream holds the app's close.
    lake.close();
    park.close();
    const [first, ...changes] = lake.events.filter(([name]) => name !== '#');
    const snapshot = first?.[1] as { items: { siteId: string }[] };
    expect(snapshot.items.map((item) => item.siteId)).toEqual(['lake']);
    expect(changes).toEqual([]);
  });

  it('follows entries and exits with alert levels at 80/90/95 % and hysteresis, clamps at zero, and pushes it all', async () => {
    const capacity = await env.app.inject({
      method: 'PUT',
      url: `/api/v1/occupancy/sites/${SITE}/capacity`,
      headers: env.auth.as('admin'),
      payload: { capacity: 1_000 },
    });
    expect(capacity.json()).toEqual({ siteId: SITE, capacity: 1_000 });

    await env.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (env.app.server.address() as { port: number }).port;
    const stream = openEventStream({
      port,
      path: '/api/v1/occupancy/stream',
      headers: env.auth.as('control_room'),
    });
    // Closed however the test ends: an open stream would hold the app's close (and hide a failure) until it times out.
    onTestFinished(() => stream.close());
    await stream.snapshot;

    // [direction, persons] → zone north's level afterwards (capacity 100, hysteresis 3 points).
    const script: ['in' | 'out', number, number][] = [
      ['in', 79, 0],
      ['in', 1, 80], // 80 %: alert 0 → 80
      ['out', 1, 80], // 79 %: held by hysteresis
      ['in', 1, 80], // back to 80 %: no new alert
      ['out', 2, 80], // 78 %
      ['out', 2, 0], // 76 %: below 77, alert 80 → 0
      ['in', 20, 95], // 96 %: straight to 95
      ['out', 2, 95], // 94 %: held (≥ 92)
      ['out', 3, 90], // 91 %: 95 → 90
      ['out', 200, 0], // more exits than people inside: clamped at 0, 90 → 0
    ];
    let sent = 0;
    for (const [direction, persons, level] of script) {
      const gate = direction === 'in' ? entry : exit;
      await gate.send(passage(gate.gateId, { direction, persons }));
      sent++;
      await eventually(async () => {
        const n = await env.db
          .selectFrom('passage_events')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        return Number(n.n) === sent ? true : undefined;
      });
      await env.cloud.bus.idle();
      const row = await env.db
        .selectFrom('occupancy_counters')
        .select('level')
        .where('zone_id', '=', 'north')
        .executeTakeFirstOrThrow();
      expect([sent, row.level]).toEqual([sent, level]);
    }

    const expectedAlerts = [
      [0, 80, 80],
      [80, 0, 76],
      [0, 95, 96],
      [95, 90, 91],
      [90, 0, 0],
    ];
    const pushed = await eventually(() => {
      const alerts = stream.events.filter(([name]) => name === 'alert').map(([, data]) => data);
      return alerts.length === expectedAlerts.length ? alerts : undefined;
    });
    stream.close();
    expect(
      pushed.map((a) => {
        const { fromLevel, toLevel, inside } = a as { fromLevel: number; toLevel: number; inside: number };
        return [fromLevel, toLevel, inside];
      }),
    ).toEqual(expectedAlerts);
    expect(stream.events.filter(([name]) => name === 'figure')).toHaveLength(script.length * 2);

    const alerts = await env.app.inject({
      method: 'GET',
      url: `/api/v1/occupancy/alerts?siteId=${SITE}`,
      headers: env.auth.as('finance'),
    });
    expect(
      alerts.json().items.map((a: { zoneId: string; toLevel: number }) => [a.zoneId, a.toLevel]),
    ).toEqual([
      ['north', 0],
      ['north', 90],
      ['north', 95],
      ['north', 0],
      ['north', 80],
    ]);

    const current = (
      await env.app.inject({
        method: 'GET',
        url: `/api/v1/occupancy?siteId=${SITE}`,
        headers: env.auth.as('control_room'),
      })
    ).json();
    const [site] = current.items;
    expect(site.site).toMatchObject({
      zoneId: null,
      entries: 101,
      exits: 210,
      inside: 0,
      clamped: 109,
      capacity: 1_000,
      level: 0,
    });
    expect(site.zones).toEqual([
      expect.objectContaining({
        zoneId: 'north',
        entries: 101,
        exits: 210,
        inside: 0,
        clamped: 109,
        capacity: 100,
        percent: 0,
      }),
      expect.objectContaining({
        zoneId: 'south',
        entries: 0,
        inside: 0,
        capacity: null,
        percent: null,
        updatedAt: null,
      }),
    ]);
    expect(
      (await env.app.inject({ method: 'GET', url: '/api/v1/occupancy', headers: env.auth.as('gate_staff') }))
        .statusCode,
    ).toBe(403);

    const scrape = (authorization?: string) =>
      env.app.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });
    const metrics = await scrape(`Bearer ${METRICS_TOKEN}`);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain; version=0.0.4/);
    for (const line of [
      'sg_occupancy_inside{site="park",zone="north"} 0',
      'sg_occupancy_alert_level{site="park",zone=""} 0',
      'sg_passage_persons_total{site="park",direction="in"} 101',
      'sg_passage_persons_total{site="park",direction="out"} 210',
      'sg_events_ingested_total{kind="passage",result="applied"} 10',
      'sg_mqtt_messages_total{direction="in",channel="event/passage",result="ok",reason=""} 10',
      'sg_command_ack_seconds_count 0',
      '# TYPE sg_scans_per_second gauge',
    ]) {
      expect(metrics.body).toContain(line);
    }
    // Authentication schemes are case-insensitive (RFC 9110 §11.1), as on every other route.
    for (const scheme of ['bearer', 'BEARER', 'BeArEr'])
      expect((await scrape(`${scheme} ${METRICS_TOKEN}`)).statusCode, scheme).toBe(200);
    expect((await scrape(`Basic ${METRICS_TOKEN}`)).statusCode).toBe(401);
    expect([(await scrape()).statusCode, (await scrape('Bearer wrong')).json().error.code]).toEqual([
      401,
      'UNAUTHENTICATED',
    ]);
  });

  it('refuses /metrics when no METRICS_TOKEN is configured', async () => {
    const app = await testApp({
      config: loadConfig({ DATABASE_URL: env.test.url }),
      database: env.test.database,
    });
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect([response.statusCode, response.json().error.code]).toEqual([403, 'METRICS_DISABLED']);
    await app.close();
  });
});
