/**
 * `npm run admin -- backup | verify-backup | restore`: every bad argument is a clear error with exit code 2 and the
 * usage, never a stack trace; a refusal is exit code 1 with its catalogue code; a full cycle works in-process and
 * as the real script.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { migrations } from '../db/migrations/index.js';
import { databaseBackends, type TestDatabase } from '../db/testing.js';
import { seedVenue } from '../modules/tickets/testing.js';
import { runBackupCommand } from './backup-commands.js';

function memoryIo() {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l: string) => lines.push(l), err: (l: string) => errors.push(l) };
}

const SECRET = 'cli-backup-secret-cli-backup-secret!';

describe.each(databaseBackends())('backup commands on $name', (backend) => {
  let test: TestDatabase;
  let dir: string;

  beforeAll(async () => {
    test = await backend.create();
    await seedVenue(test.database.db);
    dir = await mkdtemp(join(tmpdir(), 'scenic-cli-backup-'));
  });
  afterAll(async () => {
    await test.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  const configFor = (url: string) =>
    loadConfig(
      { DATABASE_URL: url, BACKUP_DIR: join(dir, 'backups'), BACKUP_KEEP: '2', CREDENTIAL_SECRET: SECRET },
      dir,
    );
  const run = async (argv: string[], url = test.url) => {
    const io = memoryIo();
    const code = await runBackupCommand(argv, configFor(url), io, { baseDir: dir });
    return { code, ...io };
  };

  // Registered for one engine only (not skipped on the other): argument errors come before any database.
  if (backend.name === 'sqlite')
    it('refuses bad arguments with exit code 2, the reason and the usage', async () => {
      await writeFile(join(dir, 'a-file'), 'x');
      const cases: [string[], string][] = [
        [['backup', 'extra.db'], 'backup takes no file: extra.db'],
        [['backup', '--yes'], '--yes is not an option of backup'],
        [['backup', '--out', 'a-file'], `--out is not a folder: ${join(dir, 'a-file')}`],
        [['backup', '--out'], "Option '--out <value>' argument missing"],
        [['verify-backup'], 'verify-backup needs the backup file'],
        [['verify-backup', 'one', 'two'], 'verify-backup takes one backup file'],
        [['verify-backup', 'nowhere.sqlite3'], `no such file: ${join(dir, 'nowhere.sqlite3')}`],
        [['verify-backup', '.'], `not a file: ${dir}`],
        [['verify-backup', 'a-file', '--out', 'x'], '--out is not an option of verify-backup'],
        [['restore'], 'restore needs the backup file'],
        [['restore', 'a-file', '--force'], "Unknown option '--force'"],
      ];
      for (const [argv, message] of cases) {
        const { code, errors, lines } = await run(argv);
        expect(code, argv.join(' ')).toBe(2);
        expect(errors[0], argv.join(' ')).toContain(message);
        expect(errors[1]).toMatch(/^用法 \/ usage: npm run admin -- <command>/);
        expect(errors.join('\n')).not.toMatch(/\n\s+at /);
        expect(lines).toEqual([]);
      }
    });

  it('backs up, verifies and restores into an empty database, audited; refuses to overwrite unless told', async () => {
    const backedUp = await run(['backup']);
    expect(backedUp.errors).toEqual([]);
    expect(backedUp.code).toBe(0);
    const file = /backup written: (\S+) /.exec(backedUp.lines[0] ?? '')?.[1] ?? '';
    expect(file.startsWith(join(dir, 'backups'))).toBe(true);
    expect(backedUp.lines.join('\n')).toMatch(/verified: .*row counts of \d+ tables equal the snapshot's/);
    expect(backedUp.lines.join('\n')).toMatch(
      /credential secret: fingerprint [0-9a-f]{16}, NOT in the backup/,
    );

    const verified = await run(['verify-backup', file]);
    expect(verified.code).toBe(0);
    expect(verified.lines[0]).toMatch(/^备份完好 \/ backup OK: /);
    expect(verified.lines.join('\n')).toMatch(/credential secret [0-9a-f]{16}: this server holds it/);

    // Backups into the configured folder keep BACKUP_KEEP=2 there; --out keeps everything.
    await run(['backup']);
    const third = await run(['backup']);
    expect(third.lines.join('\n')).toMatch(/deleted by retention \(BACKUP_KEEP=2\)/);
    expect((await readdir(join(dir, 'backups'))).filter((n) => n.endsWith('.manifest.json'))).toHaveLength(2);
    const kept = await run(['backup', '--out', 'usb']);
    expect(kept.code).toBe(0);
    const newest = /backup written: (\S+) /.exec(kept.lines[0] ?? '')?.[1] ?? '';

    if (backend.name !== 'sqlite') return; // restore on PostgreSQL: db/backup/*.test.ts
    const target = `sqlite:${join(dir, 'restored', 'cloud.db')}`;
    const restored = await run(['restore', newest], target);
    expect(restored.errors).toEqual([]);
    expect(restored.code).toBe(0);
    expect(restored.lines[0]).toMatch(/^恢复完成 \/ restored: /);
    expect(restored.lines.join('\n')).toMatch(
      /next: start the cloud, then send every gate a full whitelist sync/,
    );
    const database = openDatabase(configFor(target).database);
    try {
      const audit = await database.db
        .selectFrom('audit_log')
        .select(['action', 'actor_username', 'entity_id'])
        .where('action', '=', 'database.restore')
        .execute();
      expect(audit).toEqual([
        {
          action: 'database.restore',
          actor_username: expect.stringMatching(/^cli:/),
          entity_id: newest.split('/').at(-1),
        },
      ]);
    } finally {
      await database.close();
    }
    const again = await run(['restore', newest], target);
    expect(again.code).toBe(1);
    expect(again.errors[0]).toMatch(
      /^RESTORE_TARGET_NOT_EMPTY: 目标数据库不是空的.* \/ The target database is not empty/,
    );
    const replaced = await run(['restore', newest, '--yes'], target);
    expect(replaced.code).toBe(0);
    expect(replaced.lines.join('\n')).toMatch(
      /the database that was there is kept as: .*cloud\.db\.replaced-/,
    );

    await truncate(newest, 1000);
    const broken = await run(['verify-backup', newest]);
    expect(broken.code).toBe(1);
    expect(broken.errors[0]).toMatch(
      /^BACKUP_INVALID: .* \/ Backup .* failed verification: the file has 1000 bytes/,
    );
  });
});

describe('npm run admin backup commands', () => {
  it('run as the script on DATABASE_URL, copying the database as it is (not migrated first), without stack traces', async () => {
    // A database one release behind the code, as it is just before an upgrade.
    const test = await databaseBackends()[0]!.create({ migrate: false });
    const names = Object.keys(migrations);
    await migrateToLatest(
      test.database,
      Object.fromEntries(names.slice(0, -1).map((n) => [n, migrations[n]!])),
    );
    const dir = await mkdtemp(join(tmpdir(), 'scenic-cli-script-'));
    const admin = (args: string[]) =>
      // Node with tsx's loader, as `npm run admin` runs it (without npx's start-up, which cost seconds a call).
      promisify(execFile)(process.execPath, ['--import', 'tsx', 'cloud/src/cli/admin.ts', ...args], {
        env: { ...process.env, DATABASE_URL: test.url, BACKUP_DIR: dir, INIT_CWD: dir },
      }).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
    try {
      const backedUp = await admin(['backup']);
      expect(backedUp).toMatchObject({ code: 0, stdout: expect.stringContaining('backup written:') });
      const file = /backup written: (\S+) /.exec(backedUp.stdout)?.[1] ?? '';
      expect(JSON.parse(await readFile(`${file}.manifest.json`, 'utf8')).lastMigration).toBe(names.at(-2));
      const applied = await test.database.db
        .selectFrom('kysely_migration' as never)
        .selectAll()
        .execute();
      expect(applied).toHaveLength(names.length - 1);
      const bad = await admin(['restore']);
      expect(bad).toMatchObject({
        code: 2,
        stderr: expect.stringContaining('restore needs the backup file'),
      });
      expect(bad.stderr).not.toMatch(/\n\s+at /);
    } finally {
      await test.dispose();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
