/**
 * What a restore refuses and what it does around the copy: a target that is not empty (unless told, and then what
 * it held is kept aside), a database still open by the cloud, a backup from newer code, one needing a credential
 * secret this server lacks, one of the other engine; an older backup is migrated to this code's schema.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Migration, sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seedVenue } from '../../modules/tickets/testing.js';
import { AppError } from '../../platform/errors.js';
import { openDatabase } from '../database.js';
import { migrateToLatest } from '../migrate.js';
import { migrations as allMigrations } from '../migrations/index.js';
import { databaseBackends, type TestDatabase } from '../testing.js';
import { type RestoreOptions, restoreBackup } from './restore.js';
import { takeBackup } from './take.js';
import { allRows, emptyTarget, type RestoreTarget, scratchPgDatabase } from './testing.js';

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

const NAMES = Object.keys(allMigrations);
const pick = (names: readonly string[]) => Object.fromEntries(names.map((n) => [n, allMigrations[n]!]));

describe.each(databaseBackends())('restore on $name', (backend) => {
  let dir: string;
  /** PostgreSQL: one database for the suite's restores, each into a schema of its own (dropped with it). */
  let scratch: Awaited<ReturnType<typeof scratchPgDatabase>> | undefined;
  const targets: RestoreTarget[] = [];
  const sources: TestDatabase[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scenic-restore-test-'));
    if (backend.name === 'postgres') scratch = await scratchPgDatabase();
  });
  afterEach(async () => {
    for (const target of targets.splice(0)) await target.dispose();
    for (const source of sources.splice(0)) await source.dispose();
  });
  afterAll(async () => {
    await scratch?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  /** A backup of a venue on a database migrated with `migrations` (default all), taken with secret `fingerprint`. */
  async function backupOf(
    migrations?: Readonly<Record<string, Migration>>,
    fingerprint: string | null = null,
  ) {
    const source = await backend.create({ migrate: migrations === undefined });
    sources.push(source);
    if (migrations) await migrateToLatest(source.database, migrations);
    else await seedVenue(source.database.db);
    const taken = await takeBackup({
      database: source.config,
      dir,
      timeZone: 'Asia/Shanghai',
      secretFingerprint: fingerprint,
    });
    return { ...taken, source };
  }

  async function target(): Promise<RestoreTarget> {
    const made = await emptyTarget(backend.name, scratch ? { database: scratch.url } : {});
    targets.push(made);
    return made;
  }

  const restore = (file: string, into: RestoreTarget, options: Partial<RestoreOptions> = {}) =>
    restoreBackup({
      file,
      database: into.config,
      replace: false,
      secretFingerprint: null,
      ignoreSecret: false,
      timeZone: 'Asia/Shanghai',
      ...options,
    });

  it('refuses a target that is not empty unless told; told, keeps what it held aside', async () => {
    const { file, manifest } = await backupOf();
    const into = await target();
    await restore(file, into);
    const refused = await failure(restore(file, into));
    expect(refused.code).toBe('RESTORE_TARGET_NOT_EMPTY');
    expect(refused.messages.en).toMatch(/^The target database is not empty \(\d+ tables\): add --yes/);
    const report = await restore(file, into, { replace: true });
    expect(report.replacedAside).toBeTruthy();
    const restored = openDatabase(into.config);
    try {
      if (backend.name === 'sqlite') {
        expect((await stat(report.replacedAside!)).size).toBeGreaterThan(0);
      } else {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_tables
          where schemaname = ${report.replacedAside}`.execute(restored.db);
        expect(rows[0]?.n).toBe(Object.keys(manifest.tables).length);
      }
      const sites = await restored.db.selectFrom('sites').select('id').execute();
      expect(sites).toEqual([{ id: 'park' }]);
    } finally {
      await restored.close();
    }
  });

  it('refuses to replace a database the cloud still has open', async () => {
    const { file } = await backupOf();
    const into = await target();
    await restore(file, into);
    const running = openDatabase(into.config);
    try {
      await sql`select 1`.execute(running.db);
      const refused = await failure(restore(file, into, { replace: true }));
      expect(refused.code).toBe('RESTORE_DATABASE_IN_USE');
      expect(refused.messages.en).toMatch(/is the cloud still running\?/);
    } finally {
      await running.close();
    }
  });

  it('migrates an older backup to this code’s schema, and refuses one from newer code', async () => {
    const older = await backupOf(pick(NAMES.slice(0, -3)));
    const into = await target();
    const report = await restore(older.file, into);
    expect(report.migrated).toEqual(NAMES.slice(-3));
    const restored = openDatabase(into.config);
    try {
      const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
        restored.db,
      );
      expect(applied.rows.map((row) => row.name)).toEqual(NAMES);
    } finally {
      await restored.close();
    }

    const future = '29991231_000000_from_a_later_release';
    const newer = await backupOf({ ...allMigrations, [future]: { up: async () => undefined } });
    expect(newer.manifest.lastMigration).toBe(future);
    const refused = await failure(restore(newer.file, await target()));
    expect(refused.code).toBe('BACKUP_TOO_NEW');
    expect(refused.messages.en).toContain(future);
  });

  it('needs the credential secret the backup was taken with, unless told to go without it', async () => {
    const { file, source } = await backupOf(undefined, 'aaaaaaaaaaaaaaaa');
    const into = await target();
    const none = await failure(restore(file, into));
    expect(none.code).toBe('BACKUP_SECRET_MISMATCH');
    expect(none.messages.en).toMatch(
      /fingerprint aaaaaaaaaaaaaaaa\), but this server has no credential secret/,
    );
    const other = await failure(restore(file, into, { secretFingerprint: 'bbbbbbbbbbbbbbbb' }));
    expect(other.messages.en).toMatch(/holds another one \(fingerprint bbbbbbbbbbbbbbbb\)/);
    // Refused before anything was written: the target is still empty.
    expect((await restore(file, into, { secretFingerprint: 'aaaaaaaaaaaaaaaa' })).secretMissing).toBe(false);
    const again = await target();
    const without = await restore(file, again, { ignoreSecret: true });
    expect(without.secretMissing).toBe(true);
    const restored = openDatabase(again.config);
    try {
      expect((await allRows(restored)).ticket_types).toEqual((await allRows(source.database)).ticket_types);
    } finally {
      await restored.close();
    }
  });

  it('refuses a backup of the other engine before touching anything', async () => {
    const { file } = await backupOf();
    const other =
      backend.name === 'sqlite'
        ? ({ dialect: 'postgres', url: 'postgres://nobody@127.0.0.1:1/none', poolSize: 1 } as const)
        : ({
            dialect: 'sqlite',
            path: join(dir, 'never.db'),
            synchronous: 'NORMAL',
            busyTimeoutMs: 100,
          } as const);
    const refused = await failure(restore(file, { config: other, dispose: async () => undefined }));
    expect(refused.code).toBe('BACKUP_ENGINE_MISMATCH');
    await expect(stat(join(dir, 'never.db'))).rejects.toThrow();
  });
});
