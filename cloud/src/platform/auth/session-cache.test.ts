import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../db/testing.js';
import { AuthService } from './service.js';
import { clearSessionCache, SESSION_CACHE_TTL_MS } from './session-cache.js';
import { type AuthTestApp, createAuthTestApp } from './testing.js';

describe.each(databaseBackends())('cached sessions on $name', (backend) => {
  let env: AuthTestApp;
  beforeEach(async () => {
    env = await createAuthTestApp(backend);
  });
  afterEach(() => env.dispose());

  // sales.read is the cashier's; the request before each change puts the session in the cache.
  const salesList = (role: 'cashier' | 'admin') =>
    env.app
      .inject({ method: 'GET', url: '/api/v1/sales', headers: env.as(role) })
      .then((response) => response.statusCode);
  const asAdmin = (method: 'POST' | 'PATCH', url: string, payload?: object) =>
    env.app.inject({ method, url, headers: env.as('admin'), ...(payload && { payload }) });

  it('a logout ends the session at once', async () => {
    expect(await salesList('cashier')).toBe(200);
    const out = await env.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: env.as('cashier'),
    });
    expect(out.statusCode).toBeLessThan(300);
    expect(await salesList('cashier')).toBe(401);
  });

  it('a permission taken from a role stops working at once, and one given back works at once', async () => {
    expect(await salesList('cashier')).toBe(200);
    const role = await asAdmin('POST', '/api/v1/roles', {
      code: 'seller_lite',
      name: { 'zh-CN': '售票', en: 'Seller' },
      permissions: ['sales.read'],
    });
    expect(role.statusCode).toBe(201);
    const cashier = env.operators.cashier;
    expect(
      (await asAdmin('PATCH', `/api/v1/operators/${cashier.id}`, { roles: ['seller_lite'] })).statusCode,
    ).toBe(200);
    expect(await salesList('cashier')).toBe(200);
    expect((await asAdmin('PATCH', '/api/v1/roles/seller_lite', { permissions: [] })).statusCode).toBe(200);
    expect(await salesList('cashier')).toBe(403);
    expect(
      (await asAdmin('PATCH', '/api/v1/roles/seller_lite', { permissions: ['sales.read'] })).statusCode,
    ).toBe(200);
    expect(await salesList('cashier')).toBe(200);
  });

  it('a deactivated operator and a reset password sign the operator out at once', async () => {
    expect(await salesList('cashier')).toBe(200);
    const cashier = env.operators.cashier;
    expect((await asAdmin('PATCH', `/api/v1/operators/${cashier.id}`, { active: false })).statusCode).toBe(
      200,
    );
    expect(await salesList('cashier')).toBe(401);

    expect(await salesList('admin')).toBe(200);
    const finance = env.operators.finance;
    const me = { method: 'GET' as const, url: '/api/v1/auth/me', headers: env.as('finance') };
    expect((await env.app.inject(me)).statusCode).toBe(200);
    const reset = await asAdmin('POST', `/api/v1/operators/${finance.id}/password`, {
      password: 'a-new-password-2026',
    });
    expect(reset.statusCode).toBeLessThan(300);
    expect((await env.app.inject(me)).statusCode).toBe(401);
  });

  it('a change made by another process (not audited here) is seen within the TTL', async () => {
    let now = Date.now();
    const auth = new AuthService(env.test.database.db, env.config.auth, () => now);
    const token = env.operators.cashier.token;
    expect(await auth.authenticate(token)).toMatchObject({ username: 'test_cashier' });
    await env.test.database.db.updateTable('sessions').set({ revoked_at: now }).execute();
    now += SESSION_CACHE_TTL_MS - 1;
    expect(await auth.authenticate(token)).toMatchObject({ username: 'test_cashier' });
    now += 1;
    expect(await auth.authenticate(token)).toBeUndefined();
  });

  it('a cached session never outlives its expiry', async () => {
    let now = Date.now();
    const auth = new AuthService(env.test.database.db, { ...env.config.auth, sessionTtlMs: 500 }, () => now);
    const { token } = await auth.login('test_cashier', 'password-cashier', {});
    expect(await auth.authenticate(token)).toBeDefined();
    now += 500;
    expect(await auth.authenticate(token)).toBeUndefined();
  });

  it('a read that was in flight when the cache was emptied is not kept', async () => {
    const now = Date.now();
    const auth = new AuthService(env.test.database.db, env.config.auth, () => now);
    const token = env.operators.cashier.token;
    const inFlight = auth.authenticate(token);
    clearSessionCache();
    expect(await inFlight).toMatchObject({ username: 'test_cashier' });
    await env.test.database.db.updateTable('sessions').set({ revoked_at: now }).execute();
    expect(await auth.authenticate(token)).toBeUndefined();
  });
});
