import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseBackends, type TestDatabase } from '../../db/testing.js';
import { transaction } from '../../db/transaction.js';
import type { TakingEntry } from './contract.js';
import { TakingsService } from './service.js';

const sale = (over: Partial<TakingEntry> = {}): TakingEntry => ({
  source: 'sale',
  sourceId: 's1',
  siteId: 'park',
  at: 1_765_000_000_000,
  day: 20_430,
  channel: 'window',
  windowId: 'W01',
  cashierId: 'c1',
  agencyId: null,
  payments: [
    { method: 'cash', amountFen: 5_000 },
    { method: 'wechat', amountFen: 3_000 },
    { method: 'cash', amountFen: -200 },
  ],
  items: [
    { typeId: 1, tickets: 2, persons: 2, amountFen: 6_000 },
    { typeId: 2, tickets: 1, persons: 5, amountFen: 1_800 },
  ],
  ...over,
});

describe.each(databaseBackends())('takings on $name', (backend) => {
  let test: TestDatabase;
  let takings: TakingsService;

  beforeEach(async () => {
    test = await backend.create();
    // Every cashier's taking falls in one shift (the shifts' own lookup is tested in shifts/shifts.test.ts).
    takings = new TakingsService(() => sql<string | null>`'shift-1'`);
  });
  afterEach(() => test.dispose());

  const record = (entry: TakingEntry) => transaction(test.database.db, (trx) => takings.record(trx, entry));

  it('writes the journal and adds to the day rollups, summing repeated methods and types', async () => {
    await record(sale());
    await record(
      sale({
        source: 'refund',
        sourceId: 'r1',
        payments: [{ method: 'cash', amountFen: -3_000 }],
        items: [{ typeId: 1, tickets: -1, persons: -1, amountFen: -3_000 }],
      }),
    );
    const { db } = test.database;
    const journal = await db.selectFrom('takings').selectAll().orderBy('id').execute();
    expect(journal.map((t) => [t.source, Number(t.amount_fen), t.tickets, t.persons, t.shift_id])).toEqual([
      ['sale', 7_800, 3, 7, 'shift-1'],
      ['refund', -3_000, -1, -1, 'shift-1'],
    ]);
    const payments = await db.selectFrom('taking_payments').selectAll().orderBy('taking_id').execute();
    expect(payments).toHaveLength(4);
    const money = await db
      .selectFrom('takings_day_money')
      .select(['source', 'method', 'payments', 'amount_fen', 'agency_id'])
      .orderBy('source')
      .orderBy('method')
      .execute();
    expect(money.map((m) => [m.source, m.method, m.payments, Number(m.amount_fen), m.agency_id])).toEqual([
      ['refund', 'cash', 1, -3_000, ''],
      ['sale', 'cash', 1, 4_800, ''],
      ['sale', 'wechat', 1, 3_000, ''],
    ]);
    await record(sale({ sourceId: 's2', items: [] }));
    const cash = await db
      .selectFrom('takings_day_money')
      .select(['payments', 'amount_fen'])
      .where('source', '=', 'sale')
      .where('method', '=', 'cash')
      .executeTakeFirstOrThrow();
    expect([cash.payments, Number(cash.amount_fen)]).toEqual([2, 9_600]);
    const items = await db
      .selectFrom('takings_day_items')
      .select(['source', 'type_id', 'tickets', 'persons', 'amount_fen'])
      .orderBy('source')
      .orderBy('type_id')
      .execute();
    expect(items.map((i) => [i.source, i.type_id, i.tickets, i.persons, Number(i.amount_fen)])).toEqual([
      ['refund', 1, -1, -1, -3_000],
      ['sale', 1, 2, 2, 6_000],
      ['sale', 2, 1, 5, 1_800],
    ]);
  });

  it('writes nothing for a taking without money or tickets, and nothing when the transaction fails', async () => {
    await record(sale({ payments: [], items: [] }));
    await expect(
      transaction(test.database.db, async (trx) => {
        await takings.record(trx, sale());
        throw new Error('the change failed after its taking');
      }),
    ).rejects.toThrow('the change failed');
    const { db } = test.database;
    expect(await db.selectFrom('takings').selectAll().execute()).toEqual([]);
    expect(await db.selectFrom('takings_day_money').selectAll().execute()).toEqual([]);
    expect(await db.selectFrom('takings_day_items').selectAll().execute()).toEqual([]);
  });

  it('keeps the rollups equal to the journal under parallel takings', async () => {
    await Promise.all(
      Array.from({ length: 40 }, (_, n) => record(sale({ sourceId: `p${n}`, cashierId: `c${n % 3}` }))),
    );
    const { db } = test.database;
    const [journal] = await db
      .selectFrom('taking_payments')
      .select((eb) => eb.fn.sum<string>('amount_fen').as('fen'))
      .execute();
    const [rolled] = await db
      .selectFrom('takings_day_money')
      .select((eb) => [eb.fn.sum<string>('amount_fen').as('fen'), eb.fn.sum<string>('payments').as('n')])
      .execute();
    expect(Number(rolled!.fen)).toBe(40 * 7_800);
    expect(Number(journal!.fen)).toBe(40 * 7_800);
    expect(Number(rolled!.n)).toBe(40 * 2);
  });
});
