/**
 * The reconciliation property: after any seeded sequence of stock operations (refunds of stub-sold tickets among
 * them), valid and invalid, every operation
 * succeeded or failed exactly as a plain in-memory model of the rules says, the codes' states match the model,
 * warehouse + cashier balances + sold + voided = imported (overall and per ticket type), every batch reconciles,
 * and replaying the movements ledger from nothing gives every code's current state and holder.
 */
import { barcodeCheckDigit, generateBarcode } from '@scenic/protocol';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends, type TestDatabase } from '../../db/testing.js';
import { transaction } from '../../db/transaction.js';
import { activateForSale, voidRefundedStub } from './activation.js';
import type { StockState } from './tables.js';
import { ADULT, CHILD, createStockFixture, type StockFixture } from './testing.js';

interface ModelCode {
  state: StockState;
  holder: string | null;
  type: number;
}

const typeArb = fc.constantFrom(ADULT, CHILD);
const pickArb = fc.nat(1_000);
const picksArb = fc.array(
  fc.oneof({ weight: 9, arbitrary: pickArb }, { weight: 1, arbitrary: fc.constant(-1) }),
  {
    minLength: 1,
    maxLength: 3,
  },
);
const operationArb = fc.oneof(
  fc.record({ op: fc.constant('generate' as const), type: typeArb, count: fc.integer({ min: 1, max: 4 }) }),
  fc.record({
    op: fc.constant('import' as const),
    type: typeArb,
    entries: fc.array(
      fc.oneof(
        { weight: 6, arbitrary: fc.constant({ kind: 'fresh' as const, pick: 0 }) },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant('corrupt' as const), pick: pickArb }) },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant('existing' as const), pick: pickArb }) },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), pick: pickArb }) },
      ),
      { minLength: 1, maxLength: 4 },
    ),
  }),
  // Sometimes of codes in the warehouse only, so that cashiers hold stock to sell (and refund).
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('issue' as const),
      who: fc.nat(2),
      picks: picksArb,
      fromWarehouse: fc.boolean(),
    }),
  },
  fc.record({
    op: fc.constant('issueRange' as const),
    who: fc.nat(2),
    batch: pickArb,
    from: pickArb,
    length: fc.integer({ min: 1, max: 4 }),
  }),
  fc.record({ op: fc.constant('return' as const), who: fc.nat(1), picks: picksArb }),
  fc.record({ op: fc.constant('void' as const), picks: picksArb }),
  // Any code as any type, or one in the cashier's hands as its own type, so that sales (and refunds) happen.
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('sell' as const),
      who: fc.nat(1),
      pick: pickArb,
      type: typeArb,
      inHand: fc.boolean(),
    }),
  },
  // A refund of the ticket a stub was sold as: of a sold code, or of any code (which it leaves alone).
  {
    weight: 3,
    arbitrary: fc.record({ op: fc.constant('refund' as const), pick: pickArb, ofSold: fc.boolean() }),
  },
);
type Operation = typeof operationArb extends fc.Arbitrary<infer T> ? T : never;

function withBadCheckDigit(code: string): string {
  const body = code.slice(0, -1);
  return body + ((barcodeCheckDigit(body) + 1) % 10);
}

/** Runs one operation against the service and predicts its outcome from the model; returns [actual, expected]. */
async function step(
  fx: StockFixture,
  test: TestDatabase,
  model: Map<string, ModelCode>,
  batches: { id: number; codes: string[] }[],
  operation: Operation,
  index: number,
): Promise<[string, string]> {
  const order = [...model.keys()];
  const pick = (n: number) => (n < 0 || order.length === 0 ? generateBarcode() : order[n % order.length]!);
  const people = [...fx.cashiers, fx.gateStaff];
  const outcome = (promise: Promise<unknown>) =>
    promise.then(
      () => 'ok',
      (error: { code?: string }) => error.code ?? String(error),
    );
  const firstRefusal = (codes: readonly string[], allowed: (code: ModelCode) => boolean) => {
    if (codes.some((code) => !model.has(code))) return 'STOCK_CODE_UNKNOWN';
    return codes.every((code) => allowed(model.get(code)!)) ? 'ok' : 'STOCK_CODES_UNAVAILABLE';
  };
  const apply = (codes: readonly string[], state: StockState, holder: string | null) => {
    for (const code of codes) Object.assign(model.get(code)!, { state, holder });
  };

  switch (operation.op) {
    case 'generate': {
      const batch = await fx.stock.generateBatch(
        { ticketTypeId: operation.type, count: operation.count },
        fx.manager,
      );
      batches.push({ id: batch.batchId, codes: batch.codes });
      for (const code of batch.codes)
        model.set(code, { state: 'in_warehouse', holder: null, type: operation.type });
      return ['ok', 'ok'];
    }
    case 'import': {
      const codes: string[] = [];
      let valid = true;
      for (const entry of operation.entries) {
        if (entry.kind === 'corrupt') {
          codes.push(withBadCheckDigit(generateBarcode()));
          valid = false;
        } else if (entry.kind === 'existing' && order.length > 0) {
          codes.push(pick(entry.pick));
          valid = false;
        } else if (entry.kind === 'duplicate' && codes.length > 0) {
          codes.push(codes[entry.pick % codes.length]!);
          valid = false;
        } else codes.push(generateBarcode());
      }
      const actual = await outcome(
        fx.stock.importBatch({ ticketTypeId: operation.type, codes }, fx.manager).then((batch) => {
          batches.push({ id: batch.batchId, codes: batch.codes });
          for (const code of codes)
            model.set(code, { state: 'in_warehouse', holder: null, type: operation.type });
        }),
      );
      return [actual, valid ? 'ok' : 'STOCK_IMPORT_REJECTED'];
    }
    case 'issue':
    case 'issueRange': {
      const cashierId = people[operation.who]!;
      let expected: string;
      let codes: string[] = [];
      let actual: Promise<unknown>;
      if (operation.op === 'issue') {
        const inWarehouse = order.filter((c) => model.get(c)!.state === 'in_warehouse');
        codes = [
          ...new Set(
            operation.picks.map((n) =>
              operation.fromWarehouse && inWarehouse.length > 0 && n >= 0
                ? inWarehouse[n % inWarehouse.length]!
                : pick(n),
            ),
          ),
        ];
        expected = firstRefusal(codes, (code) => code.state === 'in_warehouse');
        actual = fx.stock.issue({ cashierId, codes }, fx.manager);
      } else {
        const batch =
          batches.length > 0 ? batches[operation.batch % batches.length]! : { id: 999_999, codes: [] };
        const fromSeq = 1 + (operation.from % Math.max(batch.codes.length, 1));
        const toSeq = fromSeq + operation.length - 1;
        codes = batch.codes.slice(fromSeq - 1, toSeq);
        expected =
          toSeq > batch.codes.length
            ? 'STOCK_RANGE_INVALID'
            : firstRefusal(codes, (code) => code.state === 'in_warehouse');
        actual = fx.stock.issue({ cashierId, range: { batchId: batch.id, fromSeq, toSeq } }, fx.manager);
      }
      if (operation.who === 2) expected = 'STOCK_CASHIER_INVALID';
      const result = await outcome(actual);
      if (result === 'ok') apply(codes, 'issued', cashierId);
      return [result, expected];
    }
    case 'return': {
      const cashierId = people[operation.who]!;
      const codes = [...new Set(operation.picks.map(pick))];
      const expected = firstRefusal(codes, (code) => code.state === 'issued' && code.holder === cashierId);
      const result = await outcome(fx.stock.returnToWarehouse({ cashierId, codes }, fx.manager));
      if (result === 'ok') apply(codes, 'in_warehouse', null);
      return [result, expected];
    }
    case 'void': {
      const codes = [...new Set(operation.picks.map(pick))];
      const expected = firstRefusal(
        codes,
        (code) => code.state === 'in_warehouse' || code.state === 'issued',
      );
      const result = await outcome(fx.stock.voidCodes({ codes, reason: 'lost' }, fx.manager));
      if (result === 'ok') apply(codes, 'voided', null);
      return [result, expected];
    }
    case 'sell': {
      const cashierId = people[operation.who]!;
      const inHand = order.filter((c) => model.get(c)!.holder === cashierId);
      const code =
        operation.inHand && inHand.length > 0
          ? inHand[operation.pick % inHand.length]!
          : pick(operation.pick);
      const type = operation.inHand && inHand.length > 0 ? model.get(code)!.type : operation.type;
      const known = model.get(code);
      const expected = !known
        ? 'STOCK_CODE_UNKNOWN'
        : known.state === 'sold'
          ? 'STOCK_ALREADY_SOLD'
          : known.state === 'voided'
            ? 'STOCK_VOIDED'
            : known.state !== 'issued' || known.holder !== cashierId
              ? 'STOCK_NOT_ISSUED_TO_YOU'
              : known.type !== type
                ? 'STOCK_WRONG_TYPE'
                : 'ok';
      const result = await outcome(
        transaction(test.database.db, (trx) =>
          activateForSale(trx, {
            code,
            cashierId,
            ticketTypeId: type,
            ticketId: `ticket-${index}`,
          }),
        ),
      );
      if (result === 'ok') apply([code], 'sold', null);
      return [result, expected];
    }
    case 'refund': {
      const sold = order.filter((code) => model.get(code)!.state === 'sold');
      const code =
        operation.ofSold && sold.length > 0 ? sold[operation.pick % sold.length]! : pick(operation.pick);
      const expected = model.get(code)?.state === 'sold' ? 'ok' : 'not sold';
      const voided = await transaction(test.database.db, (trx) =>
        voidRefundedStub(trx, {
          code,
          ticketId: `ticket-${index}`,
          refundId: `refund-${index}`,
          operatorId: fx.cashiers[0],
          operatorUsername: 'cashier_a',
        }),
      );
      const result = voided ? 'ok' : 'not sold';
      if (result === 'ok') apply([code], 'voided', null);
      return [result, expected];
    }
  }
}

/** Checks every invariant; returns how many stubs refunds voided (a run must exercise refunds to say anything). */
async function checkInvariants(
  fx: StockFixture,
  test: TestDatabase,
  model: Map<string, ModelCode>,
): Promise<number> {
  const db = test.database.db;
  const rows = await db.selectFrom('stock_codes').selectAll().execute();
  const current = new Map(
    rows.map((row) => [row.code, { state: row.state, holder: row.holder_id, type: row.ticket_type_id }]),
  );
  expect(current).toEqual(model);

  // Replay the ledger from nothing: each movement must leave the state the previous one made.
  const replayed = new Map<string, { state: StockState; holder: string | null }>();
  for (const move of await db.selectFrom('stock_movements').selectAll().orderBy('id').execute()) {
    const before = replayed.get(move.code);
    expect(move.from_state).toBe(before?.state ?? null);
    expect(move.from_holder).toBe(before?.holder ?? null);
    replayed.set(move.code, { state: move.to_state, holder: move.to_holder });
  }
  expect(replayed).toEqual(
    new Map(rows.map((row) => [row.code, { state: row.state, holder: row.holder_id }])),
  );

  const report = await fx.stock.reconciliation({});
  expect(report.batches.every((batch) => batch.balanced)).toBe(true);
  expect(report.total.balanced).toBe(true);
  expect(report.total.count).toBe(model.size);

  const warehouse = await fx.stock.warehouseBalances({});
  const cashiers = await fx.stock.cashierBalances({});
  for (const type of [ADULT, CHILD]) {
    const ofType = [...model.values()].filter((code) => code.type === type);
    const inWarehouse = warehouse.find((b) => b.ticketTypeId === type)?.inWarehouse ?? 0;
    const issued = cashiers.filter((b) => b.ticketTypeId === type).reduce((sum, b) => sum + b.issued, 0);
    const sold = ofType.filter((code) => code.state === 'sold').length;
    const voided = ofType.filter((code) => code.state === 'voided').length;
    expect(inWarehouse + issued + sold + voided).toBe(ofType.length);
  }
  // A refunded stub is voided for good: no later operation brought it back.
  const refundVoids = await db
    .selectFrom('stock_movements')
    .select('code')
    .where('kind', '=', 'void')
    .where('from_state', '=', 'sold')
    .execute();
  for (const { code } of refundVoids) expect(model.get(code)!.state).toBe('voided');
  return refundVoids.length;
}

describe.each(databaseBackends())('stock reconciliation property on $name', (backend) => {
  let test: TestDatabase;
  let fx: StockFixture;
  beforeAll(async () => {
    test = await backend.create();
    fx = await createStockFixture(test.database.db);
  });
  afterAll(() => test.dispose());

  it('any sequence of operations keeps balances, batches and the ledger in step with the rules', async () => {
    const db = test.database.db;
    let refunded = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(operationArb, { minLength: 5, maxLength: 30 }), async (operations) => {
        // Each run starts from an empty stock; the site, types and operators stay.
        await db.deleteFrom('stock_movements').execute();
        await db.deleteFrom('stock_codes').execute();
        await db.deleteFrom('stock_batches').execute();
        const model = new Map<string, ModelCode>();
        const batches: { id: number; codes: string[] }[] = [];
        for (const [index, operation] of operations.entries()) {
          const [actual, expected] = await step(fx, test, model, batches, operation, index);
          expect(actual, `operation ${index}: ${JSON.stringify(operation)}`).toBe(expected);
        }
        refunded += await checkInvariants(fx, test, model);
      }),
      { seed: 20261125, numRuns: 30, endOnFailure: true },
    );
    expect(refunded).toBeGreaterThan(0);
  }, 120_000);
});
