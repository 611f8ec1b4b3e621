import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../db/testing.js';
import { type AuthTestApp, createAuthTestApp } from '../../platform/auth/testing.js';

describe('capacity over HTTP', () => {
  let env: AuthTestApp;

  beforeAll(async () => {
    env = await createAuthTestApp(databaseBackends()[0]!);
    const site = await env.app.inject({
      method: 'POST',
      url: '/api/v1/sites',
      headers: env.as('admin'),
      payload: { id: 'park', name: { zh: '公园', en: 'Park' }, dailyCapacity: 500 },
    });
    expect(site.statusCode).toBe(201);
  });
  afterAll(() => env.dispose());

  it('lets managers define slots and cashiers read availability', async () => {
    const body = {
      siteId: 'park',
      date: '2026-12-01',
      slots: [
        { start: '09:00', end: '11:00', cap: 200 },
        { start: '11:00', end: '13:00', cap: 200 },
      ],
    };
    expect(
      (
        await env.app.inject({
          method: 'POST',
          url: '/api/v1/capacity/slots',
          headers: env.as('cashier'),
          payload: body,
        })
      ).statusCode,
    ).toBe(403);
    const created = await env.app.inject({
      method: 'POST',
      url: '/api/v1/capacity/slots',
      headers: env.as('admin'),
      payload: body,
    });
    expect(created.statusCode).toBe(201);
    const availability = await env.app.inject({
      method: 'GET',
      url: '/api/v1/capacity/availability?siteId=park&date=2026-12-01',
      headers: env.as('cashier'),
    });
    expect(availability.statusCode).toBe(200);
    expect(availability.json()).toMatchObject({
      daily: { cap: 500, sold: 0, remaining: 500 },
      slots: [
        { start: '09:00', end: '11:00', remaining: 200 },
        { start: '11:00', end: '13:00', remaining: 200 },
      ],
    });
    const patched = await env.app.inject({
      method: 'PATCH',
      url: `/api/v1/capacity/slots/${created.json()[0].id}`,
      headers: env.as('admin'),
      payload: { cap: 150 },
    });
    expect(patched.json()).toMatchObject({ cap: 150, remaining: 150 });

    const calendar = await env.app.inject({
      method: 'GET',
      url: '/api/v1/capacity/calendar?siteId=park&from=2026-11-30&to=2026-12-31',
      headers: env.as('cashier'),
    });
    expect(calendar.statusCode).toBe(200);
    expect(calendar.json().days).toHaveLength(32);
    expect(calendar.json().days[1]).toEqual({
      date: '2026-12-01',
      cap: 500,
      sold: 0,
      remaining: 500,
      slots: { count: 2, cap: 350, sold: 0 },
    });
    const tooLong = await env.app.inject({
      method: 'GET',
      url: '/api/v1/capacity/calendar?siteId=park&from=2026-01-01&to=2026-12-31',
      headers: env.as('cashier'),
    });
    expect([tooLong.statusCode, tooLong.json().error.code, tooLong.json().error.details[0].path]).toEqual([
      400,
      'VALIDATION_FAILED',
      ['to'],
    ]);
    const noAccess = await env.app.inject({
      method: 'GET',
      url: '/api/v1/capacity/calendar?siteId=park&from=2026-12-01&to=2026-12-31',
      headers: env.as('gate_staff'),
    });
    expect(noAccess.statusCode).toBe(403);
  });

  it('refuses overlapping, inverted and malformed slots with 400 and unknown sites with 404', async () => {
    const post = (payload: unknown) =>
      env.app.inject({
        method: 'POST',
        url: '/api/v1/capacity/slots',
        headers: env.as('admin'),
        payload: payload as object,
      });
    const overlapping = await post({
      siteId: 'park',
      date: '2026-12-02',
      slots: [
        { start: '09:00', end: '11:00', cap: 1 },
        { start: '10:00', end: '12:00', cap: 1 },
      ],
    });
    expect(overlapping.json().error.code).toBe('VALIDATION_FAILED');
    expect(
      (await post({ siteId: 'park', date: '2026-12-02', slots: [{ start: '12:00', end: '09:00', cap: 1 }] }))
        .statusCode,
    ).toBe(400);
    expect(
      (await post({ siteId: 'park', date: '2026-02-30', slots: [{ start: '09:00', end: '10:00', cap: 1 }] }))
        .statusCode,
    ).toBe(400);
    expect(
      (await post({ siteId: 'park', date: '2026-12-02', slots: [{ start: '9:00', end: '10:00', cap: 1 }] }))
        .statusCode,
    ).toBe(400);
    expect(
      (await post({ siteId: 'nope', date: '2026-12-02', slots: [{ start: '09:00', end: '10:00', cap: 1 }] }))
        .statusCode,
    ).toBe(404);
  });
});
