import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends, type TestDatabase } from '../../db/testing.js';
import { refundedByCashier } from './repo.js';

describe.each(databaseBackends())('a cashier’s refunds of a day on $name', (backend) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await backend.create();
  });
  afterAll(() => test?.dispose());

  it('are found by an index on (cashier_id, created_at), not by reading every refund', async () => {
    const { database } = test;
    if (database.dialect === 'sqlite') {
      const { rows } = await sql<{ detail: string }>`explain query plan
        select coalesce(sum(amount_fen), 0) from refunds
        where cashier_id = ${'c1'} and created_at >= ${0} and created_at < ${1}`.execute(database.db);
      expect(rows.map((row) => row.detail).join('\n')).toMatch(
        /USING (COVERING )?INDEX refunds_cashier_created/,
      );
    } else {
      const { rows } = await sql<{ indexdef: string }>`select indexdef from pg_indexes
        where tablename = 'refunds' and indexname = 'refunds_cashier_created'`.execute(database.db);
      expect(rows[0]?.indexdef).toMatch(/\(cashier_id, created_at\)/);
    }
    expect(await refundedByCashier(database.db, 'c1', 0, Date.now())).toBe(0);
  });
});
