import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseBackend, databaseBackends, type TestDatabase } from './testing.js';

const postgres = databaseBackends().find((b): b is DatabaseBackend => b.name === 'postgres');

describe.skipIf(!postgres)('own-schema introspection on PostgreSQL', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await postgres!.create();
  });
  afterAll(() => test.dispose());

  it('sees this schema’s tables, including the migration bookkeeping when asked', async () => {
    const tables = await test.database.db.introspection.getTables({ withInternalKyselyTables: true });
    const names = tables.map((t) => t.name);
    expect(names).toContain('sites');
    expect(names).toContain('kysely_migration');
    const sites = tables.find((t) => t.name === 'sites')!;
    expect(sites.columns.find((c) => c.name === 'id')).toMatchObject({ isNullable: false });
    const plain = await test.database.db.introspection.getTables();
    expect(plain.map((t) => t.name)).not.toContain('kysely_migration');
  });

  it('keeps working while other schemas are created and dropped around it', async () => {
    // The stock introspector scans every schema by name and failed with 3F000 when one vanished mid-query.
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    let churn = true;
    const churner = (async () => {
      for (let i = 0; churn && i < 200; i++) {
        const name = `churn_${process.pid}_${i}`;
        await admin.query(`create schema ${name}`);
        await admin.query(`create table ${name}.t (id int)`);
        await admin.query(`drop schema ${name} cascade`);
      }
    })();
    try {
      for (let i = 0; i < 40; i++) {
        const tables = await test.database.db.introspection.getTables({ withInternalKyselyTables: true });
        expect(tables.some((t) => t.name === 'sites')).toBe(true);
      }
      const { rows } = await sql<{ s: string }>`select current_schema() as s`.execute(test.database.db);
      expect(rows[0]!.s).toMatch(/^t[0-9a-f]*_/);
    } finally {
      churn = false;
      await churner;
      await admin.end();
    }
  });
});
