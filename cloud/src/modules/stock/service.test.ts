import { barcodeCheckDigit, checkBarcode, generateBarcode } from '@scenic/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../db/schema.js';
import { databaseBackends, type TestDatabase } from '../../db/testing.js';
import { transaction } from '../../db/transaction.js';
import { activateForSale } from './activation.js';
import { StockService } from './service.js';
import { ADULT, CHILD, createStockFixture, type StockFixture } from './testing.js';

/** A well-formed code whose check digit is wrong. */
function withBadCheckDigit(code: string): string {
  const body = code.slice(0, -1);
  return body + ((barcodeCheckDigit(body) + 1) % 10);
}

async function codeOf(rejection: Promise<unknown>): Promise<string> {
  const error = (await rejection.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e,
  )) as { code?: string };
  return error.code ?? String(error);
}

describe.each(databaseBackends())('ticket stock on $name', (backend) => {
  let test: TestDatabase;
  let fx: StockFixture;
  const db = () => test.database.db;
  const count = async (table: keyof Database) =>
    Number(
      (
        await db()
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const stateOf = (code: string) => fx.stock.codeDetail(code);
  const sell = (code: string, cashierId: string, ticketTypeId = ADULT, ticketId = `t-${code}`) =>
    transaction(db(), (trx) => activateForSale(trx, { code, cashierId, ticketTypeId, ticketId }));

  beforeEach(async () => {
    test = await backend.create();
    fx = await createStockFixture(db());
  });
  afterEach(() => test.dispose());

  describe('making stock', () => {
    it('generates a batch of distinct, check-digit-valid codes into the warehouse, ledgered and audited', async () => {
      const batch = await fx.stock.generateBatch(
        { ticketTypeId: ADULT, count: 40, note: '春节' },
        fx.manager,
      );
      expect(batch).toMatchObject({ siteId: 'park', ticketTypeId: ADULT, count: 40, source: 'generated' });
      expect(new Set(batch.codes).size).toBe(40);
      for (const code of batch.codes) expect(checkBarcode(code)).toMatchObject({ ok: true });
      expect(await fx.stock.warehouseBalances({})).toEqual([
        { siteId: 'park', ticketTypeId: ADULT, inWarehouse: 40 },
      ]);
      expect(await fx.stock.batchCodes(batch.batchId)).toEqual(batch.codes);
      expect((await stateOf(batch.codes[7]!)).movements).toMatchObject([
        { kind: 'import', fromState: null, toState: 'in_warehouse', operatorUsername: 'stock-test' },
      ]);
      const audit = await db()
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'stock.generate')
        .execute();
      expect(audit).toHaveLength(1);
      expect(audit[0]!.entity_id).toBe(String(batch.batchId));
    });

    it('regenerates codes that already exist in stock', async () => {
      const first = await fx.stock.generateBatch({ ticketTypeId: ADULT, count: 3 }, fx.manager);
      let calls = 0;
      const stock = new StockService(db(), fx.ticketTypes, {
        // The first draw repeats two stocked codes; the service must draw again for those two.
        generate: (n) => (calls++ === 0 ? [first.codes[0]!, first.codes[1]!, generateBarcode()] : fresh(n)),
      });
      const second = await stock.generateBatch({ ticketTypeId: ADULT, count: 3 }, fx.manager);
      expect(second.codes.filter((code) => first.codes.includes(code))).toEqual([]);
      expect(new Set(second.codes).size).toBe(3);
      expect(calls).toBe(2);
    });

    it('imports a list of pre-printed codes, normalised, in the order given', async () => {
      const codes = [generateBarcode(), generateBarcode(10), generateBarcode(16)];
      const spaced = `${codes[0]!.slice(0, 4)} ${codes[0]!.slice(4)}`;
      const batch = await fx.stock.importBatch(
        { ticketTypeId: CHILD, codes: [spaced, codes[1]!, codes[2]!] },
        fx.manager,
      );
      expect(batch).toMatchObject({ source: 'imported', count: 3, ticketTypeId: CHILD, codes });
      expect((await stateOf(codes[2]!)).seq).toBe(3);
    });

    it('refuses an import with any bad code, naming each by position, and imports nothing', async () => {
      const stocked = (await fx.stock.generateBatch({ ticketTypeId: ADULT, count: 1 }, fx.manager)).codes[0]!;
      const good = generateBarcode();
      const before = [
        await count('stock_codes'),
        await count('stock_movements'),
        await count('stock_batches'),
      ];
      const refusal = await fx.stock
        .importBatch(
          {
            ticketTypeId: ADULT,
            codes: [good, 'ABC12345', withBadCheckDigit(generateBarcode()), good, stocked, generateBarcode()],
          },
          fx.manager,
        )
        .catch((e: { code: string; details: unknown }) => e);
      expect(refusal).toMatchObject({
        code: 'STOCK_IMPORT_REJECTED',
        details: {
          rejected: [
            { position: 2, reason: 'MALFORMED' },
            { position: 3, reason: 'BAD_CHECK_DIGIT' },
            { position: 4, code: good, reason: 'DUPLICATE_IN_LIST' },
            { position: 5, code: stocked, reason: 'ALREADY_EXISTS' },
          ],
        },
      });
      expect([
        await count('stock_codes'),
        await count('stock_movements'),
        await count('stock_batches'),
      ]).toEqual(before);
    });

    it('refuses stock of an unknown ticket type', async () => {
      expect(await codeOf(fx.stock.generateBatch({ ticketTypeId: 99, count: 2 }, fx.manager))).toBe(
        'NOT_FOUND',
      );
      expect(await count('stock_codes')).toBe(0);
    });
  });

  describe('issuing, returning and voiding', () => {
    let codes: string[];
    let batchId: number;
    beforeEach(async () => {
      const batch = await fx.stock.generateBatch({ ticketTypeId: ADULT, count: 10 }, fx.manager);
      codes = batch.codes;
      batchId = batch.batchId;
    });

    it('issues listed codes and a range to a cashier, and takes unsold ones back', async () => {
      const [alice] = fx.cashiers;
      expect(await fx.stock.issue({ cashierId: alice, codes: [codes[0]!, codes[0]!] }, fx.manager)).toEqual({
        count: 1,
        codes: [codes[0]],
      });
      const range = await fx.stock.issue(
        { cashierId: alice, range: { batchId, fromSeq: 2, toSeq: 5 } },
        fx.manager,
      );
      expect(range.codes).toEqual(codes.slice(1, 5));
      expect(await fx.stock.cashierBalances({})).toEqual([
        { cashierId: alice, cashierUsername: 'cashier_a', ticketTypeId: ADULT, issued: 5 },
      ]);
      expect(await fx.stock.balanceOf(alice)).toEqual({
        cashierId: alice,
        types: [{ ticketTypeId: ADULT, issued: 5, codes: codes.slice(0, 5) }],
      });
      await fx.stock.returnToWarehouse({ cashierId: alice, codes: [codes[1]!, codes[2]!] }, fx.manager);
      expect(await fx.stock.warehouseBalances({ siteId: 'park' })).toEqual([
        { siteId: 'park', ticketTypeId: ADULT, inWarehouse: 7 },
      ]);
      expect((await stateOf(codes[1]!)).movements.map((m) => [m.kind, m.fromHolder, m.toHolder])).toEqual([
        ['import', null, null],
        ['issue', null, alice],
        ['return', alice, null],
      ]);
    });

    it('issues only to an active operator who may sell', async () => {
      expect(await codeOf(fx.stock.issue({ cashierId: fx.gateStaff, codes: [codes[0]!] }, fx.manager))).toBe(
        'STOCK_CASHIER_INVALID',
      );
      expect(await codeOf(fx.stock.issue({ cashierId: 'nobody', codes: [codes[0]!] }, fx.manager))).toBe(
        'STOCK_CASHIER_INVALID',
      );
      await db().updateTable('operators').set({ active: 0 }).where('id', '=', fx.cashiers[1]).execute();
      expect(
        await codeOf(fx.stock.issue({ cashierId: fx.cashiers[1], codes: [codes[0]!] }, fx.manager)),
      ).toBe('STOCK_CASHIER_INVALID');
      expect((await stateOf(codes[0]!)).state).toBe('in_warehouse');
    });

    it('moves all or nothing: one unavailable or unknown code refuses the whole request', async () => {
      const [alice, bob] = fx.cashiers;
      await fx.stock.issue({ cashierId: alice, codes: [codes[3]!] }, fx.manager);
      const ledger = await count('stock_movements');
      const refusal = await fx.stock
        .issue({ cashierId: bob, range: { batchId, fromSeq: 1, toSeq: 6 } }, fx.manager)
        .catch((e: { code: string; details: unknown }) => e);
      expect(refusal).toMatchObject({
        code: 'STOCK_CODES_UNAVAILABLE',
        details: { codes: [{ code: codes[3], state: 'issued', holderId: alice }] },
      });
      expect(
        await codeOf(fx.stock.issue({ cashierId: bob, codes: [codes[0]!, generateBarcode()] }, fx.manager)),
      ).toBe('STOCK_CODE_UNKNOWN');
      expect(
        await codeOf(
          fx.stock.issue({ cashierId: bob, range: { batchId, fromSeq: 9, toSeq: 11 } }, fx.manager),
        ),
      ).toBe('STOCK_RANGE_INVALID');
      expect(
        await codeOf(fx.stock.returnToWarehouse({ cashierId: bob, codes: [codes[3]!] }, fx.manager)),
      ).toBe('STOCK_CODES_UNAVAILABLE');
      expect(
        await codeOf(
          fx.stock.returnToWarehouse({ cashierId: alice, codes: [codes[3]!, codes[4]!] }, fx.manager),
        ),
      ).toBe('STOCK_CODES_UNAVAILABLE');
      expect(await count('stock_movements')).toBe(ledger);
      expect(await fx.stock.balanceOf(bob)).toEqual({ cashierId: bob, types: [] });
    });

    it('voids lost stubs from the warehouse or a cashier, never sold or voided ones', async () => {
      const [alice] = fx.cashiers;
      await fx.stock.issue({ cashierId: alice, codes: codes.slice(0, 3) }, fx.manager);
      await sell(codes[0]!, alice);
      const voided = await fx.stock.voidCodes({ codes: [codes[1]!, codes[9]!], reason: '遗失' }, fx.manager);
      expect(voided.count).toBe(2);
      expect((await stateOf(codes[1]!)).movements.at(-1)).toMatchObject({
        kind: 'void',
        fromState: 'issued',
        fromHolder: alice,
        toState: 'voided',
        reason: '遗失',
      });
      for (const code of [codes[0]!, codes[1]!])
        expect(await codeOf(fx.stock.voidCodes({ codes: [code, codes[5]!], reason: 'x' }, fx.manager))).toBe(
          'STOCK_CODES_UNAVAILABLE',
        );
      expect((await stateOf(codes[5]!)).state).toBe('in_warehouse');
      const report = await fx.stock.reconciliation({});
      expect(report.total).toEqual({
        count: 10,
        states: { inWarehouse: 6, issued: 1, sold: 1, voided: 2 },
        ledger: { imported: 10, inWarehouse: 6, issued: 1, sold: 1, voided: 2 },
        balanced: true,
      });
      const audit = await db()
        .selectFrom('audit_log')
        .select('action')
        .where('action', 'like', 'stock.%')
        .orderBy('seq')
        .execute();
      expect(audit.map((row) => row.action)).toEqual(['stock.generate', 'stock.issue', 'stock.void']);
    });
  });

  describe('reading a batch and who may hold stock', () => {
    it('pages a batch’s codes by sequence with state and holder, filtered by state', async () => {
      const [alice] = fx.cashiers;
      const batch = await fx.stock.generateBatch({ ticketTypeId: ADULT, count: 7 }, fx.manager);
      await fx.stock.issue(
        { cashierId: alice, range: { batchId: batch.batchId, fromSeq: 2, toSeq: 4 } },
        fx.manager,
      );
      await fx.stock.voidCodes({ codes: [batch.codes[6]!], reason: '损坏' }, fx.manager);
      const first = await fx.stock.batchCodePage(batch.batchId, { after: 0, limit: 3 });
      expect(first.items.map((item) => [item.seq, item.code, item.state, item.holderUsername])).toEqual([
        [1, batch.codes[0], 'in_warehouse', null],
        [2, batch.codes[1], 'issued', 'cashier_a'],
        [3, batch.codes[2], 'issued', 'cashier_a'],
      ]);
      expect(first.items[1]!.holderId).toBe(alice);
      expect(first.next).toBe(3);
      const rest = await fx.stock.batchCodePage(batch.batchId, { after: 3, limit: 4 });
      expect(rest.items.map((item) => item.seq)).toEqual([4, 5, 6, 7]);
      expect(rest.next).toBeNull();
      const voided = await fx.stock.batchCodePage(batch.batchId, { after: 0, limit: 10, state: 'voided' });
      expect(voided.items.map((item) => [item.code, item.state])).toEqual([[batch.codes[6], 'voided']]);
      expect(await codeOf(fx.stock.batchCodePage(999, { after: 0, limit: 10 }))).toBe('NOT_FOUND');
    });

    it('offers only active operators who may sell as recipients, searchable by name', async () => {
      expect((await fx.stock.cashiers({})).map((c) => c.username)).toEqual(['cashier_a', 'cashier_b']);
      expect(await fx.stock.cashiers({ q: 'R_B' })).toEqual([
        { id: fx.cashiers[1], username: 'cashier_b', displayName: 'cashier_b' },
      ]);
      expect(await fx.stock.cashiers({ q: '%' })).toEqual([]);
      await db().updateTable('operators').set({ active: 0 }).where('id', '=', fx.cashiers[0]).execute();
      expect((await fx.stock.cashiers({})).map((c) => c.username)).toEqual(['cashier_b']);
    });
  });

  describe('activation for sale', () => {
    let codes: string[];
    beforeEach(async () => {
      codes = (await fx.stock.generateBatch({ ticketTypeId: ADULT, count: 6 }, fx.manager)).codes;
      await fx.stock.issue({ cashierId: fx.cashiers[0], codes: codes.slice(0, 4) }, fx.manager);
    });

    it('sells a code issued to this cashier, of this type, once', async () => {
      const [alice] = fx.cashiers;
      const activation = await sell(` ${codes[0]} `, alice, ADULT, 'ticket-1');
      expect(activation).toMatchObject({ code: codes[0], seq: 1, ticketId: 'ticket-1' });
      expect(await stateOf(codes[0]!)).toMatchObject({ state: 'sold', holderId: null, ticketId: 'ticket-1' });
      expect((await stateOf(codes[0]!)).movements.at(-1)).toMatchObject({
        kind: 'sell',
        fromHolder: alice,
        operatorId: alice,
        operatorUsername: 'cashier_a',
      });
      expect(await codeOf(sell(codes[0]!, alice))).toBe('STOCK_ALREADY_SOLD');
    });

    it('names why a code cannot be sold', async () => {
      const [alice, bob] = fx.cashiers;
      await fx.stock.voidCodes({ codes: [codes[1]!], reason: '损坏' }, fx.manager);
      expect(await codeOf(sell(generateBarcode(), alice))).toBe('STOCK_CODE_UNKNOWN');
      expect(await codeOf(sell('not a code', alice))).toBe('STOCK_CODE_UNKNOWN');
      expect(await codeOf(sell(codes[1]!, alice))).toBe('STOCK_VOIDED');
      expect(await codeOf(sell(codes[2]!, bob))).toBe('STOCK_NOT_ISSUED_TO_YOU');
      expect(await codeOf(sell(codes[5]!, alice))).toBe('STOCK_NOT_ISSUED_TO_YOU');
      expect(await codeOf(sell(codes[2]!, alice, CHILD))).toBe('STOCK_WRONG_TYPE');
      expect((await stateOf(codes[2]!)).state).toBe('issued');
    });

    it('100 parallel activations of one code: exactly one wins', async () => {
      const [alice] = fx.cashiers;
      const results = await Promise.allSettled(
        Array.from({ length: 100 }, (_, i) =>
          transaction(
            db(),
            (trx) =>
              activateForSale(trx, {
                code: codes[3]!,
                cashierId: alice,
                ticketTypeId: ADULT,
                ticketId: `t${i}`,
              }),
            { maxAttempts: 50 },
          ),
        ),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(new Set(lost.map((r) => (r.reason as { code?: string }).code))).toEqual(
        new Set(['STOCK_ALREADY_SOLD']),
      );
      const detail = await stateOf(codes[3]!);
      expect(detail.ticketId).toBe((won[0] as PromiseFulfilledResult<{ ticketId: string }>).value.ticketId);
      expect(detail.movements.filter((m) => m.kind === 'sell')).toHaveLength(1);
    });
  });
});

function fresh(n: number): string[] {
  return Array.from({ length: n }, () => generateBarcode());
}
