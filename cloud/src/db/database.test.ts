import { type Kysely, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from './database.js';
import { IntegerOverflowError } from './integers.js';
import { migrateToLatest } from './migrate.js';
import { migrations } from './migrations/index.js';
import { databaseBackends, type TestDatabase } from './testing.js';

/** A scratch table outside the app's schema, for column-type checks. */
async function createProbe(
  database: DatabaseHandle,
): Promise<Kysely<{ probe: { id: number; amount_fen: number } }>> {
  const db = database.db as unknown as Kysely<{ probe: { id: number; amount_fen: number } }>;
  await db.schema
    .createTable('probe')
    .addColumn('id', 'integer', (col) => col.primaryKey())
    .addColumn('amount_fen', 'bigint', (col) => col.notNull())
    .execute();
  return db;
}

describe.each(databaseBackends())('storage on $name', (backend) => {
  let test: TestDatabase;
  beforeEach(async () => {
    test = await backend.create();
  });
  afterEach(() => test.dispose());

  it('round-trips money as exact integer fen, up to Number.MAX_SAFE_INTEGER', async () => {
    const db = await createProbe(test.database);
    const amounts = [
      0,
      1,
      -1,
      2 ** 31,
      123_456_789_012_345,
      Number.MAX_SAFE_INTEGER,
      -Number.MAX_SAFE_INTEGER,
    ];
    await db
      .insertInto('probe')
      .values(amounts.map((amount_fen, id) => ({ id, amount_fen })))
      .execute();
    const rows = await db.selectFrom('probe').select(['id', 'amount_fen']).orderBy('id').execute();
    expect(rows.map((r) => r.amount_fen)).toEqual(amounts);
    expect(rows.every((r) => typeof r.amount_fen === 'number' && typeof r.id === 'number')).toBe(true);
  });

  it('returns aggregates over bigint columns as numbers (SUM is numeric on PostgreSQL)', async () => {
    const db = await createProbe(test.database);
    await db
      .insertInto('probe')
      .values([
        { id: 1, amount_fen: 4_000_000_000_000 },
        { id: 2, amount_fen: 5_000_000_000_001 },
      ])
      .execute();
    const totals = await db
      .selectFrom('probe')
      .select((eb) => [eb.fn.sum<number>('amount_fen').as('total'), eb.fn.countAll<number>().as('count')])
      .executeTakeFirstOrThrow();
    expect(totals).toEqual({ total: 9_000_000_000_001, count: 2 });
  });

  it('refuses to read an integer beyond MAX_SAFE_INTEGER instead of rounding it, and stays usable', async () => {
    const tooBig = sql<number>`cast(${sql.lit('9007199254740993')} as bigint)`;
    await expect(sql`select ${tooBig} as v`.execute(test.database.db)).rejects.toBeInstanceOf(
      IntegerOverflowError,
    );
    const { rows } = await sql<{ v: number }>`select ${sql.lit(42)} as v`.execute(test.database.db);
    expect(rows).toEqual([{ v: 42 }]);
  });

  it('stores booleans as integer 0/1 on both engines', async () => {
    const db = test.database.db as unknown as Kysely<{ flags: { on: number } }>;
    await db.schema
      .createTable('flags')
      .addColumn('on', 'integer', (col) => col.notNull().check(sql`"on" in (0, 1)`))
      .execute();
    await db.insertInto('flags').values({ on: 1 }).execute();
    expect(await db.selectFrom('flags').selectAll().execute()).toEqual([{ on: 1 }]);
    await expect(db.insertInto('flags').values({ on: 2 }).execute()).rejects.toThrow();
  });

  it('enforces foreign keys', async () => {
    const db = test.database.db as unknown as Kysely<{
      parent: { id: number };
      child: { parent_id: number };
    }>;
    await db.schema
      .createTable('parent')
      .addColumn('id', 'integer', (col) => col.primaryKey())
      .execute();
    await db.schema
      .createTable('child')
      .addColumn('parent_id', 'integer', (col) => col.notNull().references('parent.id'))
      .execute();
    await expect(db.insertInto('child').values({ parent_id: 7 }).execute()).rejects.toThrow(/foreign key/i);
  });

  it('close() can be called twice', async () => {
    await test.database.close();
    await expect(test.database.close()).resolves.toBeUndefined();
  });
});

describe('SQLite connection settings', () => {
  let test: TestDatabase;
  beforeEach(async () => {
    test = await databaseBackends()[0]!.create({ migrate: false });
  });
  afterEach(() => test.dispose());

  async function pragma(database: DatabaseHandle, name: string): Promise<unknown> {
    const { rows } = await sql<Record<string, unknown>>`pragma ${sql.raw(name)}`.execute(database.db);
    return Object.values(rows[0] ?? {})[0];
  }

  it('uses WAL, synchronous=NORMAL, foreign keys and the configured busy timeout', async () => {
    expect(await pragma(test.database, 'journal_mode')).toBe('wal');
    expect(await pragma(test.database, 'synchronous')).toBe(1);
    expect(await pragma(test.database, 'foreign_keys')).toBe(1);
    expect(await pragma(test.database, 'busy_timeout')).toBe(5_000);
  });

  it('uses synchronous=FULL when configured', async () => {
    if (test.config.dialect !== 'sqlite') throw new Error('expected SQLite');
    const full = openDatabase({ ...test.config, synchronous: 'FULL', busyTimeoutMs: 250 });
    try {
      expect(await pragma(full, 'synchronous')).toBe(2);
      expect(await pragma(full, 'busy_timeout')).toBe(250);
    } finally {
      await full.close();
    }
  });

  it('creates the folder of a new database file', async () => {
    if (test.config.dialect !== 'sqlite') throw new Error('expected SQLite');
    const nested = openDatabase({ ...test.config, path: `${test.config.path}.d/a/b/cloud.db` });
    try {
      expect(await migrateToLatest(nested)).toHaveLength(Object.keys(migrations).length);
    } finally {
      await nested.close();
    }
  });
});
