import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseBackends, type TestDatabase } from '../../db/testing.js';
import { transaction } from '../../db/transaction.js';
import { auditedTransaction } from '../../platform/audit/record.js';
import type { ChangeContext } from '../../platform/change-context.js';
import { AppError } from '../../platform/errors.js';
import { TicketTypesService } from '../ticket-types/service.js';
import { VenuesService } from '../venues/service.js';
import type { AgencyPaymentMode } from './contract.js';
import { AgenciesService } from './service.js';

const context: ChangeContext = { actor: { id: null, username: 'finance' }, ip: '10.0.0.9' };
const T0 = Date.UTC(2026, 11, 1, 2, 0); // 2026-12-01 10:00 in Shanghai

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  return 'OK';
}

describe.each(databaseBackends())('agencies on $name', (backend) => {
  let test: TestDatabase;
  let types: TicketTypesService;
  let agencies: AgenciesService;
  let clock: number;
  const roles = new Map<string, string[]>();

  beforeEach(async () => {
    test = await backend.create();
    clock = T0;
    const venues = new VenuesService(test.database.db, () => clock);
    types = new TicketTypesService(test.database.db, venues, () => clock);
    agencies = new AgenciesService(
      test.database.db,
      types,
      {
        get: async (id) => {
          const found = roles.get(id);
          if (!found) throw new AppError('NOT_FOUND', { resource: 'operator', id });
          return { id, roles: found };
        },
      },
      { timeZone: 'Asia/Shanghai', now: () => clock },
    );
    await venues.createSite(
      {
        id: 'park',
        name: { zh: '公园', en: 'Park' },
        timezone: 'Asia/Shanghai',
        dailyCapacity: null,
        agePolicy: null,
      },
      context,
    );
    await venues.createZone(
      'park',
      { id: 'main', name: { zh: '主园区', en: 'Main' }, capacity: null, active: true },
      context,
    );
    for (const [typeId, code, prices] of [
      [101, 'ADULT', { window: 10000, agency: 8000 }],
      [102, 'CHILD', { window: 5000, agency: 4000 }],
      [103, 'WINDOW_ONLY', { window: 6000 }],
    ] as const)
      await types.create(
        { typeId, siteId: 'park', code, name: { zh: code, en: code }, kind: 'single', prices: { ...prices } },
        context,
      );
  });
  afterEach(() => test.dispose());

  const open = (paymentMode: AgencyPaymentMode, creditLimitFen = 0, licenceNo = `L-${paymentMode}`) =>
    agencies.create(
      {
        name: `Agency ${licenceNo}`,
        licenceNo,
        contacts: [{ name: 'Li', phone: '13800000000' }],
        paymentMode,
        creditLimitFen,
      },
      context,
    );

  /** An order's debit as group orders make it: inside the order's own audited transaction. */
  const debit = (agencyId: string, amountFen: number, orderId: string) =>
    auditedTransaction(test.database.db, (trx) =>
      agencies.debit(trx, { agencyId, orderId, amountFen, at: clock, kind: 'order_debit' }),
    );

  /** The same debit on its own connection at READ COMMITTED: only the conditional UPDATE stands between racers. */
  const bareDebit = (agencyId: string, amountFen: number, orderId: string) =>
    transaction(
      test.database.db,
      (trx) => agencies.debit(trx, { agencyId, orderId, amountFen, at: clock, kind: 'order_debit' }),
      { isolation: 'read committed' },
    );

  async function ledgerChain(agencyId: string) {
    const { entries } = await agencies.ledger(agencyId, { limit: 500 });
    const ascending = entries.toReversed();
    let balance = 0;
    ascending.forEach((entry, index) => {
      expect(entry.seq).toBe(index + 1);
      balance += entry.amountFen;
      expect(entry.balanceAfterFen).toBe(balance);
    });
    return { entries: ascending, balance };
  }

  for (const [name, run] of [
    ['in audited transactions', debit],
    ['on bare READ COMMITTED transactions', bareDebit],
  ] as const) {
    it(`lets exactly k of many parallel debits win against a prepaid balance (${name})`, async () => {
      const agency = await open('prepaid');
      await agencies.topUp(agency.id, { amountFen: 7 * 1500 + 999 }, context);
      const results = await Promise.all(
        Array.from({ length: 24 }, (_, i) => codeOf(run(agency.id, 1500, `order-${i}`))),
      );
      expect(results.filter((r) => r === 'OK')).toHaveLength(7);
      expect(results.filter((r) => r === 'AGENCY_BALANCE_SHORT')).toHaveLength(17);
      expect((await agencies.get(agency.id)).balanceFen).toBe(999);
      const { entries, balance } = await ledgerChain(agency.id);
      expect(entries).toHaveLength(8);
      expect(balance).toBe(999);
    });

    it(`lets exactly k of many parallel debits win against a credit limit (${name})`, async () => {
      const agency = await open('credit', 10_000);
      await agencies.topUp(agency.id, { amountFen: 2_000 }, context);
      // 12,000 of room: 5 debits of 2,300 fit (11,500), the 6th would not.
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => codeOf(run(agency.id, 2_300, `order-${i}`))),
      );
      expect(results.filter((r) => r === 'OK')).toHaveLength(5);
      expect(results.filter((r) => r === 'AGENCY_CREDIT_EXCEEDED')).toHaveLength(15);
      const view = await agencies.get(agency.id);
      expect(view.balanceFen).toBe(2_000 - 5 * 2_300);
      expect(view.availableFen).toBe(500);
      expect((await ledgerChain(agency.id)).balance).toBe(view.balanceFen);
    });
  }

  it('refuses a window agency’s debit and credits back a cancellation', async () => {
    const windowAgency = await open('window');
    expect(await codeOf(debit(windowAgency.id, 100, 'o1'))).toBe('AGENCY_PAYS_AT_WINDOW');
    const prepaid = await open('prepaid');
    await agencies.topUp(prepaid.id, { amountFen: 1000 }, context);
    await debit(prepaid.id, 800, 'o2');
    await auditedTransaction(test.database.db, (trx) =>
      agencies.credit(trx, {
        agencyId: prepaid.id,
        orderId: 'o2',
        amountFen: 300,
        at: clock,
        kind: 'cancellation_credit',
      }),
    );
    const { entries, balance } = await ledgerChain(prepaid.id);
    expect(entries.map((e) => [e.kind, e.amountFen, e.orderId])).toEqual([
      ['topup', 1000, null],
      ['order_debit', -800, 'o2'],
      ['cancellation_credit', 300, 'o2'],
    ]);
    expect(balance).toBe(500);
    expect(await codeOf(debit('00000000-0000-4000-8000-000000000000', 1, 'o3'))).toBe('NOT_FOUND');
  });

  it('a debit refused inside an order leaves no trace when the order rolls back', async () => {
    const agency = await open('prepaid');
    await agencies.topUp(agency.id, { amountFen: 1000 }, context);
    await expect(
      auditedTransaction(test.database.db, async (trx) => {
        await agencies.debit(trx, {
          agencyId: agency.id,
          orderId: 'o',
          amountFen: 600,
          at: clock,
          kind: 'order_debit',
        });
        throw new Error('the order failed later');
      }),
    ).rejects.toThrow('the order failed later');
    expect((await agencies.get(agency.id)).balanceFen).toBe(1000);
    expect((await ledgerChain(agency.id)).entries).toHaveLength(1);
  });

  it('prices order lines at the settlement price, dated where a range covers the visit date', async () => {
    const agency = await open('prepaid');
    await agencies.putType(
      agency.id,
      101,
      { priceFen: 7000, dated: [{ from: '2026-12-24', to: '2026-12-26', priceFen: 7500 }] },
      context,
    );
    await agencies.putType(agency.id, 102, { priceFen: 3000, dated: [] }, context);
    const terms = await agencies.orderTerms(test.database.db, agency.id, [
      { typeId: 101, visitDate: '2026-12-23' },
      { typeId: 101, visitDate: '2026-12-24' },
      { typeId: 102, visitDate: '2026-12-25' },
      { typeId: 101, visitDate: '2026-12-26' },
      { typeId: 101, visitDate: '2026-12-27' },
    ]);
    expect(terms).toEqual({
      agencyId: agency.id,
      paymentMode: 'prepaid',
      unitPricesFen: [7000, 7500, 3000, 7500, 7000],
    });
    expect(
      await codeOf(
        agencies.orderTerms(test.database.db, agency.id, [{ typeId: 103, visitDate: '2026-12-23' }]),
      ),
    ).toBe('AGENCY_TYPE_NOT_AUTHORISED');
    // The venue lowers the type's agency price below the agreed settlement price: the lower price applies.
    await types.update(101, { prices: { window: 10_000, agency: 7_200 } }, context);
    expect(
      (
        await agencies.orderTerms(test.database.db, agency.id, [
          { typeId: 101, visitDate: '2026-12-23' },
          { typeId: 101, visitDate: '2026-12-24' },
        ])
      ).unitPricesFen,
    ).toEqual([7000, 7200]);
    await agencies.update(agency.id, { status: 'suspended' }, context);
    expect(
      await codeOf(
        agencies.orderTerms(test.database.db, agency.id, [{ typeId: 101, visitDate: '2026-12-23' }]),
      ),
    ).toBe('AGENCY_INACTIVE');
  });

  it('refuses a settlement price above the agency channel price, and a type with none', async () => {
    const agency = await open('prepaid');
    expect(await codeOf(agencies.putType(agency.id, 101, { priceFen: 8001, dated: [] }, context))).toBe(
      'AGENCY_PRICE_ABOVE_CHANNEL',
    );
    expect(
      await codeOf(
        agencies.putType(
          agency.id,
          101,
          { priceFen: 7000, dated: [{ from: '2026-12-24', to: '2026-12-24', priceFen: 9000 }] },
          context,
        ),
      ),
    ).toBe('AGENCY_PRICE_ABOVE_CHANNEL');
    expect(await codeOf(agencies.putType(agency.id, 103, { priceFen: 100, dated: [] }, context))).toBe(
      'TICKET_TYPE_NOT_ON_CHANNEL',
    );
    expect(
      await codeOf(
        agencies.putType(
          agency.id,
          101,
          {
            priceFen: 7000,
            dated: [
              { from: '2026-12-24', to: '2026-12-26', priceFen: 7500 },
              { from: '2026-12-26', to: '2026-12-28', priceFen: 7400 },
            ],
          },
          context,
        ),
      ),
    ).toBe('VALIDATION_FAILED');
    expect(await agencies.listTypes(agency.id)).toEqual([]);
  });

  it('keeps opening + top-ups − debits + credits = closing for every period, even with a caller clock behind', async () => {
    const agency = await open('credit', 50_000);
    const DAY = 86_400_000;
    // A fixed pseudo-random walk over ten days: every kind of movement, some at times earlier than the last entry.
    let seed = 7;
    const next = () => {
      seed = (Math.imul(seed, 1_664_525) + 1_013_904_223) >>> 0;
      return seed >>> 8;
    };
    for (let i = 0; i < 60; i++) {
      clock = T0 + Math.floor((i * 10 * DAY) / 60);
      const amount = 100 + (next() % 5_000);
      const at = clock - (next() % 3 === 0 ? 30 * 3_600_000 : 0); // a caller’s clock a day behind, at times
      const order = `o-${i}`;
      switch (next() % 6) {
        case 0:
          await agencies.topUp(agency.id, { amountFen: amount }, context);
          break;
        case 1:
          await agencies.adjust(
            agency.id,
            { amountFen: next() % 2 ? amount : -amount, reason: 'correction' },
            context,
          );
          break;
        case 2:
          await auditedTransaction(test.database.db, (trx) =>
            agencies.credit(trx, {
              agencyId: agency.id,
              orderId: order,
              amountFen: amount,
              at,
              kind: 'refund_credit',
            }),
          );
          break;
        case 3:
          await auditedTransaction(test.database.db, (trx) =>
            agencies.credit(trx, {
              agencyId: agency.id,
              orderId: order,
              amountFen: amount,
              at,
              kind: 'cancellation_credit',
            }),
          );
          break;
        default:
          await codeOf(
            auditedTransaction(test.database.db, (trx) =>
              agencies.debit(trx, {
                agencyId: agency.id,
                orderId: order,
                amountFen: amount,
                at,
                kind: next() % 4 ? 'order_debit' : 'fee',
              }),
            ),
          );
      }
    }
    const { entries, balance } = await ledgerChain(agency.id);
    expect(entries.length).toBeGreaterThan(40);
    for (const [index, entry] of entries.entries())
      if (index > 0) expect(entry.at).toBeGreaterThanOrEqual(entries[index - 1]!.at);
    const dates = Array.from({ length: 13 }, (_, i) =>
      new Date(T0 + (i - 1) * DAY + 8 * 3_600_000).toISOString().slice(0, 10),
    );
    for (let from = 0; from < dates.length; from++)
      for (let to = from; to < dates.length; to++) {
        const statement = await agencies.statement(agency.id, dates[from]!, dates[to]!);
        expect(statement.closingBalanceFen).toBe(
          statement.openingBalanceFen + statement.topUpsFen - statement.debitsFen + statement.creditsFen,
        );
        const signed = Object.values(statement.byKind).reduce((sum, kind) => sum + kind.amountFen, 0);
        expect(statement.closingBalanceFen - statement.openingBalanceFen).toBe(signed);
      }
    const whole = await agencies.statement(agency.id, dates[0]!, dates.at(-1)!);
    expect(whole.openingBalanceFen).toBe(0);
    expect(whole.closingBalanceFen).toBe(balance);
    expect(Object.values(whole.byKind).reduce((n, kind) => n + kind.count, 0)).toBe(entries.length);
    // Consecutive periods chain: one's closing is the next one's opening.
    const first = await agencies.statement(agency.id, dates[0]!, dates[4]!);
    const second = await agencies.statement(agency.id, dates[5]!, dates[9]!);
    expect(second.openingBalanceFen).toBe(first.closingBalanceFen);
  });

  it('keeps one licence number per agency', async () => {
    await open('prepaid', 0, 'L-1');
    expect(await codeOf(open('credit', 100, 'L-1'))).toBe('AGENCY_LICENCE_TAKEN');
  });

  it('links only operators of the agency role', async () => {
    const a = await open('prepaid', 0, 'L-a');
    roles.set('op-agency', ['agency']);
    roles.set('op-cashier', ['cashier']);
    expect(await codeOf(agencies.linkOperator(a.id, 'op-cashier', context))).toBe('VALIDATION_FAILED');
    expect(await agencies.agencyOfOperator('op-agency')).toBeNull();
  });
});
