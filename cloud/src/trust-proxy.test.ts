import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';
import { databaseBackends } from './db/testing.js';
import { type AuthTestApp, createAuthTestApp } from './platform/auth/testing.js';

const [sqlite] = databaseBackends();

describe('TRUST_PROXY', () => {
  it('is off by default and reads a hop count or a list of proxy addresses', () => {
    expect(loadConfig({}).http.trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).http.trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).http.trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.1, 192.168.0.0/16,::1' }).http.trustProxy).toEqual([
      '10.0.0.1',
      '192.168.0.0/16',
      '::1',
    ]);
  });

  it('refuses values that would trust any client', () => {
    for (const value of ['true', 'yes', '*', '10.0.0.1; rm -rf', '999'])
      expect(() => loadConfig({ TRUST_PROXY: value }), value).toThrow(ConfigError);
  });

  describe('the client address of a session', () => {
    let env: AuthTestApp | undefined;
    afterEach(async () => {
      await env?.dispose();
      env = undefined;
    });

    async function signInThroughProxy(extra: Record<string, string>): Promise<string | null> {
      env = await createAuthTestApp(sqlite!, extra);
      const operator = env.operators.cashier;
      const reply = await env.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { 'x-forwarded-for': '203.0.113.7' },
        payload: { username: operator.username, password: operator.password },
      });
      expect(reply.statusCode).toBe(200);
      const sessions = await env.test.database.db
        .selectFrom('sessions')
        .select('ip')
        .where('operator_id', '=', operator.id)
        .orderBy('created_at', 'desc')
        .execute();
      return sessions[0]!.ip;
    }

    it('is the connecting address when no proxy is trusted: a client cannot choose its own', async () => {
      expect(await signInThroughProxy({})).toBe('127.0.0.1');
    });

    it('is the forwarded address behind a trusted proxy', async () => {
      expect(await signInThroughProxy({ TRUST_PROXY: '127.0.0.1' })).toBe('203.0.113.7');
    });
  });
});
