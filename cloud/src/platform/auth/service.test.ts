import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../db/testing.js';
import type { AppError } from '../errors.js';
import { AuthService } from './service.js';
import { type AuthTestApp, createAuthTestApp } from './testing.js';

describe.each(databaseBackends())('lock and session lifetimes on $name', (backend) => {
  let env: AuthTestApp;
  let now: number;
  let auth: AuthService;
  beforeEach(async () => {
    env = await createAuthTestApp(backend, {
      LOGIN_MAX_FAILURES: '2',
      LOGIN_LOCKOUT_MINUTES: '15',
      SESSION_TTL_HOURS: '1',
    });
    now = Date.now();
    auth = new AuthService(env.test.database.db, env.config.auth, () => now);
  });
  afterEach(() => env.dispose());

  const attempt = (password: string) =>
    auth.login('test_cashier', password, {}).then(
      () => 'ok',
      (error: AppError) => error.code,
    );

  it('a lock ends by itself after LOGIN_LOCKOUT_MINUTES', async () => {
    const lockedUntil = () =>
      env.test.database.db
        .selectFrom('operators')
        .select('locked_until')
        .where('username', '=', 'test_cashier')
        .executeTakeFirstOrThrow();
    expect(await attempt('wrong-one')).toBe('INVALID_CREDENTIALS');
    // Locked, the account answers as any wrong credentials do: nothing tells a guesser it exists.
    expect(await attempt('wrong-two')).toBe('INVALID_CREDENTIALS');
    expect(await lockedUntil()).toEqual({ locked_until: now + 15 * 60_000 });
    now += 14 * 60_000;
    expect(await attempt('password-cashier')).toBe('INVALID_CREDENTIALS');
    now += 60_000;
    expect(await attempt('password-cashier')).toBe('ok');
  });

  it('a session ends after SESSION_TTL_HOURS', async () => {
    const { token } = await auth.login('test_cashier', 'password-cashier', {});
    now += 3_600_000 - 1;
    expect(await auth.authenticate(token)).toMatchObject({ username: 'test_cashier' });
    now += 1;
    expect(await auth.authenticate(token)).toBeUndefined();
  });

  it('sign-in clears sessions that ended over a day ago, and only those', async () => {
    const sessions = () => env.test.database.db.selectFrom('sessions').select('operator_id').execute();
    expect(await sessions()).toHaveLength(6);
    const { token } = await auth.login('test_cashier', 'password-cashier', {});
    now += 3_600_000 + 24 * 3_600_000 + 1;
    await auth.login('test_agency', 'password-agency', {});
    expect(await sessions()).toHaveLength(1);
    expect(await auth.authenticate(token)).toBeUndefined();
  });
});

describe.each(databaseBackends())('sign-in attempts per address across instances on $name', (backend) => {
  let env: AuthTestApp;
  afterEach(() => env.dispose());

  it('two instances on one database count one limit per address and minute, not one each', async () => {
    env = await createAuthTestApp(backend, { LOGIN_RATE_LIMIT_PER_MINUTE: '3', LOGIN_MAX_FAILURES: '100' });
    let now = Date.now();
    // Two cloud instances: each builds its own service over the same database.
    const [one, two] = [0, 1].map(() => new AuthService(env.test.database.db, env.config.auth, () => now));
    const attempt = (auth: AuthService, ip: string) =>
      auth.login('test_cashier', 'wrong-password', { ip }).then(
        () => 'ok',
        (error: AppError) => error.code,
      );
    const results = [
      await attempt(one!, '203.0.113.7'),
      await attempt(two!, '203.0.113.7'),
      await attempt(one!, '203.0.113.7'),
      await attempt(two!, '203.0.113.7'),
    ];
    expect(results).toEqual([
      'INVALID_CREDENTIALS',
      'INVALID_CREDENTIALS',
      'INVALID_CREDENTIALS',
      'RATE_LIMITED',
    ]);
    // Another address has its own attempts; the next minute starts again.
    expect(await attempt(one!, '203.0.113.8')).toBe('INVALID_CREDENTIALS');
    now += 60_000;
    expect(await attempt(two!, '203.0.113.7')).toBe('INVALID_CREDENTIALS');
  });
});
