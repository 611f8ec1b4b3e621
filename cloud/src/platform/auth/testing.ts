/**
 * Tests that call protected routes: an app on a fresh database with the seed roles and one signed-in operator per
 * seed role.
 *
 *   const env = await createAuthTestApp(databaseBackends()[0]!);
 *   await env.app.inject({ method: 'GET', url: '/api/v1/sites', headers: env.as('cashier') });
 *   await env.dispose();
 *
 * `as(role)` gives `Authorization: Bearer …` headers; `operators[role]` the account (username `test_<role>`,
 * password `password-<role>`). Extra environment variables (`env`) go into loadConfig; sign-in rate limiting is
 * raised so tests that sign in repeatedly are not throttled unless they ask to be. `insertTestOperator` adds an
 * operator to any test database, with or without an app.
 */

import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { App } from '../../app.js';
import { type Config, loadConfig } from '../../config.js';
import type { Database } from '../../db/schema.js';
import type { DatabaseBackend, TestDatabase } from '../../db/testing.js';
import { testApp } from '../../testing/app.js';
import { SEED_ROLES, type SeedRole } from '../permissions.js';
import { hashPassword } from './credentials.js';
import { seedRoles } from './roles-seed.js';
import { AuthService } from './service.js';

export interface TestOperator {
  readonly id: string;
  readonly username: string;
  readonly password: string;
  readonly token: string;
}

export interface AuthTestApp {
  readonly app: App;
  readonly test: TestDatabase;
  readonly config: Config;
  readonly operators: Readonly<Record<SeedRole, TestOperator>>;
  /** Headers that authenticate as the test operator holding `role`. */
  as(role: SeedRole): { authorization: string };
  dispose(): Promise<void>;
}

export const SEED_ROLE_CODES = Object.keys(SEED_ROLES) as SeedRole[];

export async function createAuthTestApp(
  backend: DatabaseBackend,
  env: Readonly<Record<string, string>> = {},
): Promise<AuthTestApp> {
  const test = await backend.create();
  try {
    const config = loadConfig({ DATABASE_URL: test.url, LOGIN_RATE_LIMIT_PER_MINUTE: '100000', ...env });
    await seedRoles(test.database.db);
    const operators = await createRoleOperators(test, config);
    const app = await testApp({ config, database: test.database });
    return {
      app,
      test,
      config,
      operators,
      as: (role) => ({ authorization: `Bearer ${operators[role].token}` }),
      dispose: async () => {
        await app.close();
        await test.dispose();
      },
    };
  } catch (error) {
    await test.dispose();
    throw error;
  }
}

/**
 * Inserts an active operator holding `role` (seed roles must exist) and returns its id. Without a password the
 * stored hash is no argon2 hash, so no password matches it (and hashing costs nothing): for tests that only need
 * someone to name. The operator is free to work at once unless `mustChangePassword` says they must first change
 * their password, as one created or reset by an administrator must.
 */
export async function insertTestOperator(
  db: Kysely<Database>,
  username: string,
  role: SeedRole,
  options: { displayName?: string; password?: string; mustChangePassword?: boolean } = {},
): Promise<string> {
  const id = randomUUID();
  const now = Date.now();
  await db
    .insertInto('operators')
    .values({
      id,
      username,
      display_name: options.displayName ?? username,
      password_hash:
        options.password === undefined ? 'no-password-test-operator' : await hashPassword(options.password),
      active: 1,
      failed_logins: 0,
      locked_until: null,
      failed_approvals: 0,
      approvals_locked_until: null,
      last_login_at: null,
      password_changed_at: now,
      must_change_password: options.mustChangePassword ? 1 : 0,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await db.insertInto('operator_roles').values({ operator_id: id, role_code: role }).execute();
  return id;
}

export async function createRoleOperators(test: TestDatabase, config: Config) {
  const db = test.database.db;
  // Signing the seed operators in is set-up, not what a test's sign-in limit is about.
  const auth = new AuthService(db, { ...config.auth, loginRateLimitPerMinute: 100_000 });
  const entries = await Promise.all(
    SEED_ROLE_CODES.map(async (role) => {
      const username = `test_${role}`;
      const password = `password-${role}`;
      const id = await insertTestOperator(db, username, role, { displayName: `Test ${role}`, password });
      const { token } = await auth.login(username, password, { ip: '127.0.0.1', userAgent: 'vitest' });
      return [role, { id, username, password, token }] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<SeedRole, TestOperator>;
}
