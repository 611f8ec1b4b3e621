/**
 * Verification catches a backup that is not what was written: cut short, damaged (also when the damage happened
 * before it was hashed, so only opening the copy can tell), or without its manifest. Each with a clear reason.
 */
import { copyFile, mkdtemp, open, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedVenue } from '../../modules/tickets/testing.js';
import { AppError } from '../../platform/errors.js';
import { databaseBackends, type TestDatabase } from '../testing.js';
import { sha256OfFile } from './files.js';
import { type BackupManifest, manifestPathOf } from './manifest.js';
import { takeBackup } from './take.js';
import { verifyBackup } from './verify.js';

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe.each(databaseBackends())('backup verification on $name', (backend) => {
  let test: TestDatabase;
  let dir: string;
  let good: string;

  beforeAll(async () => {
    test = await backend.create();
    await seedVenue(test.database.db);
    dir = await mkdtemp(join(tmpdir(), 'scenic-verify-'));
    ({ file: good } = await takeBackup({
      database: test.config,
      dir,
      timeZone: 'Asia/Shanghai',
      secretFingerprint: null,
    }));
  });
  afterAll(async () => {
    await test.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  /** A copy of the good backup and its manifest, to damage. */
  async function copyOfGood(name: string): Promise<string> {
    const file = join(dir, name);
    await copyFile(good, file);
    await copyFile(manifestPathOf(good), manifestPathOf(file));
    return file;
  }

  it('passes a sound backup, naming what it checked', async () => {
    const { checks, manifest } = await verifyBackup(good);
    expect(manifest.tables.ticket_types).toBeGreaterThan(0);
    expect(checks.join('\n')).toMatch(/SHA-256 match/);
    expect(checks.join('\n')).toMatch(/the counts equal the manifest's/);
  });

  it('fails a truncated file: cut short', async () => {
    const file = await copyOfGood('cut.backup');
    await truncate(file, Math.floor((await stat(file)).size / 2));
    const error = await failure(verifyBackup(file));
    expect(error.code).toBe('BACKUP_INVALID');
    expect(error.messages.en).toMatch(/cut short or changed/);
    expect(error.messages['zh-CN']).toMatch(/截断/);
  });

  it('fails a file changed in place: its SHA-256 differs', async () => {
    const file = await copyOfGood('flipped.backup');
    const handle = await open(file, 'r+');
    await handle.write(Buffer.from([0xff, 0x00, 0xff]), 0, 3, 200);
    await handle.close();
    expect((await failure(verifyBackup(file))).messages.en).toMatch(/SHA-256 differs/);
  });

  it('fails a copy damaged before it was hashed: opening it tells', async () => {
    const file = await copyOfGood('damaged.backup');
    const bytes = await readFile(file);
    // A third of the file from its middle on overwritten, then the manifest told the new size and hash, as if the
    // damage had happened on the way to the disk before the hash was taken.
    const from = Math.floor(bytes.length / 3);
    for (let i = from; i < from + Math.floor(bytes.length / 3); i++) bytes[i] = (i * 7919) % 251;
    await writeFile(file, bytes);
    const manifest = JSON.parse(await readFile(manifestPathOf(file), 'utf8')) as BackupManifest;
    await writeFile(
      manifestPathOf(file),
      JSON.stringify({ ...manifest, bytes: bytes.length, sha256: await sha256OfFile(file) }),
    );
    const error = await failure(verifyBackup(file));
    expect(error.code).toBe('BACKUP_INVALID');
    expect(error.messages.en).toMatch(
      backend.name === 'sqlite'
        ? /integrity check found problems|SQLite cannot open or read it/
        : /pg_restore cannot read it/,
    );
  });

  it('fails a file without its manifest, and a manifest that is not one', async () => {
    const file = join(dir, 'alone.backup');
    await copyFile(good, file);
    expect((await failure(verifyBackup(file))).messages.en).toMatch(
      /no manifest alone\.backup\.manifest\.json/,
    );
    await writeFile(manifestPathOf(file), '{"format":"scenic-backup/1"}');
    expect((await failure(verifyBackup(file))).messages.en).toMatch(/manifest .* is malformed/);
    expect((await failure(verifyBackup(join(dir, 'none.backup')))).messages.en).toMatch(/no such file/);
  });
});
