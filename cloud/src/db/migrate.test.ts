import { type Migration, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from './database.js';
import { MigrationError, migrateToLatest } from './migrate.js';
import { migrations } from './migrations/index.js';
import { databaseBackends, type TestDatabase } from './testing.js';

async function tableNames(database: DatabaseHandle): Promise<string[]> {
  const query =
    database.dialect === 'sqlite'
      ? sql<{
          name: string;
        }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`
      : sql<{ name: string }>`select table_name as name from information_schema.tables
          where table_schema = current_schema()`;
  const { rows } = await query.execute(database.db);
  return rows.map((r) => r.name).sort();
}

async function appliedMigrations(database: DatabaseHandle): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
    database.db,
  );
  return rows.map((r) => r.name);
}

const broken: Migration = {
  async up(db) {
    await db.schema.createTable('half_done').addColumn('id', 'integer').execute();
    throw new Error('deliberate failure after creating a table');
  },
};

describe.each(databaseBackends())('migrations on $name', (backend) => {
  let test: TestDatabase;
  beforeEach(async () => {
    test = await backend.create({ migrate: false });
  });
  afterEach(() => test.dispose());

  it('applies every migration once, in order, and a second run applies nothing', async () => {
    expect(await migrateToLatest(test.database)).toEqual(Object.keys(migrations).sort());
    expect(await migrateToLatest(test.database)).toEqual([]);
    expect(await appliedMigrations(test.database)).toEqual(Object.keys(migrations).sort());
    expect(await tableNames(test.database)).toEqual(
      expect.arrayContaining(['app_meta', 'kysely_migration', 'kysely_migration_lock', 'sites']),
    );
  });

  it('creates sites with the documented columns', async () => {
    await migrateToLatest(test.database);
    const site = {
      id: 'xihu',
      name_zh: '西湖',
      name_en: 'West Lake',
      timezone: 'Asia/Shanghai',
      daily_capacity: 80_000,
      created_at: 1_764_000_000_000,
    };
    await test.database.db.insertInto('sites').values(site).execute();
    await test.database.db.insertInto('app_meta').values({ key: 'k', value: 'v', updated_at: 1 }).execute();
    expect(await test.database.db.selectFrom('sites').selectAll().execute()).toEqual([
      { ...site, updated_at: 0, age_policy: null, auto_checkout_at: null },
    ]);
    await expect(
      test.database.db
        .insertInto('sites')
        .values({ ...site, id: 'neg', daily_capacity: -1 })
        .execute(),
    ).rejects.toThrow();
  });

  it('a failing migration leaves the database as it was, naming the culprit', async () => {
    const withBroken = { ...migrations, '99991231_000000_broken': broken };
    const failure = await migrateToLatest(test.database, withBroken).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MigrationError);
    expect((failure as MigrationError).migration).toBe('99991231_000000_broken');
    // The whole run is one transaction: the good migrations before the broken one were rolled back too.
    const tables = await tableNames(test.database);
    expect(tables).not.toContain('half_done');
    expect(tables).not.toContain('sites');
    expect(await appliedMigrations(test.database)).toEqual([]);

    expect(await migrateToLatest(test.database)).toHaveLength(Object.keys(migrations).length);
    await expect(migrateToLatest(test.database, withBroken)).rejects.toBeInstanceOf(MigrationError);
    expect(await tableNames(test.database)).not.toContain('half_done');
    expect(await appliedMigrations(test.database)).toEqual(Object.keys(migrations).sort());
  });

  it('refuses to run when an applied migration has disappeared from the list', async () => {
    await migrateToLatest(test.database);
    const [first] = Object.keys(migrations).sort();
    const withoutFirst = Object.fromEntries(Object.entries(migrations).filter(([name]) => name !== first));
    await expect(migrateToLatest(test.database, withoutFirst)).rejects.toThrow(/missing/);
  });
});
