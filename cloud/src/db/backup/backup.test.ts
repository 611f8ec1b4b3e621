/**
 * A populated database backed up and restored into an empty one is the same database, row for row; a backup taken
 * while sales are being written is one consistent snapshot. On the SQLite file and on PostgreSQL.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type AuthTestApp, createAuthTestApp } from '../../platform/auth/testing.js';
import { openDatabase } from '../database.js';
import { databaseBackends } from '../testing.js';
import { restoreBackup } from './restore.js';
import { takeBackup } from './take.js';
import { allRows, emptyTarget, populate, type RestoreTarget, sell } from './testing.js';
import { verifyBackup } from './verify.js';

const SECRET = 'backup-test-secret-backup-test-secret';

describe.each(databaseBackends())('backup and restore on $name', (backend) => {
  let env: AuthTestApp;
  let dir: string;
  let target: RestoreTarget | undefined;

  beforeAll(async () => {
    env = await createAuthTestApp(backend, { CREDENTIAL_SECRET: SECRET });
    await populate(env);
    dir = await mkdtemp(join(tmpdir(), 'scenic-backups-'));
  });
  afterEach(async () => {
    await target?.dispose();
    target = undefined;
  });
  afterAll(async () => {
    await env.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  const backup = () =>
    takeBackup({
      database: env.test.config,
      dir,
      timeZone: 'Asia/Shanghai',
      secretFingerprint: 'f1f2f3f4f5f6f7f8',
    });

  const restore = (file: string, into: RestoreTarget) =>
    restoreBackup({
      file,
      database: into.config,
      replace: false,
      secretFingerprint: 'f1f2f3f4f5f6f7f8',
      ignoreSecret: false,
      timeZone: 'Asia/Shanghai',
    });

  it('restores a populated database into an empty one: every row of every table equal', async () => {
    const { file, manifest } = await backup();
    expect(file).toMatch(/scenic-backup-\d{8}-\d{6}\+0800\.(sqlite3|pgdump)$/);
    expect(manifest).toMatchObject({
      engine: backend.name,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+08:00$/),
      credentialSecret: { fingerprint: 'f1f2f3f4f5f6f7f8' },
      verification: { ok: true },
    });
    expect(manifest.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.tables).toMatchObject({ sales: 3, refunds: 1, tickets: 6 });
    expect(manifest.lastMigration).toBe(manifest.migrations.at(-1));
    expect(manifest.auditHead?.seq).toBe(manifest.tables.audit_log);
    const before = await allRows(env.test.database);
    // The populated tables (and more) carry rows: the comparison below compares something.
    expect(Object.values(before).filter((rows) => rows.length > 0).length).toBeGreaterThan(20);

    target = await emptyTarget(backend.name, { schema: manifest.postgres?.schema });
    const report = await restore(file, target);
    expect(report).toMatchObject({ migrated: [], replacedAside: null, secretMissing: false });
    const restored = openDatabase(target.config);
    try {
      expect(await allRows(restored)).toEqual(before);
    } finally {
      await restored.close();
    }
    // Again over the restored one, as `restore --yes` does: the same rows, what was there kept aside (on
    // PostgreSQL under the same schema name, so the archive's schema is created anew after the old one is renamed).
    const again = await restoreBackup({
      file,
      database: target.config,
      replace: true,
      secretFingerprint: 'f1f2f3f4f5f6f7f8',
      ignoreSecret: false,
      timeZone: 'Asia/Shanghai',
    });
    expect(again.replacedAside).toMatch(
      backend.name === 'sqlite' ? /restored\.db\.replaced-\d{8}-\d{6}\+0800$/ : /_replaced_\d{14}$/,
    );
    const replaced = openDatabase(target.config);
    try {
      expect(await allRows(replaced)).toEqual(before);
    } finally {
      await replaced.close();
    }
  });

  // Registered for PostgreSQL only (not skipped on SQLite): schemas are a PostgreSQL notion.
  if (backend.name === 'postgres')
    it('restores into a schema of another name, renaming the archive’s schema after the restore', async () => {
      const { file } = await backup();
      target = await emptyTarget('postgres', { schema: 'venue_restored', createSchema: true });
      await restore(file, target);
      const restored = openDatabase(target.config);
      try {
        const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(
          restored.db,
        );
        expect(rows[0]?.schema).toBe('venue_restored');
        expect(await allRows(restored)).toEqual(await allRows(env.test.database));
      } finally {
        await restored.close();
      }
    });

  it('a backup taken while sales are written concurrently is one consistent snapshot', async () => {
    const before = await sell(env);
    let backingUp = true;
    let soldDuring = 0;
    const sellers = Array.from({ length: 4 }, async () => {
      while (backingUp) {
        await sell(env);
        if (backingUp) soldDuring++;
      }
    });
    const { file, manifest } = await backup().finally(() => {
      backingUp = false;
    });
    await Promise.all(sellers);
    expect(soldDuring).toBeGreaterThan(0);
    expect(before.id).toBeTruthy();
    // The copy holds exactly the rows counted in the snapshot it copied (checked when it was written and again now).
    expect(manifest.verification.ok).toBe(true);
    await verifyBackup(file);

    target = await emptyTarget(backend.name, { schema: manifest.postgres?.schema });
    await restore(file, target);
    const restored = openDatabase(target.config);
    try {
      const one = async <T>(query: ReturnType<typeof sql<T>>) =>
        (await query.execute(restored.db)).rows[0] as T;
      // Every sale with all of its tickets and payments, the chain head on the last log row, the feed head on its
      // last version: no sale caught half-written.
      const tickets = await one(sql<{ sold: number; issued: number }>`select
          (select sum(ticket_count) from sales) as sold,
          (select count(*) from tickets where sale_id is not null) as issued`);
      expect(Number(tickets.issued)).toBe(Number(tickets.sold));
      const paid = await one(sql<{ n: number }>`select count(*) as n from sales s
          where s.paid_fen <> (select sum(amount_fen) from sale_payments p where p.sale_id = s.id)`);
      expect(Number(paid.n)).toBe(0);
      const audit = await one(sql<{ head: number; rows: number; last: number }>`select
          (select seq from audit_chain_head where id = 1) as head,
          (select count(*) from audit_log) as rows, (select max(seq) from audit_log) as last`);
      expect(Number(audit.head)).toBe(Number(audit.rows));
      expect(Number(audit.head)).toBe(Number(audit.last));
      const feed = await one(sql<{ n: number }>`select count(*) as n from whitelist_heads h
          where h.version <> (select max(version) from whitelist_feed f where f.site_id = h.site_id)`);
      expect(Number(feed.n)).toBe(0);
      const sales = Number((await one(sql<{ n: number }>`select count(*) as n from sales`)).n);
      expect(sales).toBe(manifest.tables.sales);
    } finally {
      await restored.close();
    }
  });
});
