import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '@scenic/testkit/eventually';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { listBackups } from './db/backup/retention.js';
import { databaseBackends, type TestDatabase } from './db/testing.js';
import { secretFingerprint } from './modules/signing-keys/secrets.js';
import { scheduledBackups } from './scheduled-backups.js';

describe('the running cloud’s scheduled backups', () => {
  let test: TestDatabase;
  let dir: string;
  beforeEach(async () => {
    test = await databaseBackends()[0]!.create();
    dir = await mkdtemp(join(tmpdir(), 'scenic-scheduled-'));
  });
  afterEach(async () => {
    await test.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  const quiet = { info: () => undefined, error: () => undefined };

  it('back the configured database up into BACKUP_DIR, in the venue’s zone, with the credential secret’s fingerprint', async () => {
    const config = loadConfig(
      {
        DATABASE_URL: test.url,
        BACKUP_DIR: dir,
        BACKUP_EVERY_HOURS: '24',
        VENUE_TIMEZONE: 'Asia/Urumqi',
        CREDENTIAL_SECRET: 'scheduled-backup-secret-of-32-chars!',
      },
      dir,
    );
    const scheduler = scheduledBackups(config, quiet, { firstDelayMs: 0 });
    expect(scheduler).toBeDefined();
    await scheduler?.start();
    try {
      const [backup] = await eventually(async () => {
        const found = await listBackups(dir);
        return found.length > 0 ? found : undefined;
      }, 20_000);
      expect(backup?.manifest).toMatchObject({
        engine: 'sqlite',
        timeZone: 'Asia/Urumqi',
        createdAt: expect.stringMatching(/\+06:00$/),
        credentialSecret: { fingerprint: secretFingerprint(config.credentials) },
        verification: { ok: true },
      });
      // The next one a day after it (scheduled once the run has finished, just after its manifest is written).
      const next = backup!.manifest.createdAtMs + 24 * 3_600_000;
      expect(
        await eventually(() => ((scheduler?.due ?? 0) >= next ? scheduler?.due : undefined), 5_000),
      ).toBeGreaterThanOrEqual(next);
    } finally {
      await scheduler?.stop();
    }
  });

  it('are off when BACKUP_EVERY_HOURS says so, and by default on PostgreSQL', () => {
    expect(scheduledBackups(loadConfig({ BACKUP_EVERY_HOURS: 'off' }, dir), quiet)).toBeUndefined();
    expect(
      scheduledBackups(loadConfig({ DATABASE_URL: 'postgres://cloud@db.lan/scenic' }, dir), quiet),
    ).toBeUndefined();
  });
});
