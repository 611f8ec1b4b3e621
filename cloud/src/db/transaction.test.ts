import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from './database.js';
import { databaseBackends, type TestDatabase } from './testing.js';
import { transaction } from './transaction.js';

const site = {
  id: 's1',
  name_zh: '测试景区',
  name_en: 'Test site',
  timezone: 'Asia/Shanghai',
  daily_capacity: 0,
  created_at: 0,
};

function errorCode(error: unknown): string | undefined {
  return (error as { code?: string }).code;
}

const backends = databaseBackends();
const sqlite = backends.find((backend) => backend.name === 'sqlite')!;
const postgres = backends.find((backend) => backend.name === 'postgres');

describe.each(backends)('transaction() on $name', (backend) => {
  let test: TestDatabase;
  beforeEach(async () => {
    test = await backend.create();
  });
  afterEach(() => test.dispose());

  it('commits what fn wrote and returns its result', async () => {
    const result = await transaction(test.database.db, async (trx) => {
      await trx.insertInto('sites').values(site).execute();
      return 'done';
    });
    expect(result).toBe('done');
    expect(await test.database.db.selectFrom('sites').select('id').execute()).toEqual([{ id: 's1' }]);
  });

  it('rolls back everything when fn throws, and does not retry ordinary errors', async () => {
    let calls = 0;
    await expect(
      transaction(test.database.db, async (trx) => {
        calls++;
        await trx.insertInto('sites').values(site).execute();
        await trx.insertInto('app_meta').values({ key: 'k', value: 'v', updated_at: 1 }).execute();
        throw new Error('business rule says no');
      }),
    ).rejects.toThrow('business rule says no');
    expect(calls).toBe(1);
    expect(await test.database.db.selectFrom('sites').selectAll().execute()).toEqual([]);
    expect(await test.database.db.selectFrom('app_meta').selectAll().execute()).toEqual([]);
  });

  it('joins a surrounding transaction instead of nesting', async () => {
    await expect(
      transaction(test.database.db, async (outer) => {
        await transaction(outer, (inner) => inner.insertInto('sites').values(site).execute());
        throw new Error('outer fails');
      }),
    ).rejects.toThrow('outer fails');
    expect(await test.database.db.selectFrom('sites').selectAll().execute()).toEqual([]);
  });
});

describe.skipIf(!postgres)('transaction() on postgres under contention', () => {
  let test: TestDatabase;
  beforeEach(async () => {
    test = await postgres!.create();
  });
  afterEach(() => test.dispose());

  it('retries a serialization failure (40001) between two SERIALIZABLE transactions; no update is lost', async () => {
    await test.database.db.insertInto('sites').values(site).execute();
    // Both transactions read the counter before either writes: a classic lost-update race.
    let arrived = 0;
    let releaseBoth!: () => void;
    const bothRead = new Promise<void>((resolve) => {
      releaseBoth = resolve;
    });
    const retries: unknown[] = [];
    const increment = () =>
      transaction(
        test.database.db,
        async (trx) => {
          const { daily_capacity } = await trx
            .selectFrom('sites')
            .select('daily_capacity')
            .where('id', '=', 's1')
            .executeTakeFirstOrThrow();
          if (++arrived === 2) releaseBoth();
          if (arrived <= 2) await bothRead;
          await trx
            .updateTable('sites')
            .set({ daily_capacity: (daily_capacity ?? 0) + 1 })
            .where('id', '=', 's1')
            .execute();
        },
        { onRetry: (_attempt, error) => retries.push(error) },
      );
    await Promise.all([increment(), increment()]);
    expect(retries.map(errorCode)).toEqual(['40001']);
    const row = await test.database.db.selectFrom('sites').select('daily_capacity').executeTakeFirstOrThrow();
    expect(row.daily_capacity).toBe(2);
  });
});

describe('transaction() on sqlite under contention', () => {
  let test: TestDatabase;
  beforeEach(async () => {
    test = await sqlite.create();
  });
  afterEach(() => test.dispose());

  it('retries SQLITE_BUSY while another connection holds the write lock, and gives up after maxAttempts', async () => {
    if (test.config.dialect !== 'sqlite') throw new Error('expected SQLite');
    // A short busy timeout: the driver waits synchronously, so the other connection can only let go between
    // our attempts, during the helper's (asynchronous) backoff.
    const impatient = openDatabase({ ...test.config, busyTimeoutMs: 5 });
    const other = new BetterSqlite3(test.config.path);
    try {
      other.exec('begin immediate');
      await expect(
        transaction(impatient.db, (trx) => trx.insertInto('sites').values(site).execute(), {
          maxAttempts: 2,
        }),
      ).rejects.toMatchObject({ code: expect.stringMatching(/^SQLITE_BUSY/) });

      const retries: unknown[] = [];
      setTimeout(() => other.exec('commit'), 60);
      await transaction(impatient.db, (trx) => trx.insertInto('sites').values(site).execute(), {
        maxAttempts: 20,
        onRetry: (_attempt, error) => retries.push(error),
      });
      expect(retries.length).toBeGreaterThan(0);
      expect(retries.every((error) => errorCode(error)?.startsWith('SQLITE_BUSY'))).toBe(true);
      const { rows } = await sql<{ n: number }>`select count(*) as n from sites`.execute(test.database.db);
      expect(rows[0]?.n).toBe(1);
    } finally {
      if (other.inTransaction) other.exec('rollback');
      other.close();
      await impatient.close();
    }
  });
});

describe('transaction() on sqlite with group commit', () => {
  let test: TestDatabase;
  beforeEach(async () => {
    test = await sqlite.create();
  });
  afterEach(() => test.dispose());

  it('commits concurrent transactions together, rolls a failing one back alone, in the order they came', async () => {
    const db = test.database.db;
    const results = await Promise.allSettled([
      transaction(db, async (trx) => {
        await trx.insertInto('sites').values(site).execute();
        return 'first';
      }),
      transaction(db, async (trx) => {
        await trx.insertInto('app_meta').values({ key: 'k', value: 'v', updated_at: 1 }).execute();
        throw new Error('business rule says no');
      }),
      // Sees the first one's row, as if it had committed before: the same id is refused.
      transaction(db, (trx) => trx.insertInto('sites').values(site).execute()),
      transaction(db, async (trx) => {
        await trx
          .insertInto('sites')
          .values({ ...site, id: 's2' })
          .execute();
        return 'last';
      }),
    ]);
    expect(results.map((result) => result.status)).toEqual([
      'fulfilled',
      'rejected',
      'rejected',
      'fulfilled',
    ]);
    expect(results[0]).toMatchObject({ value: 'first' });
    expect(results[1]).toMatchObject({ reason: { message: 'business rule says no' } });
    expect(results[3]).toMatchObject({ value: 'last' });
    const sites = await db.selectFrom('sites').select('id').orderBy('id').execute();
    expect(sites).toEqual([{ id: 's1' }, { id: 's2' }]);
    expect(await db.selectFrom('app_meta').selectAll().execute()).toEqual([]);
  });
});
