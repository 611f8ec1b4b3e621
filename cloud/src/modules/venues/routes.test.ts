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
    expect(gates.json()).toEqual([patched.json()]);

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

  it('serves the age policy presets', async () => {
    const response = await inject({ method: 'GET', url: '/api/v1/age-policy-presets' });
    expect(response.statusCode).toBe(200);
    expect(response.json().map((preset: { id: string }) => preset.id)).toContain(
      'child-free-minor-senior-half',
    );
  });
});
