import { ticketTypeRulesSchema } from '@scenic/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../db/testing.js';
import { type AuthTestApp, createAuthTestApp } from '../../platform/auth/testing.js';
import type { SeedRole } from '../../platform/permissions.js';

describe('ticket types over HTTP', () => {
  let env: AuthTestApp;
  const inject = (
    method: 'GET' | 'POST' | 'PATCH',
    url: string,
    payload?: object,
    role: SeedRole = 'admin',
  ) => env.app.inject({ method, url, ...(payload && { payload }), headers: env.as(role) });

  beforeAll(async () => {
    env = await createAuthTestApp(databaseBackends()[0]!);
    const site = await inject('POST', '/api/v1/sites', {
      id: 'xihu',
      name: { zh: '西湖', en: 'West Lake' },
      agePolicy: [
        {
          minAge: 0,
          maxAge: 6,
          discount: { kind: 'permille', payPermille: 0 },
          label: { zh: '儿童', en: 'Child' },
        },
      ],
    });
    expect(site.statusCode).toBe(201);
  });
  afterAll(() => env.dispose());

  it('creates, reads, versions and quotes a ticket type', async () => {
    const created = await inject('POST', '/api/v1/ticket-types', {
      typeId: 7,
      siteId: 'xihu',
      code: 'ADULT',
      name: { zh: '成人票', en: 'Adult' },
      kind: 'single',
      prices: { window: 8000, online: 7500 },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ typeId: 7, version: 1, active: true, entries: 1 });

    const patched = await inject('PATCH', '/api/v1/ticket-types/7', {
      prices: { window: 9000 },
      expectedVersion: 1,
    });
    expect(patched.json()).toMatchObject({ version: 2, prices: { window: 9000 } });
    const stale = await inject('PATCH', '/api/v1/ticket-types/7', {
      prices: { window: 1 },
      expectedVersion: 1,
    });
    expect([stale.statusCode, stale.json().error.code]).toEqual([409, 'TICKET_TYPE_VERSION_STALE']);

    const v1 = await inject('GET', '/api/v1/ticket-types/7/versions/1', undefined, 'finance');
    expect(v1.json().prices).toEqual({ window: 8000, online: 7500 });
    const versions = await inject('GET', '/api/v1/ticket-types/7/versions', undefined, 'cashier');
    expect(versions.json().map((v: { version: number }) => v.version)).toEqual([1, 2]);

    const rules = await inject('GET', '/api/v1/ticket-types/7/gate-rules', undefined, 'gate_staff');
    expect(ticketTypeRulesSchema.safeParse(rules.json()).success).toBe(true);
    const siteRules = await inject(
      'GET',
      '/api/v1/ticket-types/gate-rules?siteId=xihu',
      undefined,
      'gate_staff',
    );
    expect(siteRules.json().map((r: { typeId: number }) => r.typeId)).toEqual([7]);

    const quote = await inject(
      'POST',
      '/api/v1/ticket-types/7/quote',
      { channel: 'window', visitDate: '2025-06-15', birthDate: '2020-01-01' },
      'cashier',
    );
    expect(quote.json()).toMatchObject({ version: 2, age: 5, basePriceFen: 9000, priceFen: 0 });

    const list = await inject('GET', '/api/v1/ticket-types?siteId=xihu', undefined, 'agency');
    expect(list.json().map((t: { code: string }) => t.code)).toEqual(['ADULT']);
  });

  it.each([
    ['a type id above 65535', { typeId: 70000 }],
    ['an unknown kind', { kind: 'vip' }],
    ['a price in yuan with decimals', { prices: { window: 80.5 } }],
    ['a negative price', { prices: { window: -1 } }],
    ['an unknown channel', { prices: { street: 100 } }],
    ['no price at all', { prices: {} }],
    ['gate rules outside the protocol range', { rules: { weekdays: 0x80 } }],
    ['a name too long for gate LEDs', { name: { zh: '票'.repeat(33), en: 'Adult' } }],
    ['a count card with a single entry', { kind: 'count', entries: 1 }],
  ])('rejects %s with 400 VALIDATION_FAILED', async (_, change) => {
    const response = await inject('POST', '/api/v1/ticket-types', {
      typeId: 8,
      siteId: 'xihu',
      code: 'BAD',
      name: { zh: '测试', en: 'Test' },
      kind: 'single',
      prices: { window: 100 },
      ...change,
    });
    expect([response.statusCode, response.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect((await inject('GET', '/api/v1/ticket-types/8')).statusCode).toBe(404);
  });

  it('refuses a validity no QR credential can carry, naming the field and the latest time', async () => {
    const body = {
      typeId: 9,
      siteId: 'xihu',
      code: 'FOREVER',
      name: { zh: '永久卡', en: 'Forever' },
      kind: 'single',
      prices: { window: 100 },
      validity: { from: 'sale', length: { unit: 'month', count: 360 } },
    };
    const response = await env.app.inject({
      method: 'POST',
      url: '/api/v1/ticket-types',
      payload: body,
      headers: { ...env.as('admin'), 'accept-language': 'en' },
    });
    expect([response.statusCode, response.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const [detail] = response.json().error.details;
    expect(detail.path).toEqual(['validity', 'length']);
    expect(detail.message).toMatch(/up to 2055-11-25 04:15 \(site time\)/);
    expect(detail.messages['zh-CN']).toContain('2055-11-25 04:15');
    expect((await inject('GET', '/api/v1/ticket-types/9')).statusCode).toBe(404);

    const created = await inject('POST', '/api/v1/ticket-types', { ...body, validity: undefined });
    expect(created.statusCode).toBe(201);
    const patched = await inject('PATCH', '/api/v1/ticket-types/9', { validity: body.validity });
    expect([patched.statusCode, patched.json().error.details[0].path]).toEqual([400, ['validity', 'length']]);
  });

  it('answers quote problems with their own codes', async () => {
    const badId = await inject('POST', '/api/v1/ticket-types/7/quote', {
      channel: 'window',
      visitDate: '2025-06-15',
      idNumber: '110105194912310021',
    });
    expect([badId.statusCode, badId.json().error.code, badId.json().error.details.problem]).toEqual([
      400,
      'ID_NUMBER_INVALID',
      'checksum',
    ]);
    const channel = await inject('POST', '/api/v1/ticket-types/7/quote', {
      channel: 'ota',
      visitDate: '2025-06-15',
    });
    expect(channel.json().error.code).toBe('TICKET_TYPE_NOT_ON_CHANNEL');
  });

  it('keeps ticket_types.manage to those who hold it', async () => {
    for (const role of ['cashier', 'finance', 'agency', 'gate_staff'] as const) {
      const response = await inject('PATCH', '/api/v1/ticket-types/7', { active: false }, role);
      expect(response.statusCode, role).toBe(403);
    }
    const control = await inject('GET', '/api/v1/ticket-types', undefined, 'control_room');
    expect(control.statusCode).toBe(403);
  });

  it('documents the routes with bilingual summaries', async () => {
    const document = (await env.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(document.paths['/api/v1/ticket-types/{typeId}/quote'].post.summary).toMatch(/询价.*Price quote/);
    expect(document.paths['/api/v1/sites/{siteId}/gates'].post.summary).toMatch(/登记闸机.*Register a gate/);
  });
});
