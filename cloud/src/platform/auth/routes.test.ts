import Fastify from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { databaseBackends } from '../../db/testing.js';
import { installAuth, UndeclaredAccessError } from './enforce.js';
import { AuthService } from './service.js';
import { type AuthTestApp, createAuthTestApp, insertTestOperator } from './testing.js';

const login = (env: AuthTestApp, username: string, password: string, ip = '10.0.0.1') =>
  env.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password },
    remoteAddress: ip,
  });

describe.each(databaseBackends())('sign-in on $name', (backend) => {
  let env: AuthTestApp;
  beforeEach(async () => {
    env = await createAuthTestApp(backend);
  });
  afterEach(() => env.dispose());

  it('sets an HttpOnly SameSite=Strict cookie and returns the token; both authenticate /me; logout ends it', async () => {
    const response = await login(env, 'TEST_Cashier', 'password-cashier');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.operator).toMatchObject({ username: 'test_cashier', roles: ['cashier'] });
    expect(body.operator.permissions).toContain('sales.sell');
    expect(body.operator.permissions).not.toContain('operators.manage');
    const cookie = response.cookies.find((c) => c.name === 'scenic_session');
    expect(cookie).toMatchObject({ value: body.token, httpOnly: true, sameSite: 'Strict', path: '/' });

    const byCookie = await env.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      cookies: { scenic_session: body.token },
    });
    expect(byCookie.statusCode).toBe(200);
    expect(byCookie.json().username).toBe('test_cashier');
    const byBearer = await env.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { authorization: `Bearer ${body.token}` },
    });
    expect(byBearer.json().id).toBe(body.operator.id);

    const stored = await env.test.database.db.selectFrom('sessions').select('token_hash').execute();
    expect(stored.map((s) => s.token_hash)).not.toContain(body.token);

    const logout = await env.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      cookies: { scenic_session: body.token },
    });
    expect(logout.statusCode).toBe(204);
    expect(logout.cookies.find((c) => c.name === 'scenic_session')?.value).toBe('');
    const after = await env.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { authorization: `Bearer ${body.token}` },
    });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('answers a wrong password and an unknown username alike, both after an argon2 check', async () => {
    const timed = async (username: string) => {
      const start = performance.now();
      const response = await login(env, username, 'not-the-password');
      return { response, ms: performance.now() - start };
    };
    // Warm-up first (the first sign-in loads argon2 and compiles the route), then alternating rounds, compared by
    // their medians: one slow round on a busy machine must not decide the comparison. Three wrong passwords stay
    // below the lockout (5).
    await timed('nobody_here');
    for (let i = 0; i < 5; i++) await login(env, 'test_agency', 'wrong-password');
    const wrong: Awaited<ReturnType<typeof timed>>[] = [];
    const unknown: Awaited<ReturnType<typeof timed>>[] = [];
    const locked: Awaited<ReturnType<typeof timed>>[] = [];
    for (let round = 0; round < 3; round++) {
      wrong.push(await timed('test_cashier'));
      unknown.push(await timed('nobody_here'));
      locked.push(await timed('test_agency'));
    }
    for (const { response } of [...wrong, ...unknown, ...locked]) {
      expect(response.statusCode).toBe(401);
      expect(response.json().error.code).toBe('INVALID_CREDENTIALS');
    }
    const median = (runs: { ms: number }[]) => runs.map((run) => run.ms).sort((a, b) => a - b)[1]!;
    // The decoy verification makes an unknown name cost a real argon2 check (several ms), not a bare lookup; a
    // locked account is checked against its hash all the same.
    expect(median(unknown)).toBeGreaterThan(median(wrong) * 0.3);
    expect(median(locked)).toBeGreaterThan(median(wrong) * 0.3);
  });

  it('locks after 5 wrong passwords, refuses even the right one, and an administrator unlocks', async () => {
    for (let i = 1; i <= 4; i++)
      expect((await login(env, 'test_agency', 'wrong-password')).json().error.code).toBe(
        'INVALID_CREDENTIALS',
      );
    // The fifth locks the account, which answers like any wrong credentials (see service.ts).
    const fifth = await login(env, 'test_agency', 'wrong-password');
    expect([fifth.statusCode, fifth.json().error.code]).toEqual([401, 'INVALID_CREDENTIALS']);
    expect((await login(env, 'test_agency', 'password-agency')).json().error.code).toBe(
      'INVALID_CREDENTIALS',
    );

    // The lock shows where administrators look: the operator list and the operation log.
    const listed = await env.app.inject({
      method: 'GET',
      url: '/api/v1/operators?q=test_agency',
      headers: env.as('admin'),
    });
    expect(listed.json().items[0].lockedUntil).toBeGreaterThan(Date.now());

    const id = env.operators.agency.id;
    const denied = await env.app.inject({
      method: 'POST',
      url: `/api/v1/operators/${id}/unlock`,
      headers: env.as('finance'),
    });
    expect(denied.statusCode).toBe(403);
    const unlock = await env.app.inject({
      method: 'POST',
      url: `/api/v1/operators/${id}/unlock`,
      headers: env.as('admin'),
    });
    expect(unlock.statusCode).toBe(200);
    expect(unlock.json()).toMatchObject({ failedLogins: 0, lockedUntil: null });
    expect((await login(env, 'test_agency', 'password-agency')).statusCode).toBe(200);

    const audit = await env.app.inject({
      method: 'GET',
      url: `/api/v1/audit?entityId=${id}`,
      headers: env.as('admin'),
    });
    expect(audit.json().items.map((e: { action: string }) => e.action)).toEqual([
      'auth.login',
      'operator.unlock',
      'operator.lock',
      'auth.login',
    ]);
  });

  it('an administrator’s unlock also lifts a lock on asking for second approvals, shown on the operator', async () => {
    const id = env.operators.cashier.id;
    const until = Date.now() + 15 * 60_000;
    await env.test.database.db
      .updateTable('operators')
      .set({ failed_approvals: 5, approvals_locked_until: until })
      .where('id', '=', id)
      .execute();
    const listed = await env.app.inject({
      method: 'GET',
      url: `/api/v1/operators?q=${env.operators.cashier.username}`,
      headers: env.as('admin'),
    });
    expect(listed.json().items[0]).toMatchObject({ lockedUntil: null, approvalsLockedUntil: until });
    const unlock = await env.app.inject({
      method: 'POST',
      url: `/api/v1/operators/${id}/unlock`,
      headers: env.as('admin'),
    });
    expect(unlock.statusCode, unlock.body).toBe(200);
    expect(unlock.json()).toMatchObject({ lockedUntil: null, approvalsLockedUntil: null });
    const row = await env.test.database.db
      .selectFrom('operators')
      .select(['failed_approvals', 'approvals_locked_until'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ failed_approvals: 0, approvals_locked_until: null });
  });
  it('tells a locked account, an unknown name, an inactive account and a wrong password apart by nothing', async () => {
    for (let i = 0; i < 5; i++) await login(env, 'test_agency', 'wrong-password');
    await env.test.database.db
      .updateTable('operators')
      .set({ active: 0 })
      .where('username', '=', 'test_finance')
      .execute();
    for (const language of ['zh-CN', 'en']) {
      const answer = async (username: string, password: string) => {
        const response = await env.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username, password },
          headers: { 'accept-language': language },
        });
        // Rate-limit headers count per address, not per account; the date moves on.
        const headers = Object.entries(response.headers).filter(
          ([name]) => name !== 'date' && !name.startsWith('x-ratelimit'),
        );
        return { status: response.statusCode, headers, body: response.body };
      };
      const unknown = await answer('nobody_here', 'wrong-password');
      expect(unknown.status).toBe(401);
      expect(JSON.parse(unknown.body).error.code).toBe('INVALID_CREDENTIALS');
      expect(await answer('test_agency', 'wrong-password'), language).toEqual(unknown);
      expect(await answer('test_agency', 'password-agency'), language).toEqual(unknown);
      expect(await answer('test_finance', 'password-finance'), language).toEqual(unknown);
      expect(await answer('test_cashier', 'wrong-password'), language).toEqual(unknown);
    }
  });

  it('counts parallel wrong guesses exactly: 12 at once lock the account once', async () => {
    const responses = await Promise.all(
      Array.from({ length: 12 }, () => login(env, 'test_finance', 'guess-guess')),
    );
    expect(responses.map((r) => [r.statusCode, r.json().error.code])).toEqual(
      Array(12).fill([401, 'INVALID_CREDENTIALS']),
    );
    const locks = await env.test.database.db
      .selectFrom('audit_log')
      .select('seq')
      .where('action', '=', 'operator.lock')
      .execute();
    expect(locks).toHaveLength(1);
  });

  it('401 without a session, 401 for a made-up token, 403 without the permission', async () => {
    expect((await env.app.inject({ method: 'GET', url: '/api/v1/operators' })).json().error.code).toBe(
      'UNAUTHENTICATED',
    );
    const madeUp = await env.app.inject({
      method: 'GET',
      url: '/api/v1/operators',
      headers: { authorization: `Bearer ${'x'.repeat(43)}` },
    });
    expect(madeUp.statusCode).toBe(401);
    const cashier = await env.app.inject({
      method: 'GET',
      url: '/api/v1/operators',
      headers: env.as('cashier'),
    });
    expect(cashier.statusCode).toBe(403);
    expect(cashier.json().error.code).toBe('FORBIDDEN');
    const admin = await env.app.inject({ method: 'GET', url: '/api/v1/operators', headers: env.as('admin') });
    expect(admin.statusCode).toBe(200);
    expect(admin.json().total).toBe(6);
  });

  it('changing one’s own password checks the current one and ends the other sessions', async () => {
    const other = (await login(env, 'test_gate_staff', 'password-gate_staff')).json().token;
    const wrong = await env.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: env.as('gate_staff'),
      payload: { currentPassword: 'nope-nope', newPassword: 'a-new-password' },
    });
    expect(wrong.json().error.code).toBe('CURRENT_PASSWORD_INCORRECT');
    const weak = await env.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: env.as('gate_staff'),
      payload: { currentPassword: 'password-gate_staff', newPassword: 'TEST_GATE_STAFF' },
    });
    expect(weak.json().error.code).toBe('PASSWORD_POLICY');
    const ok = await env.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: env.as('gate_staff'),
      payload: { currentPassword: 'password-gate_staff', newPassword: 'a-new-password' },
    });
    expect(ok.statusCode).toBe(204);
    expect(
      (await env.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: env.as('gate_staff') }))
        .statusCode,
    ).toBe(200);
    const ended = await env.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { authorization: `Bearer ${other}` },
    });
    expect(ended.statusCode).toBe(401);
    expect((await login(env, 'test_gate_staff', 'a-new-password')).statusCode).toBe(200);
  });

  it('a password an administrator set: only /me, /password and /logout until it is changed, then at once all', async () => {
    await insertTestOperator(env.test.database.db, 'given_pw', 'cashier', {
      password: 'set-by-admin-1',
      mustChangePassword: true,
    });
    const first = (await login(env, 'given_pw', 'set-by-admin-1')).json();
    expect(first.operator).toMatchObject({ username: 'given_pw', mustChangePassword: true });
    const headers = { authorization: `Bearer ${first.token}`, 'accept-language': 'en' };
    const get = (url: string) => env.app.inject({ method: 'GET', url, headers });
    const change = (currentPassword: string, newPassword: string) =>
      env.app.inject({
        method: 'POST',
        url: '/api/v1/auth/password',
        headers,
        payload: { currentPassword, newPassword },
      });
    const refused = await get('/api/v1/sales');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatchObject({
      code: 'PASSWORD_CHANGE_REQUIRED',
      message: expect.stringContaining('POST /api/v1/auth/password'),
      messages: { 'zh-CN': expect.stringContaining('修改') },
    });
    // Asked before the permission: a route the cashier may not use says the same, so the client knows what to do.
    expect((await get('/api/v1/operators')).json().error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect((await get('/api/v1/auth/second-approval')).json().error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    const me = await get('/api/v1/auth/me');
    expect(me.json()).toMatchObject({ mustChangePassword: true, sessionExpiresAt: first.expiresAt });

    // Signing in again does not lift it; failed changes do not either.
    const other = (await login(env, 'given_pw', 'set-by-admin-1')).json();
    expect(other.operator.mustChangePassword).toBe(true);
    expect((await change('not-it-at-all', 'mine-from-now-1')).json().error.code).toBe(
      'CURRENT_PASSWORD_INCORRECT',
    );
    const same = await change('set-by-admin-1', 'set-by-admin-1');
    expect(same.json().error).toMatchObject({
      code: 'PASSWORD_POLICY',
      messages: { en: expect.stringContaining('must differ') },
    });
    expect((await get('/api/v1/sales')).json().error.code).toBe('PASSWORD_CHANGE_REQUIRED');

    expect((await change('set-by-admin-1', 'mine-from-now-1')).statusCode).toBe(204);
    // The same session goes on, with the flag gone at once (the cached session was dropped with the change).
    expect((await get('/api/v1/sales')).statusCode).toBe(200);
    expect((await get('/api/v1/auth/me')).json().mustChangePassword).toBe(false);
    expect((await get('/api/v1/operators')).json().error.code).toBe('FORBIDDEN');
    const ended = await env.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { authorization: `Bearer ${other.token}` },
    });
    expect(ended.statusCode).toBe(401);
    expect((await login(env, 'given_pw', 'mine-from-now-1')).json().operator.mustChangePassword).toBe(false);
  });

  it('a seeded test operator is free to work, and /me says when the session ends', async () => {
    const me = await env.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: env.as('cashier') });
    const session = await env.test.database.db
      .selectFrom('sessions')
      .select('expires_at')
      .where('operator_id', '=', env.operators.cashier.id)
      .executeTakeFirstOrThrow();
    expect(me.json()).toMatchObject({ mustChangePassword: false, sessionExpiresAt: session.expires_at });
  });
});

describe('per-IP sign-in rate limit', () => {
  it('answers 429 RATE_LIMITED past the limit, counting each client address separately', async () => {
    const env = await createAuthTestApp(databaseBackends()[0]!, { LOGIN_RATE_LIMIT_PER_MINUTE: '3' });
    try {
      const codes = [];
      for (let i = 0; i < 4; i++)
        codes.push((await login(env, 'test_admin', 'wrong-password', '10.9.9.9')).statusCode);
      expect(codes).toEqual([401, 401, 401, 429]);
      const limited = await login(env, 'test_admin', 'password-admin', '10.9.9.9');
      expect(limited.json().error.code).toBe('RATE_LIMITED');
      expect((await login(env, 'test_admin', 'password-admin', '10.9.9.10')).statusCode).toBe(200);
    } finally {
      await env.dispose();
    }
  });
});

describe('start-up refusal', () => {
  it('a route without an access declaration cannot be added', async () => {
    const backend = databaseBackends()[0]!;
    const test = await backend.create();
    const app = Fastify();
    try {
      await installAuth(app, {
        auth: new AuthService(test.database.db, loadConfig({ DATABASE_URL: test.url }).auth),
      });
      expect(() => app.get('/open', async () => 'oops')).toThrow(UndeclaredAccessError);
      expect(() =>
        app.get('/typo', { config: { access: 'sales.sel' as 'sales.sell' } }, async () => 'x'),
      ).toThrow(/must declare config.access/);
      app.get('/fine', { config: { access: 'public' } }, async () => 'ok');
      expect((await app.inject({ method: 'GET', url: '/fine' })).body).toBe('ok');
    } finally {
      await app.close();
      await test.dispose();
    }
  });

  it('a plugin registering an undeclared route makes the app fail to build', async () => {
    const test = await databaseBackends()[0]!.create();
    const app = Fastify();
    try {
      await installAuth(app, {
        auth: new AuthService(test.database.db, loadConfig({ DATABASE_URL: test.url }).auth),
      });
      app.register(async (child) => {
        child.post('/api/v1/forgotten', async () => 'x');
      });
      await expect(app.ready()).rejects.toThrow(UndeclaredAccessError);
    } finally {
      await test.dispose();
    }
  });
});

describe('the OpenAPI document', () => {
  it('states each protected route’s permission and how to authenticate; sign-in stays open', async () => {
    const env = await createAuthTestApp(databaseBackends()[0]!);
    try {
      const document = (await env.app.inject({ method: 'GET', url: '/docs/json' })).json();
      expect(document.components.securitySchemes).toMatchObject({
        bearerAuth: { type: 'http', scheme: 'bearer' },
        sessionCookie: { type: 'apiKey', in: 'cookie', name: 'scenic_session' },
      });
      const list = document.paths['/api/v1/operators'].get;
      expect(list.description).toContain('`operators.read` (查看操作员 / View operators)');
      expect(list.security).toEqual([{ bearerAuth: [] }, { sessionCookie: [] }]);
      // Managing operators concerns every site: an operator limited to some sites is refused.
      expect(list.description).toContain('403 SITE_FORBIDDEN');
      expect(document.paths['/api/v1/auth/me'].get.description).not.toContain('SITE_FORBIDDEN');
      expect(document.paths['/api/v1/auth/me'].get.description).toContain('Requires a signed-in operator');
      expect(document.paths['/api/v1/auth/login'].post.security).toBeUndefined();
    } finally {
      await env.dispose();
    }
  });
});
