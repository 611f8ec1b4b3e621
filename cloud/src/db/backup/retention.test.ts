/**
 * Retention keeps the newest N backups and never the last verified one; the scheduler takes backups on its
 * interval, counted from the newest backup in the folder, and runs retention after each.
 */
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '@scenic/testkit/eventually';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedVenue } from '../../modules/tickets/testing.js';
import { AppError } from '../../platform/errors.js';
import { databaseBackends, type TestDatabase } from '../testing.js';
import { type BackupManifest, backupFileName, MANIFEST_FORMAT, manifestPathOf } from './manifest.js';
import { listBackups, pruneBackups } from './retention.js';
import { BackupScheduler } from './scheduler.js';
import { localStamp } from './stamp.js';
import { takeBackup } from './take.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 11, 1, 2, 0, 0);

describe('backup retention', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scenic-retention-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  /** A backup file and its manifest taken `hour` hours after T0, verified or not. */
  async function backupAt(hour: number, ok = true): Promise<string> {
    const at = T0 + hour * HOUR;
    const stamp = localStamp(at, 'Asia/Shanghai');
    const name = backupFileName(stamp.compact, 'sqlite');
    const manifest: BackupManifest = {
      format: MANIFEST_FORMAT,
      engine: 'sqlite',
      file: name,
      bytes: 4,
      sha256: '0'.repeat(64),
      createdAt: stamp.iso,
      createdAtMs: at,
      timeZone: 'Asia/Shanghai',
      migrations: [],
      lastMigration: null,
      tables: {},
      auditHead: null,
      credentialSecret: null,
      verification: ok
        ? { ok, at: stamp.iso, checks: [] }
        : { ok, at: stamp.iso, error: 'integrity check failed' },
    };
    await writeFile(join(dir, name), 'data');
    await writeFile(manifestPathOf(join(dir, name)), JSON.stringify(manifest));
    return name;
  }

  const remaining = async () => (await listBackups(dir)).map((b) => b.manifest.file);

  it('keeps the newest N, deleting older files with their manifests', async () => {
    const names = [];
    for (let hour = 0; hour < 5; hour++) names.push(await backupAt(hour * 24));
    const deleted = await pruneBackups(dir, 2, T0 + 100 * HOUR);
    expect(deleted.map((path) => path.split('/').at(-1))).toEqual([names[2], names[1], names[0]]);
    expect(await remaining()).toEqual([names[4], names[3]]);
    expect((await readdir(dir)).sort()).toEqual(
      [names[3]!, manifestPathOf(names[3]!), names[4]!, manifestPathOf(names[4]!)].sort(),
    );
  });

  it('never deletes the last verified backup when the newest ones failed their check', async () => {
    const names = [
      await backupAt(0),
      await backupAt(24),
      await backupAt(48, false),
      await backupAt(72, false),
    ];
    await pruneBackups(dir, 2, T0 + 100 * HOUR);
    expect(await remaining()).toEqual([names[3], names[2], names[1]]);
    // Once a newer verified one is kept, the older one goes.
    const newest = await backupAt(96);
    await pruneBackups(dir, 2, T0 + 100 * HOUR);
    expect(await remaining()).toEqual([newest, names[3]]);
  });

  it('leaves an unfinished backup alone and clears temporary files older than a day', async () => {
    await backupAt(0);
    const unfinished = backupFileName('20261201-100000+0800', 'sqlite');
    await writeFile(join(dir, unfinished), 'no manifest yet');
    const stale = `.${unfinished}.0badc0de.tmp`;
    const fresh = `.${unfinished}.00c0ffee.tmp`;
    await writeFile(join(dir, stale), 'x');
    await writeFile(join(dir, fresh), 'x');
    const old = new Date(Date.now() - 2 * 24 * HOUR);
    await utimes(join(dir, stale), old, old);
    expect(await pruneBackups(dir, 1)).toEqual([]);
    const left = await readdir(dir);
    expect(left).toContain(unfinished);
    expect(left).toContain(fresh);
    expect(left).not.toContain(stale);
  });
});

describe('scheduled backups', () => {
  let test: TestDatabase;
  let dir: string;
  beforeEach(async () => {
    test = await databaseBackends()[0]!.create();
    await seedVenue(test.database.db);
    dir = await mkdtemp(join(tmpdir(), 'scenic-schedule-'));
  });
  afterEach(async () => {
    await test.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  const logger = () => {
    const lines: { level: string; message: string; details: object }[] = [];
    return {
      lines,
      info: (details: object, message: string) => lines.push({ level: 'info', message, details }),
      error: (details: object, message: string) => lines.push({ level: 'error', message, details }),
    };
  };
  const take = () =>
    takeBackup({ database: test.config, dir, timeZone: 'Asia/Shanghai', secretFingerprint: null });

  it('takes a backup every interval and keeps the newest N', async () => {
    const log = logger();
    const scheduler = new BackupScheduler(take, { dir, intervalMs: 200, keep: 2, firstDelayMs: 0 }, log);
    await scheduler.start();
    try {
      await eventually(
        () =>
          log.lines.filter((l) => l.message === 'database backup written and verified').length >= 4
            ? true
            : undefined,
        30_000,
      );
    } finally {
      await scheduler.stop();
    }
    expect(log.lines.filter((l) => l.level === 'error')).toEqual([]);
    expect(log.lines.some((l) => l.message === 'old backups deleted')).toBe(true);
    expect(await listBackups(dir)).toHaveLength(2);
    const written = log.lines.filter((l) => l.message === 'database backup written and verified').length;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(log.lines.filter((l) => l.message === 'database backup written and verified')).toHaveLength(
      written,
    );
  });

  it('counts the interval from the newest backup in the folder, not from the start of the process', async () => {
    const { manifest } = await take();
    const now = Date.now();
    const after = new BackupScheduler(take, { dir, intervalMs: 24 * HOUR, keep: 7 }, logger(), () => now);
    await after.start();
    expect(after.due).toBe(manifest.createdAtMs + 24 * HOUR);
    await after.stop();
    // A day later the first start takes one soon, but not at once (a process crashing at start writes none).
    const nextDay = new BackupScheduler(
      take,
      { dir, intervalMs: 24 * HOUR, keep: 7 },
      logger(),
      () => now + 25 * HOUR,
    );
    await nextDay.start();
    expect(nextDay.due).toBe(now + 25 * HOUR + 600_000);
    await nextDay.stop();
  });

  it('logs a failed backup as an error and tries again after the retry wait', async () => {
    const log = logger();
    let calls = 0;
    const failing = async () => {
      calls++;
      throw new AppError('BACKUP_FAILED', { reason: 'disk full' });
    };
    const scheduler = new BackupScheduler(
      failing,
      { dir, intervalMs: HOUR, keep: 2, firstDelayMs: 0, retryMs: 100 },
      log,
    );
    await scheduler.start();
    await eventually(() => (calls >= 3 ? true : undefined), 10_000);
    await scheduler.stop();
    expect(log.lines.filter((l) => l.level === 'error').length).toBeGreaterThanOrEqual(2);
    expect(log.lines[0]).toMatchObject({
      level: 'error',
      message: 'database backup failed',
      details: { retryInMs: 100 },
    });
  });
});
