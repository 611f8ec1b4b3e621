import { type CompiledQuery, type Generated, type Kysely, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { chunkedInsert } from './chunked-insert.js';
import type { Database } from './schema.js';
import { databaseBackends, type TestDatabase } from './testing.js';

// A type, not an interface: withTables needs the index signature an interface lacks.
type TestTables = {
  chunk_rows: {
    id: Generated<number>;
    label: string;
    amount: number;
    note: string | null;
  };
  chunk_keys: {
    key: string;
    label: string;
  };
};

type TestDb = Kysely<Database & TestTables>;

/** A row as the caller holds it: other field names and order than the table's, read through a map. */
interface Item {
  readonly note: string | null;
  readonly name: string;
  readonly cents: number;
}

const ROW_FIELDS = [
  ['label', 'name'],
  ['amount', 'cents'],
  ['note', 'note'],
] as const;

const insertItems = chunkedInsert({
  columns: ROW_FIELDS.map(([column]) => column),
  build: (db: TestDb, rows) => db.insertInto('chunk_rows').values(rows),
  read: (item: Item, column) => item[ROW_FIELDS[column]![1]],
});

const insertNewKeys = chunkedInsert({
  columns: ['key', 'label'],
  build: (db: TestDb, rows) =>
    db
      .insertInto('chunk_keys')
      .values(rows)
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('key'),
  read: (row: { key: string; label: string }, column) => (column === 0 ? row.key : row.label),
});

function items(count: number): Item[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `第${i}行`,
    // Beyond 32 bits, so a value bound to the wrong parameter type or position would show.
    cents: 2 ** 40 + i,
    note: i % 3 === 0 ? null : `note ${i}`,
  }));
}

/** The rows a batch should become, in its order. */
function rowsOf(batch: readonly Item[]) {
  return batch.map((item) => ({ label: item.name, amount: item.cents, note: item.note }));
}

/** What chunk_rows holds, in the order it was inserted. */
function storedRows(db: TestDb) {
  return db.selectFrom('chunk_rows').select(['label', 'amount', 'note']).orderBy('id').execute();
}

/** The number of rows of each statement the test database runs, from its bound parameters. */
function chunkSizes(db: TestDb, columns: number) {
  const spy = vi.spyOn(db, 'executeQuery');
  return () => spy.mock.calls.map(([query]) => (query as CompiledQuery).parameters.length / columns);
}

describe.each(databaseBackends())('chunked insert on $name', (backend) => {
  let test: TestDatabase;
  let db: TestDb;
  beforeEach(async () => {
    test = await backend.create({ migrate: false });
    db = test.database.db.withTables<TestTables>();
    const id =
      backend.name === 'postgres'
        ? sql`id integer generated always as identity primary key`
        : sql`id integer primary key`;
    await sql`create table chunk_rows (${id}, label text not null, amount bigint not null, note text)`.execute(
      db,
    );
    await sql`create table chunk_keys (key text primary key, label text not null)`.execute(db);
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await test.dispose();
  });

  it('stores a batch that needs every chunk size (341 = 256 + 64 + 16 + 4 + 1) completely, in order, every column right', async () => {
    const batch = items(341);
    const sizes = chunkSizes(db, ROW_FIELDS.length);
    // Without RETURNING there is nothing to read, and the type says so.
    const returned = await insertItems(db, batch);
    expectTypeOf(returned).toEqualTypeOf<never[]>();
    expect(returned).toEqual([]);
    expect(sizes()).toEqual([256, 64, 16, 4, 1]);
    expect(await storedRows(db)).toEqual(rowsOf(batch));
  });

  it('takes the largest size that fits again and again, and runs nothing for an empty batch', async () => {
    const sizes = chunkSizes(db, ROW_FIELDS.length);
    await insertItems(db, items(300));
    expect(sizes()).toEqual([256, 16, 16, 4, 4, 4]);
    await insertItems(db, []);
    expect(sizes()).toHaveLength(6);
    const count = await db
      .selectFrom('chunk_rows')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(300);
  });

  it('with ON CONFLICT DO NOTHING RETURNING returns only the new rows of all chunks and keeps the stored ones', async () => {
    await insertNewKeys(db, [
      { key: 'k3', label: 'first' },
      { key: 'k17', label: 'first' },
    ]);
    // 21 rows: chunks of 16, 4 and 1, with one known key in the first chunk and one in the second.
    const batch = Array.from({ length: 21 }, (_, i) => ({ key: `k${i}`, label: 'second' }));
    const returned = await insertNewKeys(db, batch);
    expectTypeOf(returned).toEqualTypeOf<{ key: string }[]>();
    const fresh = batch.map((row) => row.key).filter((key) => key !== 'k3' && key !== 'k17');
    expect(returned.map((row) => row.key).sort()).toEqual(fresh.sort());
    const kept = await db
      .selectFrom('chunk_keys')
      .select(['key', 'label'])
      .where('label', '=', 'first')
      .orderBy('key')
      .execute();
    expect(kept).toEqual([
      { key: 'k17', label: 'first' },
      { key: 'k3', label: 'first' },
    ]);
  });

  it('runs its chunks on the transaction it is given: a rollback takes every chunk back', async () => {
    await expect(
      db.transaction().execute(async (trx) => {
        await insertItems(trx, items(85));
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await db.selectFrom('chunk_rows').select('id').execute()).toEqual([]);
  });

  it('with exactUpTo, runs one statement of the exact row count, cutting longer lists at that size', async () => {
    const insertExact = chunkedInsert({
      columns: ROW_FIELDS.map(([column]) => column),
      build: (db: TestDb, rows) => db.insertInto('chunk_rows').values(rows),
      read: (item: Item, column) => item[ROW_FIELDS[column]![1]],
      exactUpTo: 5,
    });
    const sizes = chunkSizes(db, ROW_FIELDS.length);
    const batch = items(13);
    await insertExact(db, batch.slice(0, 3));
    await insertExact(db, batch.slice(3));
    expect(sizes()).toEqual([3, 5, 5]);
    expect(await storedRows(db)).toEqual(rowsOf(batch));
  });

  it('refuses a build that binds a value of its own instead of a placeholder', async () => {
    const withConstant = chunkedInsert({
      columns: ['key'],
      build: (db: TestDb, rows) =>
        db.insertInto('chunk_keys').values(rows.map((row) => ({ ...row, label: 'x' }))),
      read: (key: string) => key,
    });
    await expect(withConstant(db, ['a'])).rejects.toThrow('unexpected constant parameter');
  });
});

describe('chunked insert limits', () => {
  it('refuses more columns than the largest chunk can bind in one statement', () => {
    const columns = Array.from({ length: 128 }, (_, i) => `c${i}`);
    const build = (db: Kysely<Record<string, Record<string, unknown>>>) => db.insertInto('t').values({});
    expect(() => chunkedInsert({ columns, build, read: () => null })).toThrow(RangeError);
    expect(() => chunkedInsert({ columns: columns.slice(1), build, read: () => null })).not.toThrow();
  });

  it('refuses an exactUpTo that is not a whole number of rows or binds too many parameters', () => {
    const build = (db: Kysely<Record<string, Record<string, unknown>>>) => db.insertInto('t').values({});
    const spec = { columns: ['a', 'b'], build, read: () => null };
    expect(() => chunkedInsert({ ...spec, exactUpTo: 0 })).toThrow(RangeError);
    expect(() => chunkedInsert({ ...spec, exactUpTo: 2.5 })).toThrow(RangeError);
    expect(() => chunkedInsert({ ...spec, exactUpTo: 16_384 })).toThrow(RangeError);
    expect(() => chunkedInsert({ ...spec, exactUpTo: 16_383 })).not.toThrow();
  });
});
