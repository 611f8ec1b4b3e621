import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../db/testing.js';
import { type AuthTestApp, createAuthTestApp, insertTestOperator } from '../../platform/auth/testing.js';
import type { SeedRole } from '../../platform/permissions.js';

describe.each(databaseBackends())('agencies over HTTP on $name', (backend) => {
  let env: AuthTestApp;
  let alpha: string;
  let bravo: string;

  async function call(role: SeedRole, method: string, url: string, payload?: object) {
    const response = await env.app.inject({
      method: method as 'GET',
      url,
      headers: env.as(role),
      ...(payload && { payload }),
    });
    return {
      status: response.statusCode,
      body: response.body ? response.json() : undefined,
    };
  }

  async function ok(role: SeedRole, method: string, url: string, payload?: object) {
    const answer = await call(role, method, url, payload);
    if (answer.status >= 300)
      throw new Error(`${method} ${url} → ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  beforeAll(async () => {
    env = await createAuthTestApp(backend);
    await ok('admin', 'POST', '/api/v1/sites', { id: 'park', name: { zh: '公园', en: 'Park' } });
    await ok('admin', 'POST', '/api/v1/ticket-types', {
      typeId: 101,
      siteId: 'park',
      code: 'ADULT',
      name: { zh: '成人', en: 'Adult' },
      kind: 'single',
      prices: { window: 10_000, agency: 8_000 },
    });
    await ok('admin', 'POST', '/api/v1/ticket-types', {
      typeId: 102,
      siteId: 'park',
      code: 'WINDOW',
      name: { zh: '窗口', en: 'Window' },
      kind: 'single',
      prices: { window: 5_000 },
    });
    alpha = (
      await ok('admin', 'POST', '/api/v1/agencies', {
        name: '阿尔法旅行社',
        licenceNo: 'L-ALPHA',
        contacts: [{ name: '王', phone: '13800000001' }],
        paymentMode: 'prepaid',
      })
    ).id;
    bravo = (
      await ok('admin', 'POST', '/api/v1/agencies', {
        name: 'Bravo Travel',
        licenceNo: 'L-BRAVO',
        paymentMode: 'credit',
        creditLimitFen: 100_000,
      })
    ).id;
  });
  afterAll(() => env.dispose());

  it('lets managers keep accounts, finance move money, and nobody else', async () => {
    expect((await call('cashier', 'GET', '/api/v1/agencies')).status).toBe(403);
    expect(
      (
        await call('finance', 'POST', '/api/v1/agencies', {
          name: 'x',
          licenceNo: 'x',
          paymentMode: 'window',
        })
      ).status,
    ).toBe(403);
    const list = await ok('finance', 'GET', '/api/v1/agencies?limit=1');
    expect(list.agencies).toHaveLength(1);
    expect(list.next).not.toBeNull();
    const rest = await ok('finance', 'GET', `/api/v1/agencies?limit=1&after=${list.next}`);
    expect(rest.agencies).toHaveLength(1);
    expect(rest.next).toBeNull();
    expect([list.agencies[0].id, rest.agencies[0].id].sort()).toEqual([alpha, bravo].sort());

    const topUp = await call('finance', 'POST', `/api/v1/agencies/${alpha}/top-ups`, {
      amountFen: 50_000,
      note: 'bank 001',
    });
    expect(topUp.status).toBe(201);
    expect(topUp.body).toMatchObject({
      seq: 1,
      kind: 'topup',
      amountFen: 50_000,
      balanceAfterFen: 50_000,
      actor: 'test_finance',
    });
    expect(
      (await call('finance', 'POST', `/api/v1/agencies/${alpha}/adjustments`, { amountFen: -500 })).status,
    ).toBe(400);
    const adjusted = await ok('finance', 'POST', `/api/v1/agencies/${alpha}/adjustments`, {
      amountFen: -500,
      reason: 'bank fee withheld',
    });
    expect(adjusted).toMatchObject({
      seq: 2,
      kind: 'adjustment',
      balanceAfterFen: 49_500,
      note: 'bank fee withheld',
    });
    expect(
      (await call('admin', 'PATCH', `/api/v1/agencies/${alpha}`, { status: 'suspended' })).body.status,
    ).toBe('suspended');
    expect((await call('finance', 'PATCH', `/api/v1/agencies/${alpha}`, { status: 'active' })).status).toBe(
      403,
    );
    await ok('admin', 'PATCH', `/api/v1/agencies/${alpha}`, { status: 'active' });
    expect(
      (
        await call('admin', 'POST', '/api/v1/agencies', {
          name: 'Dup',
          licenceNo: 'L-ALPHA',
          paymentMode: 'window',
        })
      ).body.error.code,
    ).toBe('AGENCY_LICENCE_TAKEN');

    const audit = await env.test.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity', '=', 'agency')
      .where('entity_id', '=', alpha)
      .orderBy('seq')
      .execute();
    expect(audit.map((row) => row.action)).toEqual([
      'agency.create',
      'agency.topup',
      'agency.adjust',
      'agency.update',
      'agency.update',
    ]);
  });

  it('authorises types at most at their agency price', async () => {
    const put = (typeId: number, payload: object) =>
      call('admin', 'PUT', `/api/v1/agencies/${alpha}/types/${typeId}`, payload);
    expect((await put(101, { priceFen: 8_001 })).body.error.code).toBe('AGENCY_PRICE_ABOVE_CHANNEL');
    expect((await put(102, { priceFen: 100 })).body.error.code).toBe('TICKET_TYPE_NOT_ON_CHANNEL');
    expect((await put(999, { priceFen: 100 })).status).toBe(404);
    const authorised = await put(101, {
      priceFen: 7_000,
      dated: [{ from: '2026-10-01', to: '2026-10-07', priceFen: 7_800 }],
    });
    expect(authorised.status).toBe(200);
    expect(authorised.body).toMatchObject({
      typeId: 101,
      priceFen: 7_000,
      dated: [{ from: '2026-10-01', to: '2026-10-07', priceFen: 7_800 }],
    });
    expect((await ok('finance', 'GET', `/api/v1/agencies/${alpha}/types`)).types).toHaveLength(1);
    await ok('admin', 'PUT', `/api/v1/agencies/${bravo}/types/101`, { priceFen: 7_500 });
    expect((await call('admin', 'DELETE', `/api/v1/agencies/${bravo}/types/101`)).status).toBe(204);
    expect((await call('admin', 'DELETE', `/api/v1/agencies/${bravo}/types/101`)).status).toBe(404);
  });

  it('shows an agency operator its own agency and nothing of another', async () => {
    const agencyOperator = env.operators.agency.id;
    // Not linked yet: it acts for no agency.
    expect((await call('agency', 'GET', '/api/v1/agencies/mine')).status).toBe(404);
    // Only operators of the agency role can be linked.
    expect(
      (await call('admin', 'PUT', `/api/v1/agencies/${alpha}/operators/${env.operators.cashier.id}`)).status,
    ).toBe(400);
    expect((await call('admin', 'PUT', `/api/v1/agencies/${alpha}/operators/${agencyOperator}`)).status).toBe(
      200,
    );
    expect((await ok('finance', 'GET', `/api/v1/agencies/${alpha}/operators`)).operators).toEqual([
      { operatorId: agencyOperator, linkedAt: expect.any(Number) },
    ]);

    const mine = await ok('agency', 'GET', '/api/v1/agencies/mine');
    expect(mine).toMatchObject({
      id: alpha,
      paymentMode: 'prepaid',
      balanceFen: 49_500,
      availableFen: 49_500,
    });
    expect(
      (await ok('agency', 'GET', '/api/v1/agencies/mine/types')).types.map(
        (t: { typeId: number }) => t.typeId,
      ),
    ).toEqual([101]);
    const ledger = await ok('agency', 'GET', '/api/v1/agencies/mine/ledger?limit=1');
    expect(ledger.entries.map((e: { seq: number }) => e.seq)).toEqual([2]);
    expect(ledger.next).toBe(2);
    expect(
      (await ok('agency', 'GET', '/api/v1/agencies/mine/ledger?before=2')).entries.map(
        (e: { seq: number }) => e.seq,
      ),
    ).toEqual([1]);
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const statement = await ok('agency', 'GET', `/api/v1/agencies/mine/statement?from=${today}&to=${today}`);
    expect(statement).toMatchObject({
      agencyId: alpha,
      openingBalanceFen: 0,
      topUpsFen: 50_000,
      debitsFen: 500,
      creditsFen: 0,
      closingBalanceFen: 49_500,
    });
    expect(statement.byKind.adjustment).toEqual({ count: 1, amountFen: -500 });

    // Every other agency route, its own agency's included, is the staff's: 403.
    for (const url of [
      '/api/v1/agencies',
      `/api/v1/agencies/${bravo}`,
      `/api/v1/agencies/${bravo}/ledger`,
      `/api/v1/agencies/${alpha}`,
    ])
      expect((await call('agency', 'GET', url)).status).toBe(403);
    expect((await call('agency', 'POST', `/api/v1/agencies/${alpha}/top-ups`, { amountFen: 1 })).status).toBe(
      403,
    );

    expect(
      (await call('admin', 'DELETE', `/api/v1/agencies/${alpha}/operators/${agencyOperator}`)).status,
    ).toBe(204);
    expect((await call('agency', 'GET', '/api/v1/agencies/mine')).status).toBe(404);
  });

  it('keeps a linked operator to its own agency even when another role grants agency permissions', async () => {
    const db = env.test.database.db;
    const id = await insertTestOperator(db, 'agency_finance', 'agency', { password: 'agency-finance-pw-1' });
    await db.insertInto('operator_roles').values({ operator_id: id, role_code: 'finance' }).execute();
    const login = await env.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'agency_finance', password: 'agency-finance-pw-1' },
    });
    const headers = { authorization: `Bearer ${login.json().token}` };
    const list = () => env.app.inject({ method: 'GET', url: '/api/v1/agencies', headers });
    expect((await list()).statusCode).toBe(200);
    await ok('admin', 'PUT', `/api/v1/agencies/${bravo}/operators/${id}`);
    const refused = await list();
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('FORBIDDEN');
    const mine = await env.app.inject({ method: 'GET', url: '/api/v1/agencies/mine', headers });
    expect(mine.json().id).toBe(bravo);
  });

  it('refuses the statement of a reversed period', async () => {
    const answer = await call(
      'finance',
      'GET',
      `/api/v1/agencies/${alpha}/statement?from=2026-12-02&to=2026-12-01`,
    );
    expect(answer.status).toBe(400);
  });
});
