import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseBackends, type TestDatabase } from '../db/testing.js';
import { OperatorsService } from '../modules/operators/service.js';
import { anchorLine } from '../platform/audit/anchor.js';
import { verifyPassword } from '../platform/auth/credentials.js';
import { seedRoles } from '../platform/auth/roles-seed.js';
import { type CliIo, runAdminCommand } from './commands.js';

function memoryIo(stdin = ''): CliIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return {
    lines,
    errors,
    out: (l) => lines.push(l),
    err: (l) => errors.push(l),
    readStdin: async () => stdin,
  };
}

describe.each(databaseBackends())('admin CLI on $name', (backend) => {
  let test: TestDatabase;
  beforeEach(async () => {
    test = await backend.create();
    await seedRoles(test.database.db);
  });
  afterEach(() => test.dispose());

  const run = (argv: string[], io = memoryIo()) =>
    runAdminCommand(argv, { db: test.database.db, operators: new OperatorsService(test.database.db) }, io);

  it('creates an operator with roles, reading the password from stdin, audited as the CLI', async () => {
    const io = memoryIo('s3cret-password\nignored second line');
    const code = await run(
      [
        'create-operator',
        '--username',
        'Wang',
        '--display-name',
        '王',
        '--role',
        'admin',
        '--password-stdin',
      ],
      io,
    );
    expect(code).toBe(0);
    expect(io.lines[0]).toMatch(/^created operator wang .* roles: admin$/);
    const row = await test.database.db.selectFrom('operators').selectAll().executeTakeFirstOrThrow();
    expect(await verifyPassword(row.password_hash, 's3cret-password')).toBe(true);
    // Chosen by the person at the server, not by an administrator for someone else: no forced change.
    expect(row.must_change_password).toBe(0);
    const audit = await test.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'operator.create')
      .executeTakeFirstOrThrow();
    expect(audit.actor_id).toBeNull();
    expect(audit.actor_username).toMatch(/^cli:/);
  });

  it('refuses bad usage with exit code 2 and policy violations with 1', async () => {
    const usage = memoryIo();
    expect(await run(['create-operator', '--username', 'x1'], usage)).toBe(2);
    expect(usage.errors.join('\n')).toContain('--display-name is required');
    expect(await run(['frobnicate'])).toBe(2);
    expect(await run(['verify-audit', '--nope'])).toBe(2);
    const weak = memoryIo();
    expect(
      await run(['create-operator', '--username', 'li', '--display-name', 'L', '--password', 'short'], weak),
    ).toBe(1);
    expect(weak.errors[0]).toMatch(/^PASSWORD_POLICY: /);
  });

  it('resets a password and unlocks an account by username', async () => {
    await run([
      'create-operator',
      '--username',
      'zhao',
      '--display-name',
      'Z',
      '--password',
      'first-password',
    ]);
    // Locked, and on a password an administrator reset over the API.
    await test.database.db
      .updateTable('operators')
      .set({ locked_until: Date.now() + 60_000, failed_logins: 0, must_change_password: 1 })
      .execute();
    expect(await run(['unlock-operator', '--username', 'ZHAO'])).toBe(0);
    expect(await run(['reset-password', '--username', 'zhao', '--password', 'second-password'])).toBe(0);
    const row = await test.database.db.selectFrom('operators').selectAll().executeTakeFirstOrThrow();
    expect(row.locked_until).toBeNull();
    expect(await verifyPassword(row.password_hash, 'second-password')).toBe(true);
    expect(row.must_change_password).toBe(0);
    expect(await run(['unlock-operator', '--username', 'nobody'])).toBe(2);
  });

  it('verify-audit exits 0 on a sound chain and 1 naming the edited row', async () => {
    const ok = memoryIo();
    expect(await run(['verify-audit'], ok)).toBe(0);
    expect(ok.lines[0]).toMatch(/^audit log OK: 6 rows, head seq 6, head hash [0-9a-f]{64}$/);
    await test.database.db
      .updateTable('audit_log')
      .set({ entity_id: 'tampered' })
      .where('seq', '=', 4)
      .execute();
    const broken = memoryIo();
    expect(await run(['verify-audit'], broken)).toBe(1);
    expect(broken.errors[0]).toContain('row 4 (edited)');
  });

  it('verify-audit --anchors checks anchor files, and refuses an unreadable or malformed one with exit 2', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cli-anchors-'));
    try {
      const head = await test.database.db
        .selectFrom('audit_chain_head')
        .selectAll()
        .executeTakeFirstOrThrow();
      const good = join(dir, 'good.jsonl');
      await writeFile(good, anchorLine({ seq: head.seq, hash: head.hash, at: 1 }));
      const ok = memoryIo();
      expect(await run(['verify-audit', '--anchors', good], ok)).toBe(0);
      expect(ok.lines[0]).toMatch(/, 1 anchors hold$/);

      const wrong = join(dir, 'wrong.jsonl');
      await writeFile(wrong, anchorLine({ seq: head.seq, hash: 'f'.repeat(64), at: 1 }));
      const rewritten = memoryIo();
      expect(await run(['verify-audit', '--anchors', good, '--anchors', wrong], rewritten)).toBe(1);
      expect(rewritten.errors[0]).toContain(`row ${head.seq} (rewritten)`);

      const bad = join(dir, 'bad.jsonl');
      await writeFile(bad, 'garbage\n');
      const malformed = memoryIo();
      expect(await run(['verify-audit', '--anchors', bad], malformed)).toBe(2);
      expect(malformed.errors[0]).toContain('line 1');
      const missing = memoryIo();
      expect(await run(['verify-audit', '--anchors', join(dir, 'none.jsonl')], missing)).toBe(2);
      expect(missing.errors[0]).toContain('cannot read anchor file');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('npm run admin', () => {
  it('runs as a script against DATABASE_URL and exits non-zero on a broken chain', async () => {
    const test = await databaseBackends()[0]!.create();
    try {
      await seedRoles(test.database.db);
      await test.database.db.deleteFrom('audit_log').where('seq', '=', 2).execute();
      const result = await promisify(execFile)('npx', ['tsx', 'cloud/src/cli/admin.ts', 'verify-audit'], {
        env: { ...process.env, DATABASE_URL: test.url },
      }).catch((error: { code: number; stderr: string }) => error);
      expect(result).toMatchObject({ code: 1, stderr: expect.stringContaining('row 2 (deleted)') });
    } finally {
      await test.dispose();
    }
  });
});
