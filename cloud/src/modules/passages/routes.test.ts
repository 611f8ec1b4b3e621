/**
 * The passages API on each database, over events stored by the real ingestion (the container's service, and a gate
 * over MQTT for the stream): the list (newest first, keyset paging, every filter, every parameter validated), the
 * business-day summary (per site and in total, local midnight in Asia/Shanghai, a site in another zone counted in
 * its own day), access, and the push stream receiving events stored after it connected.
 */

import type { DenialEvent, PassageEvent } from '@scenic/protocol';
import { eventually } from '@scenic/testkit/eventually';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { databaseBackends } from '../../db/testing.js';
import { silentLogger } from '../../mqtt/testing.js';
import { insertTestOperator } from '../../platform/auth/testing.js';
import { openEventStream } from '../../platform/testing.js';
import {
  type ControlRoomEnv,
  createControlRoomEnv,
  denial,
  GateConnection,
  passage,
  SITE,
  seedSite,
} from '../metrics/testing.js';
import { OccupancyService } from '../occupancy/service.js';
import { encodePassageCursor } from './cursor.js';
import { PassageHub } from './hub.js';
import type { PassageItem } from './schemas.js';
import { PassageIngestion, type StoredEvent } from './service.js';

const LAKE = 'lake';
const D = '2025-03-10';
/** An Asia/Shanghai wall time (UTC+8 all year) as an instant. */
const shanghai = (date: string, time = '00:00:00.000') => Date.parse(`${date}T${time}+08:00`);
const DAY_START = shanghai(D);
const DAY_END = shanghai('2025-03-11');

type Sent = { siteId: string; message: PassageEvent | DenialEvent };

/** The seeded events: around business day D, with two denials at the same instant (a tie the cursor must settle). */
function seededEvents(): Sent[] {
  const park = (message: PassageEvent | DenialEvent): Sent => ({ siteId: SITE, message });
  const lake = (message: PassageEvent | DenialEvent): Sent => ({ siteId: LAKE, message });
  return [
    park(passage('N1', { persons: 1, at: shanghai('2025-03-09', '23:59:59.999') })),
    park(denial('N1', { reason: 'EXPIRED', at: shanghai('2025-03-09', '23:00:00.000') })),
    park(passage('N1', { persons: 2, at: DAY_START, decidedOffline: true, entriesLeft: 3 })),
    park(denial('N1', { reason: 'EXPIRED', at: shanghai(D, '09:00:00.000') })),
    park(denial('N3', { reason: 'EXPIRED', at: shanghai(D, '09:00:00.000') })),
    park(
      denial('N1', {
        reason: 'ANTI_PASSBACK',
        ticketId: null,
        credentialKind: null,
        at: shanghai(D, '10:00:00.000'),
      }),
    ),
    park(passage('N2', { direction: 'out', persons: 1, at: shanghai(D, '12:00:00.000') })),
    park(passage('S1', { persons: 3, ticketId: 2002, at: DAY_END - 1 })),
    park(passage('S1', { persons: 5, at: DAY_END })),
    // lake keeps Europe/London time (UTC+0 in March): its day D is 2025-03-10T00:00Z to 2025-03-11T00:00Z.
    lake(passage('lake-N1', { persons: 7, at: Date.UTC(2025, 2, 9, 22) })),
    lake(passage('lake-N1', { persons: 4, at: shanghai(D, '10:00:00.000') })),
    lake(passage('lake-N2', { direction: 'out', persons: 2, at: shanghai(D, '11:00:00.000') })),
    lake(denial('lake-N1', { reason: 'USED', at: shanghai(D, '12:00:00.000') })),
    lake(passage('lake-S1', { persons: 6, at: Date.UTC(2025, 2, 10, 23, 30) })),
  ];
}

/** The list's order: gate time, then event id, newest first. */
function newestFirst(a: Sent, b: Sent): number {
  return b.message.at - a.message.at || (b.message.eventId < a.message.eventId ? -1 : 1);
}

describe.each(databaseBackends())('the passages API on $name', (backend) => {
  let env: ControlRoomEnv;
  let sent: Sent[];
  const get = (url: string, role: 'control_room' | 'gate_staff' | 'cashier' = 'control_room') =>
    env.app.inject({ method: 'GET', url, headers: env.auth.as(role) });
  const ids = (items: readonly PassageItem[]) => items.map((item) => item.eventId);
  const idsOf = (events: readonly Sent[]) => events.map((event) => event.message.eventId);
  const zoneOf = (gateId: string) => (gateId.endsWith('S1') ? 'south' : 'north');

  async function ingest(event: Sent): Promise<void> {
    const outcome = await env.services.passages.ingest({
      siteId: event.siteId,
      gateId: event.message.gateId,
      message: event.message,
      receivedAt: 1_741_600_000_000,
    });
    expect(outcome.status).toBe('applied');
  }

  beforeAll(async () => {
    env = await createControlRoomEnv(backend);
    await seedSite(env.db, LAKE);
    await env.db.updateTable('sites').set({ timezone: 'Europe/London' }).where('id', '=', LAKE).execute();
    sent = seededEvents();
    await Promise.all(sent.map(ingest));
  });
  afterAll(() => env.dispose());

  it('lists newest first with every field, and pages with a cursor until the last page', async () => {
    const park = sent.filter((e) => e.siteId === SITE).sort(newestFirst);
    const all = await get(`/api/v1/passages?siteId=${SITE}`);
    expect(all.statusCode, all.body).toBe(200);
    expect(ids(all.json().items)).toEqual(idsOf(park));
    expect(all.json().next).toBeNull();

    const first = sent[2]!.message as PassageEvent;
    expect(all.json().items.find((item: PassageItem) => item.eventId === first.eventId)).toEqual({
      eventId: first.eventId,
      kind: 'passage',
      siteId: SITE,
      zoneId: 'north',
      gateId: 'N1',
      ticketId: 1001,
      credentialKind: 'qr',
      direction: 'in',
      persons: 2,
      at: DAY_START,
      receivedAt: 1_741_600_000_000,
      decidedOffline: true,
      entriesLeft: 3,
      unconfirmed: false,
      reason: null,
      conflict: null,
      overdraft: 0,
    });
    const antiPassback = sent[5]!.message as DenialEvent;
    expect(all.json().items.find((item: PassageItem) => item.eventId === antiPassback.eventId)).toEqual({
      eventId: antiPassback.eventId,
      kind: 'denial',
      siteId: SITE,
      zoneId: 'north',
      gateId: 'N1',
      ticketId: null,
      credentialKind: null,
      direction: 'in',
      persons: 0,
      at: shanghai(D, '10:00:00.000'),
      receivedAt: 1_741_600_000_000,
      decidedOffline: null,
      entriesLeft: null,
      unconfirmed: false,
      reason: 'ANTI_PASSBACK',
      conflict: null,
      overdraft: 0,
    });

    for (const limit of [1, 2, 4, park.length]) {
      const pages: string[][] = [];
      let before: string | null = null;
      do {
        const query: string = `siteId=${SITE}&limit=${limit}${before === null ? '' : `&before=${before}`}`;
        const response = await get(`/api/v1/passages?${query}`);
        expect(response.statusCode, response.body).toBe(200);
        pages.push(ids(response.json().items));
        before = response.json().next;
        if (pages.length > park.length) throw new Error('paging does not end');
      } while (before !== null);
      expect(pages.flat(), `limit ${limit}`).toEqual(idsOf(park));
      // Exactly a page's worth at the end: the last page says so, no empty page follows.
      expect(pages.length).toBe(Math.ceil(park.length / limit));
    }
    // Without a site every site's events are listed; a cursor past the end is an empty last page.
    expect(ids((await get('/api/v1/passages?limit=200')).json().items)).toEqual(
      idsOf([...sent].sort(newestFirst)),
    );
    const end = encodePassageCursor(0, '0');
    expect((await get(`/api/v1/passages?before=${end}`)).json()).toEqual({ items: [], next: null });
  });

  it('filters by site, zone, gate, kind, reason, ticket and gate time, alone and together', async () => {
    const cases: [string, (e: Sent) => boolean][] = [
      [`siteId=${LAKE}`, (e) => e.siteId === LAKE],
      ['zoneId=south', (e) => zoneOf(e.message.gateId) === 'south'],
      ['gateId=N1', (e) => e.message.gateId === 'N1'],
      ['kind=denial', (e) => e.message.type === 'denial'],
      ['kind=passage', (e) => e.message.type === 'passage'],
      ['reason=EXPIRED', (e) => e.message.type === 'denial' && e.message.reason === 'EXPIRED'],
      ['reason=NO_PASSAGE', () => false],
      ['ticketId=2002', (e) => e.message.ticketId === 2002],
      [`from=${DAY_START}&to=${DAY_END}`, (e) => e.message.at >= DAY_START && e.message.at < DAY_END],
      [
        `siteId=${SITE}&kind=passage&from=${DAY_START}&to=${DAY_END}`,
        (e) =>
          e.siteId === SITE &&
          e.message.type === 'passage' &&
          e.message.at >= DAY_START &&
          e.message.at < DAY_END,
      ],
      [`gateId=N1&kind=denial&reason=EXPIRED&to=${DAY_START}`, (e) => e === sent[1]],
    ];
    for (const [query, wanted] of cases) {
      const response = await get(`/api/v1/passages?${query}&limit=200`);
      expect(response.statusCode, `${query}: ${response.body}`).toBe(200);
      expect(ids(response.json().items), query).toEqual(idsOf(sent.filter(wanted).sort(newestFirst)));
    }
  });

  it('refuses every bad parameter with VALIDATION_FAILED naming the field', async () => {
    const nulCursor = Buffer.from(JSON.stringify([1, 'a\u0000b'])).toString('base64url');
    const cases: [string, string][] = [
      ['/api/v1/passages?kind=exit', 'kind'],
      ['/api/v1/passages?reason=OK', 'reason'],
      ['/api/v1/passages?reason=expired', 'reason'],
      ['/api/v1/passages?limit=0', 'limit'],
      ['/api/v1/passages?limit=201', 'limit'],
      ['/api/v1/passages?limit=abc', 'limit'],
      ['/api/v1/passages?ticketId=0', 'ticketId'],
      ['/api/v1/passages?ticketId=1.5', 'ticketId'],
      [`/api/v1/passages?ticketId=${2 ** 40}`, 'ticketId'],
      ['/api/v1/passages?from=-1', 'from'],
      ['/api/v1/passages?to=yesterday', 'to'],
      ['/api/v1/passages?before=not-a-cursor', 'before'],
      [`/api/v1/passages?before=${nulCursor}`, 'before'],
      ['/api/v1/passages?siteId=%20park', 'siteId'],
      ['/api/v1/passages?zoneId=north!', 'zoneId'],
      [`/api/v1/passages?gateId=${'g'.repeat(65)}`, 'gateId'],
      ['/api/v1/passages/summary?date=2025-02-29', 'date'],
      ['/api/v1/passages/summary?date=10.03.2025', 'date'],
      ['/api/v1/passages/summary?siteId=', 'siteId'],
      ['/api/v1/passages/stream?siteId=a%20b', 'siteId'],
    ];
    for (const [url, field] of cases) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(400);
      const { error } = response.json();
      const paths = new Set(error.details.map((issue: { path: string[] }) => issue.path.join('.')));
      expect([error.code, [...paths]], url).toEqual(['VALIDATION_FAILED', [field]]);
    }
    expect((await get('/api/v1/passages?limit=200&reason=OUT_OF_SERVICE')).statusCode).toBe(200);
  });

  it('sums one business day per site and in total, split at local midnight', async () => {
    const response = await get(`/api/v1/passages/summary?date=${D}`);
    expect(response.statusCode, response.body).toBe(200);
    const summary = response.json();
    expect(summary).toEqual({
      date: D,
      entries: 15,
      exits: 3,
      denials: 4,
      denialsByReason: [
        { reason: 'EXPIRED', count: 2 },
        { reason: 'ANTI_PASSBACK', count: 1 },
        { reason: 'USED', count: 1 },
      ],
      conflicts: 0,
      sites: [
        {
          siteId: LAKE,
          timeZone: 'Europe/London',
          from: Date.UTC(2025, 2, 10),
          to: Date.UTC(2025, 2, 11),
          entries: 10,
          exits: 2,
          denials: 1,
          denialsByReason: [{ reason: 'USED', count: 1 }],
          conflicts: 0,
        },
        {
          siteId: SITE,
          timeZone: 'Asia/Shanghai',
          from: DAY_START,
          to: DAY_END,
          entries: 5,
          exits: 1,
          denials: 3,
          denialsByReason: [
            { reason: 'EXPIRED', count: 2 },
            { reason: 'ANTI_PASSBACK', count: 1 },
          ],
          conflicts: 0,
        },
      ],
    });
    // The sites reconcile with the total.
    type SiteFigures = { entries: number; exits: number; denials: number };
    const sum = (key: keyof SiteFigures) =>
      summary.sites.reduce((total: number, site: SiteFigures) => total + site[key], 0);
    expect([sum('entries'), sum('exits'), sum('denials')]).toEqual([
      summary.entries,
      summary.exits,
      summary.denials,
    ]);

    // 23:59:59.999 the evening before belongs to the day before, 00:00 the next morning to the day after.
    const park = async (date: string) =>
      (await get(`/api/v1/passages/summary?date=${date}&siteId=${SITE}`)).json();
    expect(await park('2025-03-09')).toMatchObject({
      date: '2025-03-09',
      entries: 1,
      exits: 0,
      denials: 1,
      denialsByReason: [{ reason: 'EXPIRED', count: 1 }],
      sites: [{ siteId: SITE, entries: 1, from: shanghai('2025-03-09'), to: DAY_START }],
    });
    expect(await park('2025-03-11')).toMatchObject({ entries: 5, exits: 0, denials: 0, denialsByReason: [] });
    expect(await park(D)).toMatchObject({ entries: 5, exits: 1, denials: 3 });
    expect((await park(D)).sites).toHaveLength(1);
    const none = await get('/api/v1/passages/summary?siteId=nowhere');
    expect([none.statusCode, none.json().error.code]).toEqual([404, 'NOT_FOUND']);
  });

  it('summarises today by default: in VENUE_TIMEZONE, or in the site’s own zone', async () => {
    const localDate = (timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone }).format(Date.now());
    for (const [query, timeZone] of [
      ['', 'Asia/Shanghai'],
      [`?siteId=${LAKE}`, 'Europe/London'],
    ] as const) {
      const before = localDate(timeZone);
      const response = await get(`/api/v1/passages/summary${query}`);
      expect(response.statusCode, response.body).toBe(200);
      expect([before, localDate(timeZone)]).toContain(response.json().date);
    }
  });

  it('is for gates.read: gate staff may read, a cashier gets 403 on every route', async () => {
    expect((await get('/api/v1/passages', 'gate_staff')).statusCode).toBe(200);
    expect((await get('/api/v1/passages/summary', 'gate_staff')).statusCode).toBe(200);
    for (const url of ['/api/v1/passages', '/api/v1/passages/summary', '/api/v1/passages/stream']) {
      const response = await get(url, 'cashier');
      expect([response.statusCode, response.json().error.code], url).toEqual([403, 'FORBIDDEN']);
      const anonymous = await env.app.inject({ method: 'GET', url });
      expect(anonymous.statusCode, url).toBe(401);
    }
  });

  it('streams the newest page, then each passage and denial stored after connecting, of its site only', async () => {
    await env.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (env.app.server.address() as { port: number }).port;
    const headers = env.auth.as('control_room');
    const parkStream = openEventStream({ port, path: `/api/v1/passages/stream?siteId=${SITE}`, headers });
    const everyStream = openEventStream({ port, path: '/api/v1/passages/stream', headers });
    // An operator limited to the lake site (per-site access): neither the snapshot nor the pushes name the park.
    const db = env.test.database.db;
    const lakeOperator = await insertTestOperator(db, 'lake_only', 'control_room', {
      password: 'lake-only-pass-1',
    });
    await db.insertInto('operator_sites').values({ operator_id: lakeOperator, site_id: LAKE }).execute();
    const signedIn = await env.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'lake_only', password: 'lake-only-pass-1' },
    });
    const lakeStream = openEventStream({
      port,
      path: '/api/v1/passages/stream',
      headers: { authorization: `Bearer ${signedIn.json().token}` },
    });
    onTestFinished(() => {
      parkStream.close();
      everyStream.close();
      lakeStream.close();
    });
    expect((await parkStream.headers)['content-type']).toMatch(/^text\/event-stream/);
    await Promise.all([parkStream.snapshot, everyStream.snapshot, lakeStream.snapshot]);
    const [[, lakeSnapshot]] = lakeStream.events as [[string, { items: PassageItem[] }]];
    expect(ids(lakeSnapshot.items)).toEqual(idsOf(sent.filter((e) => e.siteId === LAKE).sort(newestFirst)));
    const [[name, snapshot]] = parkStream.events as [[string, { items: PassageItem[]; next: null }]];
    expect(name).toBe('snapshot');
    expect(ids(snapshot.items)).toEqual(idsOf(sent.filter((e) => e.siteId === SITE).sort(newestFirst)));

    // A gate's passage over MQTT, a denial and another site's passage through the service.
    const gate = await GateConnection.open(env, 'N1');
    onTestFinished(() => gate.close());
    const live = passage('N1', { persons: 2 });
    await gate.send(live);
    const refused = denial('N2', { reason: 'WRONG_DIRECTION' });
    await ingest({ siteId: SITE, message: refused });
    const elsewhere = passage('lake-N2');
    await ingest({ siteId: LAKE, message: elsewhere });

    const pushed = await eventually(() => {
      const changes = everyStream.events.filter(([event]) => event === 'passage' || event === 'denial');
      return changes.length === 3 ? changes : undefined;
    });
    expect(pushed.map(([event, data]) => [event, (data as PassageItem).eventId]).sort()).toEqual(
      [
        ['passage', live.eventId],
        ['denial', refused.eventId],
        ['passage', elsewhere.eventId],
      ].sort(),
    );
    const parkChanges = parkStream.events.slice(1).filter(([event]) => event !== '#');
    expect(parkChanges.map(([event, data]) => [event, (data as PassageItem).eventId]).sort()).toEqual(
      [
        ['passage', live.eventId],
        ['denial', refused.eventId],
      ].sort(),
    );
    const lakeChanges = await eventually(() => {
      const changes = lakeStream.events.filter(([event]) => event === 'passage' || event === 'denial');
      return changes.length > 0 ? changes : undefined;
    });
    expect(lakeChanges.map(([, data]) => (data as PassageItem).eventId)).toEqual([elsewhere.eventId]);
    // Each pushed item is what the list shows for it.
    const listed = (await get(`/api/v1/passages?siteId=${SITE}&limit=2`)).json().items as PassageItem[];
    for (const item of listed)
      expect(parkChanges.find(([, data]) => (data as PassageItem).eventId === item.eventId)?.[1]).toEqual(
        item,
      );
  });
});

describe.each(databaseBackends())('the ingestion announcing stored events on $name', (backend) => {
  let env: ControlRoomEnv;
  beforeAll(async () => {
    env = await createControlRoomEnv(backend);
  });
  afterAll(() => env.dispose());

  it('announces each batch once committed, never a replay or a rolled-back event, whatever a listener does', async () => {
    const failures: unknown[] = [];
    const hub = new PassageHub((error) => failures.push(error));
    const heard: StoredEvent[] = [];
    hub.subscribe(() => {
      throw new Error('a broken listener');
    });
    const stop = hub.subscribe((events) => heard.push(...events));
    const poison = passage('N3');
    const ingestion = new PassageIngestion(
      env.db,
      new OccupancyService(env.db, { resetHour: 0, hysteresisPct: 3 }, silentLogger),
      [
        {
          name: 'poison',
          apply: async (_trx, event) => {
            if (event.event_id === poison.eventId) throw new Error('cannot apply');
          },
        },
      ],
      hub,
    );
    const ingest = (message: PassageEvent | DenialEvent) =>
      ingestion.ingest({ siteId: SITE, gateId: message.gateId, message, receivedAt: Date.now() });
    const good = [passage('N1'), denial('N2'), passage('N3')];
    const results = await Promise.allSettled([good[0]!, poison, good[1]!, good[2]!, good[0]!].map(ingest));
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value.status : 'rejected'))).toEqual([
      'applied',
      'rejected',
      'applied',
      'applied',
      'duplicate',
    ]);
    expect(heard.map((e) => e.event_id).sort()).toEqual(good.map((e) => e.eventId).sort());
    // The broken listener failed once per committed batch, and hurt nothing.
    expect(failures).toHaveLength(3);
    const stored = await env.db.selectFrom('passage_events').select('event_id').execute();
    expect(stored.map((row) => row.event_id).sort()).toEqual(good.map((e) => e.eventId).sort());

    stop();
    await ingest(passage('N1'));
    expect(heard).toHaveLength(3);
  });
});
