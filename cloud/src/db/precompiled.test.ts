import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { precompile } from './precompiled.js';
import type { Database } from './schema.js';
import { databaseBackends, type TestDatabase } from './testing.js';
import { transaction } from './transaction.js';

const insertSite = precompile<{ id: string; name: string; createdAt: number }, { id: string }, Database>(
  (db, p) =>
    db
      .insertInto('sites')
      .values({
        id: p.id,
        name_zh: p.name,
        name_en: p.name,
        timezone: 'Asia/Shanghai',
        daily_capacity: null,
        created_at: p.createdAt,
        age_policy: null,
      })
      .returning('id'),
);

const siteById = precompile<{ id: string }, { id: string; name_zh: string; created_at: number }, Database>(
  (db, p) => db.selectFrom('sites').select(['id', 'name_zh', 'created_at']).where('id', '=', p.id),
);

const capSite = precompile<{ id: string; cap: number }, never, Database>((db, p) =>
  db.updateTable('sites').set({ daily_capacity: p.cap }).where('id', '=', p.id),
);

describe.each(databaseBackends())('precompiled statements on $name', (backend) => {
  let test: TestDatabase;
  beforeEach(async () => {
    test = await backend.create();
  });
  afterEach(() => test.dispose());

  it('runs with each call’s own values, constants kept, results through the same plugins', async () => {
    const { db } = test.database;
    expect(await insertSite.first(db, { id: 'a', name: '甲', createdAt: 1_700_000_000_000 })).toEqual({
      id: 'a',
    });
    expect(await insertSite.first(db, { id: 'b', name: 'B', createdAt: 2 ** 40 })).toEqual({ id: 'b' });
    // BIGINT comes back as a JS number on both engines, as with a built query.
    expect(await siteById.first(db, { id: 'b' })).toEqual({ id: 'b', name_zh: 'B', created_at: 2 ** 40 });
    expect(await siteById.rows(db, { id: 'missing' })).toEqual([]);
    const site = await db
      .selectFrom('sites')
      .select('timezone')
      .where('id', '=', 'a')
      .executeTakeFirstOrThrow();
    expect(site.timezone).toBe('Asia/Shanghai');
    expect(await capSite.changed(db, { id: 'a', cap: 500 })).toBe(1);
    expect(await capSite.changed(db, { id: 'nope', cap: 500 })).toBe(0);
  });

  it('joins the transaction it is given: a rollback takes its writes back', async () => {
    const { db } = test.database;
    await expect(
      transaction(db, async (trx) => {
        await insertSite.rows(trx, { id: 'gone', name: 'x', createdAt: 1 });
        expect(await siteById.first(trx, { id: 'gone' })).toBeDefined();
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await siteById.first(db, { id: 'gone' })).toBeUndefined();
  });

  it('refuses a call without one of its parameters instead of binding undefined', async () => {
    const { db } = test.database;
    await expect(siteById.first(db, {} as { id: string })).rejects.toThrow(/parameter id is missing/);
  });
});
