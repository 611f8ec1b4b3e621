import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { databaseBackends, type TestDatabase } from '../../db/testing.js';
import { verifyPassword } from '../../platform/auth/credentials.js';
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
