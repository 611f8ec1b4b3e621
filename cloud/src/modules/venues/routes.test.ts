import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../db/testing.js';
import { type AuthTestApp, createAuthTestApp } from '../../platform/auth/testing.js';

describe('venues over HTTP', () => {
  let env: AuthTestApp;
  /** Injects as the administrator unless headers say otherwise. */
  const inject = (options: {
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
    url: string;
    payload?: unknown;
    headers?: Record<string, string>;
  }) =>
    env.app.inject({
      ...options,
      payload: options.payload as object,
      headers: { ...env.as('admin'), ...options.headers },
    });

  beforeAll(async () => {
    env = await createAuthTestApp(databaseBackends()[0]!);
  });
  afterAll(() => env.dispose());

  it('lets cashiers and gate staff read venues, only venues.manage change them', async () => {
    expect(
      (await inject({ method: 'GET', url: '/api/v1/sites', headers: env.as('cashier') })).statusCode,
    ).toBe(200);
    expect(
      (await inject({ method: 'GET', url: '/api/v1/sites', headers: env.as('gate_staff') })).statusCode,
    ).toBe(200);
    const agency = await inject({ method: 'GET', url: '/api/v1/sites', headers: env.as('agency') });
    expect(agency.json().error.code).toBe('FORBIDDEN');
    const cashierCreate = await inject({
      method: 'POST',
      url: '/api/v1/sites',
      payload: { id: 'x', name: { zh: '甲', en: 'A' } },
      headers: env.as('cashier'),
    });
    expect(cashierCreate.statusCode).toBe(403);
    const anonymous = await env.app.inject({ method: 'GET', url: '/api/v1/sites' });
    expect(anonymous.statusCode).toBe(401);
  });

  it('creates a site with defaults and walks its zone, window and gate', async () => {
    const site = await inject({
      method: 'POST',
      url: '/api/v1/sites',
      payload: { id: 'lingyin', name: { zh: '灵隐寺', en: 'Lingyin Temple' } },
    });
    expect(site.statusCode).toBe(201);
    expect(site.json()).toMatchObject({
      id: 'lingyin',
      timezone: 'Asia/Shanghai',
      dailyCapacity: null,
      agePolicy: null,
    });
    const logged = await env.test.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'site.create')
      .executeTakeFirstOrThrow();
    expect([logged.actor_id, logged.actor_username, logged.entity_id]).toEqual([
      env.operators.admin.id,
      'test_admin',
      'lingyin',
    ]);

    const zone = await inject({
      method: 'POST',
      url: '/api/v1/sites/lingyin/zones',
      payload: { id: 'hall', name: { zh: '大殿', en: 'Main hall' }, capacity: 500 },
    });
    expect(zone.statusCode).toBe(201);
    const window = await inject({
      method: 'POST',
      url: '/api/v1/sites/lingyin/windows',
      payload: { id: 'W01', name: { zh: '一号窗口', en: 'Window 1' } },
    });
    expect(window.statusCode).toBe(201);
    const gate = await inject({
      method: 'POST',
      url: '/api/v1/sites/lingyin/gates',
      payload: {
        id: 'ly-01',
        zoneId: 'hall',
        direction: 'in',
        kind: 'tripod',
        name: { zh: '入口', en: 'Entrance' },
      },
    });
    expect(gate.statusCode).toBe(201);
    expect(gate.json()).toMatchObject({ id: 'ly-01', siteId: 'lingyin', zoneId: 'hall', active: true });

    const patched = await inject({
      method: 'PATCH',
      url: '/api/v1/sites/lingyin/gates/ly-01',
      payload: { active: false },
    });
    expect(patched.json()).toMatchObject({ active: false, direction: 'in' });
    const gates = await inject({ method: 'GET', url: '/api/v1/sites/lingyin/gates' });
    expect(gates.json()).toEqual({ gates: [patched.json()], next: null });

    const inUse = await inject({ method: 'DELETE', url: '/api/v1/sites/lingyin/zones/hall' });
    expect(inUse.statusCode).toBe(409);
    expect(inUse.json().error.code).toBe('VENUE_IN_USE');
    expect((await inject({ method: 'DELETE', url: '/api/v1/sites/lingyin/gates/ly-01' })).statusCode).toBe(
      204,
    );
    expect((await inject({ method: 'DELETE', url: '/api/v1/sites/lingyin/zones/hall' })).statusCode).toBe(
      204,
    );
  });

  it.each([
    ['an id that cannot go into an MQTT topic', { id: 'a/b', name: { zh: '甲', en: 'A' } }],
    ['an unknown time zone', { id: 'x', name: { zh: '甲', en: 'A' }, timezone: 'Mars/Olympus' }],
    ['an empty name', { id: 'x', name: { zh: ' ', en: 'A' } }],
    ['an unknown field', { id: 'x', name: { zh: '甲', en: 'A' }, colour: 'red' }],
    ['a fractional capacity', { id: 'x', name: { zh: '甲', en: 'A' }, dailyCapacity: 1.5 }],
    ['a check-out time past 23:59', { id: 'x', name: { zh: '甲', en: 'A' }, autoCheckoutAt: '24:00' }],
    [
      'a check-out time without its leading zero',
      { id: 'x', name: { zh: '甲', en: 'A' }, autoCheckoutAt: '7:30' },
    ],
    [
      'overlapping age rules',
      {
        id: 'x',
        name: { zh: '甲', en: 'A' },
        agePolicy: [
          {
            minAge: 0,
            maxAge: 7,
            discount: { kind: 'permille', payPermille: 0 },
            label: { zh: '儿童', en: 'Child' },
          },
          {
            minAge: 6,
            maxAge: 18,
            discount: { kind: 'permille', payPermille: 500 },
            label: { zh: '少年', en: 'Youth' },
          },
        ],
      },
    ],
  ])('rejects %s with VALIDATION_FAILED and writes nothing', async (_, payload) => {
    const response = await inject({ method: 'POST', url: '/api/v1/sites', payload });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('VALIDATION_FAILED');
    const sites = await inject({ method: 'GET', url: '/api/v1/sites/x' });
    expect(sites.statusCode).toBe(404);
  });

  it('rejects a gate with an unknown direction and answers 404 for an unknown site', async () => {
    const bad = await inject({
      method: 'POST',
      url: '/api/v1/sites/lingyin/gates',
      payload: {
        id: 'g',
        zoneId: 'hall',
        direction: 'sideways',
        kind: 'tripod',
        name: { zh: '甲', en: 'A' },
      },
    });
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    const missing = await inject({
      method: 'GET',
      url: '/api/v1/sites/nowhere/zones',
      headers: { 'accept-language': 'en' },
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.message).toBe('Site not found: nowhere');
  });

  it('sets and clears the automatic check-out time, refusing one that is not HH:MM in both languages', async () => {
    await inject({
      method: 'POST',
      url: '/api/v1/sites',
      payload: { id: 'pool', name: { zh: '泳池', en: 'Pool' } },
    });
    expect((await inject({ method: 'GET', url: '/api/v1/sites/pool' })).json().autoCheckoutAt).toBeNull();
    const set = await inject({
      method: 'PATCH',
      url: '/api/v1/sites/pool',
      payload: { autoCheckoutAt: '22:00' },
    });
    expect(set.statusCode).toBe(200);
    expect(set.json().autoCheckoutAt).toBe('22:00');
    for (const [language, text] of [
      ['zh-CN', '自动清场时间须为 HH:MM'],
      ['en', 'the automatic check-out time must be HH:MM'],
    ] as const) {
      const bad = await inject({
        method: 'PATCH',
        url: '/api/v1/sites/pool',
        payload: { autoCheckoutAt: '22:00:00' },
        headers: { 'accept-language': language },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(bad.json().error)).toContain(text);
    }
    const cleared = await inject({
      method: 'PATCH',
      url: '/api/v1/sites/pool',
      payload: { autoCheckoutAt: null },
    });
    expect(cleared.json().autoCheckoutAt).toBeNull();
    const logged = await env.test.database.db
      .selectFrom('audit_log')
      .select(['before_json', 'after_json'])
      .where('action', '=', 'site.update')
      .orderBy('seq')
      .execute();
    expect(logged.map((row) => JSON.parse(row.after_json!).autoCheckoutAt)).toEqual(['22:00', null]);
  });

  it('serves the age policy presets', async () => {
    const response = await inject({ method: 'GET', url: '/api/v1/age-policy-presets' });
    expect(response.statusCode).toBe(200);
    expect(response.json().map((preset: { id: string }) => preset.id)).toContain(
      'child-free-minor-senior-half',
    );
  });
});

describe.each(databaseBackends())('venue lists page by id on $name', (backend) => {
  let env: AuthTestApp;
  const get = (url: string) => env.app.inject({ method: 'GET', url, headers: env.as('cashier') });
  /** Follows `next` from the first page to the last; returns the pages' ids. */
  const walk = async (path: string, key: string, limit: number) => {
    const pages: string[][] = [];
    let after: string | null = null;
    do {
      const response = await get(`${path}?limit=${limit}${after === null ? '' : `&after=${after}`}`);
      expect(response.statusCode, response.body).toBe(200);
      const body = response.json();
      pages.push(body[key].map((item: { id: string }) => item.id));
      after = body.next;
      if (pages.length > 50) throw new Error('paging does not end');
    } while (after !== null);
    return pages;
  };

  beforeAll(async () => {
    env = await createAuthTestApp(backend);
    const admin = (url: string, payload: object) =>
      env.app.inject({ method: 'POST', url, headers: env.as('admin'), payload });
    const ids = Array.from({ length: 7 }, (_, i) => `s${String(i).padStart(2, '0')}`);
    for (const id of ids.reverse())
      expect((await admin('/api/v1/sites', { id, name: { zh: id, en: id } })).statusCode).toBe(201);
    expect((await admin('/api/v1/sites/s00/zones', { id: 'z', name: { zh: 'z', en: 'z' } })).statusCode).toBe(
      201,
    );
    for (let i = 0; i < 5; i++) {
      const id = `n${i}`;
      expect((await admin('/api/v1/sites/s00/windows', { id, name: { zh: id, en: id } })).statusCode).toBe(
        201,
      );
      expect(
        (
          await admin('/api/v1/sites/s00/gates', {
            id: `g${i}`,
            zoneId: 'z',
            direction: 'in',
            kind: 'tripod',
            name: { zh: id, en: id },
          })
        ).statusCode,
      ).toBe(201);
    }
  });
  afterAll(() => env.dispose());

  it('sites: stable id order, limit per page, next until the last page', async () => {
    expect(await walk('/api/v1/sites', 'sites', 3)).toEqual([
      ['s00', 's01', 's02'],
      ['s03', 's04', 's05'],
      ['s06'],
    ]);
    // Exactly a page's worth: the last page says so (no empty page after it).
    expect(await walk('/api/v1/sites', 'sites', 7)).toEqual([
      ['s00', 's01', 's02', 's03', 's04', 's05', 's06'],
    ]);
    const first = (await get('/api/v1/sites')).json();
    expect(first.sites).toHaveLength(7);
    expect(first.next).toBeNull();
  });

  it('zones, windows and gates of a site page the same way', async () => {
    expect(await walk('/api/v1/sites/s00/zones', 'zones', 1)).toEqual([['z']]);
    expect(await walk('/api/v1/sites/s00/windows', 'windows', 2)).toEqual([
      ['n0', 'n1'],
      ['n2', 'n3'],
      ['n4'],
    ]);
    expect(await walk('/api/v1/sites/s00/gates', 'gates', 4)).toEqual([['g0', 'g1', 'g2', 'g3'], ['g4']]);
    // A cursor past the end is an empty last page, not an error.
    expect((await get('/api/v1/sites/s00/gates?after=zzz')).json()).toEqual({ gates: [], next: null });
    expect((await get('/api/v1/sites/nowhere/gates')).json().error.code).toBe('NOT_FOUND');
  });

  it('refuses bad paging values with VALIDATION_FAILED', async () => {
    for (const query of [
      'limit=0',
      'limit=501',
      'limit=abc',
      'limit=1.5',
      'limit=-3',
      'after=',
      'after=%20x',
      `after=${'a'.repeat(65)}`,
    ]) {
      for (const path of [
        '/api/v1/sites',
        '/api/v1/sites/s00/zones',
        '/api/v1/sites/s00/windows',
        '/api/v1/sites/s00/gates',
      ]) {
        const response = await get(`${path}?${query}`);
        expect(response.statusCode, `${path}?${query}`).toBe(400);
        expect(response.json().error.code).toBe('VALIDATION_FAILED');
      }
    }
    expect((await get('/api/v1/sites?limit=500')).statusCode).toBe(200);
  });
});
