/** The automatic check-out runs over HTTP: a site's runs newest first, 404 for an unknown site, a bounded limit. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../db/testing.js';
import { silentLogger } from '../../mqtt/testing.js';
import { type AuthTestApp, createAuthTestApp } from '../../platform/auth/testing.js';
import { OccupancyService } from './service.js';

describe('automatic check-out runs over HTTP', () => {
  let env: AuthTestApp;

  beforeAll(async () => {
    env = await createAuthTestApp(databaseBackends()[0]!);
  });
  afterAll(() => env.dispose());

  it('lists a site’s runs newest first', async () => {
    const created = await env.app.inject({
      method: 'POST',
      url: '/api/v1/sites',
      headers: env.as('admin'),
      payload: { id: 'pool', name: { zh: '泳池', en: 'Pool' }, autoCheckoutAt: '22:00' },
    });
    expect(created.json().autoCheckoutAt).toBe('22:00');
    // 22:00 in Shanghai on 10 and 11 December 2026, each run a minute late.
    const first = Date.UTC(2026, 11, 10, 14);
    let now = first + 60_000;
    const occupancy = new OccupancyService(
      env.test.database.db,
      { resetHour: 4, hysteresisPct: 3 },
      silentLogger,
      () => now,
    );
    await occupancy.checkOut('pool', 'Asia/Shanghai', '2026-12-10', first);
    now += 86_400_000;
    await occupancy.checkOut('pool', 'Asia/Shanghai', '2026-12-11', first + 86_400_000);
    // The same day again: nothing.
    expect(await occupancy.checkOut('pool', 'Asia/Shanghai', '2026-12-11', first + 86_400_000)).toBeNull();

    const runs = await env.app.inject({
      method: 'GET',
      url: '/api/v1/occupancy/sites/pool/auto-checkouts?limit=5',
      headers: env.as('admin'),
    });
    expect(runs.statusCode).toBe(200);
    expect(runs.json().items).toEqual([
      {
        siteId: 'pool',
        day: '2026-12-11',
        at: first + 86_400_000,
        occupancyDay: '2026-12-11',
        checkedOut: 0,
        ranAt: first + 86_460_000,
      },
      {
        siteId: 'pool',
        day: '2026-12-10',
        at: first,
        occupancyDay: '2026-12-10',
        checkedOut: 0,
        ranAt: first + 60_000,
      },
    ]);
    const unknown = await env.app.inject({
      method: 'GET',
      url: '/api/v1/occupancy/sites/nowhere/auto-checkouts',
      headers: env.as('admin'),
    });
    expect(unknown.statusCode).toBe(404);
    const tooMany = await env.app.inject({
      method: 'GET',
      url: '/api/v1/occupancy/sites/pool/auto-checkouts?limit=1000',
      headers: env.as('admin'),
    });
    expect(tooMany.json().error.code).toBe('VALIDATION_FAILED');
  });
});
