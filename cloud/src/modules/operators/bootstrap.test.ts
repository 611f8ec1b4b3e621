import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Config, loadConfig } from '../../config.js';
import { databaseBackends, type TestDatabase } from '../../db/testing.js';
import { verifyPassword } from '../../platform/auth/credentials.js';
import { testApp } from '../../testing/app.js';
import { prepareAccess } from './bootstrap.js';
import { OperatorsService } from './service.js';

function recordingLogger() {
  const entries: { level: string; details: object; message: string }[] = [];
  return {
    entries,
    warn: (details: object, message: string) => entries.push({ level: 'warn', details, message }),
    info: (details: object, message: string) => entries.push({ level: 'info', details, message }),
  };
}

describe.each(databaseBackends())('first administrator on $name', (backend) => {
  let test: TestDatabase;
  beforeEach(async () => {
    test = await backend.create();
  });
  afterEach(() => test.dispose());

  const adminRows = () =>
    test.database.db
      .selectFrom('operators')
      .innerJoin('operator_roles', 'operator_roles.operator_id', 'operators.id')
      .select(['username', 'password_hash', 'role_code'])
      .execute();

  it('comes from ADMIN_USERNAME / ADMIN_PASSWORD, once', async () => {
    const { auth } = loadConfig({ ADMIN_USERNAME: 'Director', ADMIN_PASSWORD: 'scenic-area-2026' });
    const logger = recordingLogger();
    expect(await prepareAccess(new OperatorsService(test.database.db), auth, logger)).toEqual({
      username: 'Director',
    });
    const [admin] = await adminRows();
    expect(admin).toMatchObject({ username: 'director', role_code: 'admin' });
    expect(await verifyPassword(admin!.password_hash, 'scenic-area-2026')).toBe(true);
    expect(JSON.stringify(logger.entries)).not.toContain('scenic-area-2026');
    expect(await prepareAccess(new OperatorsService(test.database.db), auth, logger)).toBeUndefined();
    expect(await adminRows()).toHaveLength(1);
  });

  it('without them: an `admin` with a random password logged once at warn level', async () => {
    const logger = recordingLogger();
    const result = await prepareAccess(new OperatorsService(test.database.db), loadConfig({}).auth, logger);
    expect(result?.username).toBe('admin');
    expect(result?.generatedPassword).toMatch(/^[A-Za-z0-9_-]{18}$/);
    expect(logger.entries).toEqual([
      expect.objectContaining({
        level: 'warn',
        details: { username: 'admin', password: result?.generatedPassword },
      }),
    ]);
    const [admin] = await adminRows();
    expect(await verifyPassword(admin!.password_hash, result!.generatedPassword!)).toBe(true);
    await prepareAccess(new OperatorsService(test.database.db), loadConfig({}).auth, logger);
    expect(logger.entries).toHaveLength(1);
  });

  /** Signs in over HTTP and reports what the session may do before and after changing its password. */
  async function firstSignIn(config: Config, username: string, password: string) {
    const app = await testApp({ config, database: test.database });
    try {
      const login = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username, password },
      });
      expect(login.statusCode).toBe(200);
      const headers = { authorization: `Bearer ${login.json().token}` };
      const sites = async () => {
        const response = await app.inject({ method: 'GET', url: '/api/v1/sites', headers });
        return [response.statusCode, response.statusCode === 200 ? 'ok' : response.json().error.code];
      };
      const me = async () => (await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers })).json();
      const before = {
        login: login.json().operator.mustChangePassword,
        expiresAt: login.json().expiresAt,
        me: await me(),
        sites: await sites(),
      };
      const change = (newPassword: string) =>
        app.inject({
          method: 'POST',
          url: '/api/v1/auth/password',
          headers,
          payload: { currentPassword: password, newPassword },
        });
      const same = await change(password);
      const changed = await change('chosen-by-me-2026');
      return { before, same, changed, after: { me: await me(), sites: await sites() } };
    } finally {
      await app.close();
    }
  }

  it('the generated password must be changed at the first sign-in before anything else', async () => {
    const config = loadConfig({ DATABASE_URL: test.url });
    const generated = await prepareAccess(
      new OperatorsService(test.database.db),
      config.auth,
      recordingLogger(),
    );
    const first = await firstSignIn(config, 'admin', generated!.generatedPassword!);
    expect(first.before.login).toBe(true);
    expect(first.before.me).toMatchObject({
      username: 'admin',
      mustChangePassword: true,
      sessionExpiresAt: expect.any(Number),
    });
    expect(first.before.me.sessionExpiresAt).toBe(first.before.expiresAt);
    expect(first.before.expiresAt).toBeGreaterThan(Date.now());
    expect(first.before.sites).toEqual([403, 'PASSWORD_CHANGE_REQUIRED']);
    // The generated password itself does not count as a change.
    expect(first.same.json().error.code).toBe('PASSWORD_POLICY');
    expect(first.changed.statusCode).toBe(204);
    expect(first.after.me.mustChangePassword).toBe(false);
    expect(first.after.sites).toEqual([200, 'ok']);
  });

  it('one from ADMIN_USERNAME / ADMIN_PASSWORD was chosen by the installer and need not be changed', async () => {
    const config = loadConfig({
      DATABASE_URL: test.url,
      ADMIN_USERNAME: 'director',
      ADMIN_PASSWORD: 'scenic-area-2026',
    });
    await prepareAccess(new OperatorsService(test.database.db), config.auth, recordingLogger());
    const first = await firstSignIn(config, 'director', 'scenic-area-2026');
    expect(first.before.login).toBe(false);
    expect(first.before.me.mustChangePassword).toBe(false);
    expect(first.before.sites).toEqual([200, 'ok']);
  });

  it('two instances starting together create one administrator', async () => {
    const { auth } = loadConfig({ ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'scenic-area-2026' });
    const results = await Promise.all([
      prepareAccess(new OperatorsService(test.database.db), auth, recordingLogger()),
      prepareAccess(new OperatorsService(test.database.db), auth, recordingLogger()),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await adminRows()).toHaveLength(1);
  });

  it('a weak ADMIN_PASSWORD stops start-up with PASSWORD_POLICY', async () => {
    const { auth } = loadConfig({ ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'root' });
    await expect(
      prepareAccess(new OperatorsService(test.database.db), auth, recordingLogger()),
    ).rejects.toMatchObject({
      code: 'PASSWORD_POLICY',
    });
    expect(await adminRows()).toHaveLength(0);
  });
});
