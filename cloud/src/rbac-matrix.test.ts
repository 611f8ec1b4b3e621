/**
 * The RBAC matrix: every registered route × every seed role (and no session at all), checked against the route's
 * declared access and SEED_ROLES. Denied calls must be refused with 403 FORBIDDEN (401 without a session) before
 * validation — the body sent is invalid, so reaching validation would give 400 — and must change nothing; allowed
 * calls must get past the gate (they may still fail validation or find nothing: 400/404). New modules' routes
 * join the matrix by being registered. An operator who must change their password (even an administrator) gets
 * 403 PASSWORD_CHANGE_REQUIRED everywhere but the three sign-in routes that let them do it. The partners' routes
 * (access `channel`) take an API key, never a session: every operator, whatever their roles, gets 401
 * API_KEY_INVALID there (modules/channel-keys/routes.test.ts checks the keys themselves).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends } from './db/testing.js';
import { type DeclaredRoute, declaredRoutes } from './platform/auth/enforce.js';
import {
  type AuthTestApp,
  createAuthTestApp,
  insertTestOperator,
  SEED_ROLE_CODES,
} from './platform/auth/testing.js';
import { type RouteAccess, SEED_ROLES, type SeedRole } from './platform/permissions.js';

function allows(role: SeedRole, access: RouteAccess): boolean {
  if (access === 'channel') return false;
  if (access === 'public' || access === 'authenticated') return true;
  return (SEED_ROLES[role].permissions as readonly string[]).includes(access);
}

/** A concrete URL for a route pattern: each `:param` and wildcard becomes a plausible but unknown value. */
function concreteUrl(url: string): string {
  return url.replace(/:[A-Za-z0-9_]+(\([^)]*\))?/g, 'zz-unknown-1').replace(/\*/g, 'zz');
}

const GATE_CODES = new Set(['UNAUTHENTICATED', 'FORBIDDEN']);
const STREAM_MS = 1_500;

describe.each(databaseBackends())('RBAC matrix on $name', (backend) => {
  let env: AuthTestApp;
  let routes: readonly DeclaredRoute[];
  beforeAll(async () => {
    env = await createAuthTestApp(backend);
    await env.app.ready();
    routes = declaredRoutes(env.app).filter((r) => r.method !== 'HEAD');
  });
  afterAll(() => env.dispose());

  /**
   * One call; a response still open after STREAM_MS is a stream (server-sent events) that got past the gate, since
   * the gate itself answers at once.
   */
  async function call(
    route: DeclaredRoute,
    authorization?: string,
  ): Promise<{ status: number; code?: string }> {
    const hasBody = !['GET', 'DELETE', 'OPTIONS'].includes(route.method);
    try {
      const response = await env.app.inject({
        method: route.method as 'GET',
        url: concreteUrl(route.url),
        headers: authorization ? { authorization } : {},
        signal: AbortSignal.timeout(STREAM_MS),
        ...(hasBody && { payload: { 'not-a-field': [] } }),
      });
      const code = response.statusCode >= 400 ? response.json().error?.code : undefined;
      return { status: response.statusCode, code };
    } catch (error) {
      if ((error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError')
        return { status: 200 };
      throw error;
    }
  }

  /** Routes that end the caller's session get a session of their own, so the shared tokens survive. */
  async function authorizationFor(route: DeclaredRoute, role: SeedRole): Promise<string> {
    if (!route.url.endsWith('/logout')) return env.as(role).authorization;
    const { username, password } = env.operators[role];
    const response = await env.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username, password },
    });
    return `Bearer ${response.json().token}`;
  }

  it('covers the sign-in, operator and audit routes at least', () => {
    const keys = routes.map((r) => `${r.method} ${r.url}`);
    expect(keys).toEqual(
      expect.arrayContaining([
        'POST /api/v1/auth/login',
        'GET /api/v1/auth/me',
        'GET /api/v1/operators',
        'POST /api/v1/operators/:id/unlock',
        'GET /api/v1/audit',
        'GET /healthz',
      ]),
    );
  });

  it('every route × every seed role is allowed or denied exactly as declared', async () => {
    const auditBefore = await countAudit();
    const mismatches: string[] = [];
    for (const route of routes) {
      const anonymous = await call(route);
      if (route.access !== 'public' && anonymous.status !== 401)
        mismatches.push(`${route.method} ${route.url} without a session → ${anonymous.status}, expected 401`);
      for (const role of SEED_ROLE_CODES) {
        const { status, code } = await call(route, await authorizationFor(route, role));
        const label = `${route.method} ${route.url} as ${role} (${route.access})`;
        if (route.access === 'channel') {
          if (status !== 401 || code !== 'API_KEY_INVALID')
            mismatches.push(`${label} → ${status} ${code ?? ''}, expected 401 API_KEY_INVALID`);
        } else if (allows(role, route.access)) {
          if (code && GATE_CODES.has(code)) mismatches.push(`${label} → ${code}, expected to be let through`);
          if (status === 500) mismatches.push(`${label} → 500 on dummy input, expected a 4xx`);
        } else if (status !== 403 || code !== 'FORBIDDEN') {
          mismatches.push(`${label} → ${status} ${code ?? ''}, expected 403 FORBIDDEN`);
        }
      }
    }
    expect(mismatches).toEqual([]);
    // Denied and invalid calls wrote nothing; only the fresh sign-ins for the logout rows (and their logouts) did.
    const logoutRoles = routes.some((r) => r.url.endsWith('/logout'))
      ? SEED_ROLE_CODES.filter((role) => allows(role, 'authenticated')).length * 2
      : 0;
    expect((await countAudit()) - auditBefore).toBe(logoutRoles);
    // Each stream a role may open is held STREAM_MS before it counts as let through: seconds per stream route.
  }, 90_000);

  it('an operator who must change their password reaches only /auth/me, /auth/password and /auth/logout', async () => {
    const open = routes.filter((r) => r.openDuringPasswordChange).map((r) => `${r.method} ${r.url}`);
    expect(open.sort()).toEqual([
      'GET /api/v1/auth/me',
      'POST /api/v1/auth/logout',
      'POST /api/v1/auth/password',
    ]);
    const password = 'reset-by-admin-1';
    await insertTestOperator(env.test.database.db, 'forced_admin', 'admin', {
      password,
      mustChangePassword: true,
    });
    const signIn = async () => {
      const response = await env.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'forced_admin', password },
      });
      expect(response.json().operator.mustChangePassword).toBe(true);
      return `Bearer ${response.json().token}`;
    };
    const session = await signIn();
    const auditBefore = await countAudit();
    const mismatches: string[] = [];
    for (const route of routes) {
      if (route.access === 'public' || route.access === 'channel') continue;
      const loggingOut = route.url.endsWith('/logout');
      const { status, code } = await call(route, loggingOut ? await signIn() : session);
      const label = `${route.method} ${route.url}`;
      if (route.openDuringPasswordChange) {
        if (code === 'PASSWORD_CHANGE_REQUIRED' || (code && GATE_CODES.has(code)) || status === 500)
          mismatches.push(`${label} → ${status} ${code ?? ''}, expected to be let through`);
      } else if (status !== 403 || code !== 'PASSWORD_CHANGE_REQUIRED') {
        mismatches.push(`${label} → ${status} ${code ?? ''}, expected 403 PASSWORD_CHANGE_REQUIRED`);
      }
    }
    expect(mismatches).toEqual([]);
    // Nothing was written but the logout's own sign-in and sign-out.
    expect((await countAudit()) - auditBefore).toBe(2);
  });

  async function countAudit(): Promise<number> {
    const { n } = await env.test.database.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(n);
  }
});
