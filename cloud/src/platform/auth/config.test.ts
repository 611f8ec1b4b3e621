import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config.js';

describe('sign-in configuration', () => {
  it('reads the first admin, lockout, rate limit, session lifetime and cookie flag', () => {
    const { auth } = loadConfig({
      ADMIN_USERNAME: 'root',
      ADMIN_PASSWORD: 'long enough',
      LOGIN_MAX_FAILURES: '3',
      LOGIN_LOCKOUT_MINUTES: '30',
      LOGIN_RATE_LIMIT_PER_MINUTE: '100',
      SESSION_TTL_HOURS: '0.5',
      SESSION_COOKIE_SECURE: 'TRUE',
    });
    expect(auth).toEqual({
      initialAdmin: { username: 'root', password: 'long enough' },
      maxFailedLogins: 3,
      lockoutMs: 30 * 60_000,
      loginRateLimitPerMinute: 100,
      sessionTtlMs: 30 * 60_000,
      secureCookie: true,
    });
  });

  it('ignores a username without a password, and rejects nonsense by name', () => {
    expect(loadConfig({ ADMIN_USERNAME: 'root' }).auth.initialAdmin).toBeUndefined();
    expect(() => loadConfig({ SESSION_COOKIE_SECURE: 'maybe' })).toThrow(ConfigError);
    expect(() => loadConfig({ LOGIN_MAX_FAILURES: '0' })).toThrow(/LOGIN_MAX_FAILURES/);
  });
});
