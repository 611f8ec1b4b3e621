import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../db/testing.js';
import { type AuthTestApp, createAuthTestApp } from '../../platform/auth/testing.js';
import { seedVenue, TYPES } from '../tickets/testing.js';
import { VenuesService } from '../venues/service.js';
import { PointsExpiryJob } from './expiry.js';
import { PointsService } from './service.js';

const DAY_MS = 86_400_000;
const visitDate = (daysAhead: number) => new Date(Date.now() + daysAhead * DAY_MS).toISOString().slice(0, 10);

let keySeq = 0;
const newKey = () => `pt-${process.pid}-${Date.now()}-${++keySeq}`;

/** Rules that earn nothing: a race's outcome then depends on the redemptions alone. */
const REDEEM_ONLY = {
  enabled: true,
  pointsPerYuan: 0,
  redeemPointsPerYuan: 100,
  expiry: 'never',
} as const;

describe.each(databaseBackends())('points on $name', (backend) => {
  let env: AuthTestApp;
  let phoneSeq = 0;
  const date = visitDate(10);

  const api = (
    method: 'GET' | 'POST' | 'PUT' | 'PATCH',
    url: string,
    payload?: object,
    role = 'admin' as const,
  ) => env.app.inject({ method, url, headers: env.as(role), ...(payload && { payload }) });

  const setRules = async (rules: object) => {
    const response = await api('PUT', '/api/v1/points/rules/park', rules);
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  };

  const newCustomer = async (kind: 'individual' | 'member' = 'member') => {
    const response = await api('POST', '/api/v1/customers', {
      siteId: 'park',
      kind,
      name: `客户${++phoneSeq}`,
      phone: `1390000${String(phoneSeq).padStart(4, '0')}`,
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json().id as string;
  };

  const adjust = (customerId: string, points: number, reason = 'opening balance', role = 'admin' as const) =>
    api('POST', `/api/v1/points/accounts/${customerId}/adjustments`, { points, reason }, role);

  const balance = async (customerId: string) => {
    const response = await api('GET', `/api/v1/points/accounts/${customerId}?limit=200`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as {
      balance: number;
      entries: { kind: string; points: number; balanceAfter: number; saleId: string | null }[];
      total: number;
    };
  };

  const sell = (customerId: string | undefined, payments: object[], quantity = 1) =>
    env.app.inject({
      method: 'POST',
      url: '/api/v1/sales',
      headers: { ...env.as('cashier'), 'idempotency-key': newKey() },
      payload: {
        siteId: 'park',
        windowId: 'W01',
        lines: [{ typeId: TYPES.adult, quantity, visitDate: date }],
        payments,
        ...(customerId && { customerId }),
      },
    });

  beforeAll(async () => {
    env = await createAuthTestApp(backend, { CREDENTIAL_SECRET: 'test-secret-test-secret-test-secret!' });
    await seedVenue(env.test.database.db);
  });
  afterAll(() => env.dispose());
  beforeEach(() => setRules(REDEEM_ONLY));

  it('two parallel redemptions against a balance that covers one: exactly one succeeds', async () => {
    const customer = await newCustomer();
    expect((await adjust(customer, 500)).statusCode).toBe(200);
    const answers = await Promise.all(
      [1, 2].map(() =>
        sell(customer, [
          { method: 'points', amountFen: 300 },
          { method: 'cash', amountFen: 9_700 },
        ]),
      ),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409]);
    expect(answers.find((a) => a.statusCode === 409)!.json().error.code).toBe('POINTS_INSUFFICIENT');
    const account = await balance(customer);
    expect(account.balance).toBe(200);
    expect(account.entries.filter((e) => e.kind === 'redemption').map((e) => e.points)).toEqual([-300]);
  });

  it('many parallel redemptions never overdraw: exactly as many as the balance covers succeed', async () => {
    const customer = await newCustomer();
    await adjust(customer, 1_000);
    const attempts = 20;
    const answers = await Promise.all(
      Array.from({ length: attempts }, () =>
        sell(customer, [
          { method: 'points', amountFen: 300 },
          { method: 'wechat', amountFen: 9_700 },
        ]),
      ),
    );
    const won = answers.filter((a) => a.statusCode === 201);
    const lost = answers.filter((a) => a.statusCode !== 201);
    expect(won).toHaveLength(3);
    expect(lost.map((a) => a.json().error.code)).toEqual(Array(attempts - 3).fill('POINTS_INSUFFICIENT'));
    const account = await balance(customer);
    expect(account.balance).toBe(100);
    // The ledger agrees with the balance, entry by entry (oldest first).
    const entries = [...account.entries].reverse();
    let running = 0;
    for (const entry of entries) {
      running += entry.points;
      expect(entry.balanceAfter).toBe(running);
    }
    expect(running).toBe(100);
    // Only the sales that won were written.
    const sales = await env.test.database.db
      .selectFrom('sales')
      .select('id')
      .where('customer_id', '=', customer)
      .execute();
    expect(sales.map((s) => s.id).sort()).toEqual(won.map((a) => a.json().id).sort());
  });

  it('a sale paid with points replayed with its key, even in parallel, spends them once', async () => {
    const customer = await newCustomer();
    await adjust(customer, 1_000);
    const key = newKey();
    const payload = {
      siteId: 'park',
      windowId: 'W01',
      customerId: customer,
      lines: [{ typeId: TYPES.adult, quantity: 1, visitDate: date }],
      payments: [
        { method: 'points', amountFen: 400 },
        { method: 'cash', amountFen: 9_600 },
      ],
    };
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        env.app.inject({
          method: 'POST',
          url: '/api/v1/sales',
          headers: { ...env.as('cashier'), 'idempotency-key': key },
          payload,
        }),
      ),
    );
    expect(new Set(answers.map((a) => a.json().id)).size).toBe(1);
    expect(answers.filter((a) => a.statusCode === 201)).toHaveLength(1);
    expect((await balance(customer)).balance).toBe(600);
    const stored = await api('GET', `/api/v1/sales/${answers[0]!.json().id}`);
    expect(stored.json()).toMatchObject({
      customerId: customer,
      payments: [
        { method: 'points', amountFen: 400 },
        { method: 'cash', amountFen: 9_600 },
      ],
    });
  });

  it('many parallel adjustments that take points never leave the balance below zero', async () => {
    const customer = await newCustomer();
    await adjust(customer, 250);
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => adjust(customer, -100, 'correction of a double booking')),
    );
    expect(answers.filter((a) => a.statusCode === 200)).toHaveLength(2);
    expect((await balance(customer)).balance).toBe(50);
  });

  it('accrues on the money paid (type rates, member and date multipliers), reverses refunded tickets, returns spent points', async () => {
    await setRules({
      enabled: true,
      pointsPerYuan: 1,
      typeRates: [{ typeId: TYPES.adult, pointsPerYuan: 2 }],
      memberMultiplierPermille: 1_500,
      dateMultipliers: [{ from: visitDate(-400), to: visitDate(-300), permille: 3_000 }],
      redeemPointsPerYuan: 100,
      expiry: 'year_after',
    });
    const member = await newCustomer('member');
    await adjust(member, 2_000);
    // Three adult tickets: ¥300; ¥20 paid by 2,000 points, ¥280 in cash → 280 × 2 × 1.5 = 840 points.
    const sale = await sell(
      member,
      [
        { method: 'points', amountFen: 2_000 },
        { method: 'cash', amountFen: 28_000 },
      ],
      3,
    );
    expect(sale.statusCode, sale.body).toBe(201);
    expect(sale.json().customerId).toBe(member);
    let account = await balance(member);
    expect(account.balance).toBe(840);
    expect(account.entries.slice(0, 2).map((e) => [e.kind, e.points])).toEqual([
      ['accrual', 840],
      ['redemption', -2_000],
    ]);
    // The sale's audit entry names the points.
    const audit = await env.test.database.db
      .selectFrom('audit_log')
      .select('after_json')
      .where('action', '=', 'sale.create')
      .where('entity_id', '=', sale.json().id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(String(audit.after_json)).points).toEqual({ pointsRedeemed: 2_000, pointsEarned: 840 });

    // Refund one ticket of three: a third of the accrual comes back (280); by default non-cash first, so the
    // points payment (¥20) goes back first as 2,000 points, and ¥80 in cash.
    const [first, second, third] = sale.json().tickets.map((t: { ticketId: number }) => t.ticketId);
    const refund = await env.app.inject({
      method: 'POST',
      url: '/api/v1/refunds',
      headers: { ...env.as('cashier'), 'idempotency-key': newKey() },
      payload: { saleId: sale.json().id, ticketIds: [first] },
    });
    expect(refund.statusCode, refund.body).toBe(201);
    expect(
      refund.json().payments.map((p: { method: string; amountFen: number }) => [p.method, p.amountFen]),
    ).toEqual([
      ['points', 2_000],
      ['cash', 8_000],
    ]);
    account = await balance(member);
    expect(account.entries.slice(0, 2).map((e) => [e.kind, e.points])).toEqual([
      ['redemption_reversal', 2_000],
      ['reversal', -280],
    ]);
    expect(account.balance).toBe(840 - 280 + 2_000);
    // The other two: the rest of the accrual, exactly, whatever the rounding on the way.
    const rest = await env.app.inject({
      method: 'POST',
      url: '/api/v1/refunds',
      headers: { ...env.as('cashier'), 'idempotency-key': newKey() },
      payload: { saleId: sale.json().id, ticketIds: [second, third] },
    });
    expect(rest.statusCode, rest.body).toBe(201);
    account = await balance(member);
    expect(account.balance).toBe(2_000);
    const reversed = account.entries.filter((e) => e.kind === 'reversal').reduce((s, e) => s + e.points, 0);
    expect(reversed).toBe(-840);
  });

  it('an individual earns without the member multiplier; a reversal of spent points leaves the balance owed', async () => {
    await setRules({ enabled: true, pointsPerYuan: 1, redeemPointsPerYuan: 100, expiry: 'never' });
    const individual = await newCustomer('individual');
    const sale = await sell(individual, [{ method: 'cash', amountFen: 10_000 }]);
    expect(sale.statusCode).toBe(201);
    expect((await balance(individual)).balance).toBe(100);
    // Spend the points, then refund the ticket that earned them: the customer owes 100.
    const spend = await sell(individual, [
      { method: 'points', amountFen: 100 },
      { method: 'cash', amountFen: 9_900 },
    ]);
    expect(spend.statusCode, spend.body).toBe(201);
    expect((await balance(individual)).balance).toBe(99);
    const refund = await env.app.inject({
      method: 'POST',
      url: '/api/v1/refunds',
      headers: { ...env.as('cashier'), 'idempotency-key': newKey() },
      payload: { saleId: sale.json().id, ticketIds: [sale.json().tickets[0].ticketId] },
    });
    expect(refund.statusCode, refund.body).toBe(201);
    expect((await balance(individual)).balance).toBe(-1);
    // Nothing can be redeemed while owed; the next accrual pays it back first.
    const refused = await sell(individual, [
      { method: 'points', amountFen: 1 },
      { method: 'cash', amountFen: 9_999 },
    ]);
    expect(refused.json().error.code).toBe('POINTS_INSUFFICIENT');
  });

  it('a refund after the earned points expired takes back only what was spent of them, never the expired again', async () => {
    await setRules({
      enabled: true,
      pointsPerYuan: 1,
      redeemPointsPerYuan: 100,
      expiry: 'days',
      expiryDays: 30,
    });
    const customer = await newCustomer('individual');
    // Two tickets earn 200 points; 50 of them are spent; the other 150 expire.
    const sale = await sell(customer, [{ method: 'cash', amountFen: 20_000 }], 2);
    expect(sale.statusCode, sale.body).toBe(201);
    const spend = await sell(customer, [
      { method: 'points', amountFen: 50 },
      { method: 'cash', amountFen: 9_950 },
    ]);
    expect(spend.statusCode, spend.body).toBe(201);
    const later = new PointsService(
      env.test.database.db,
      { venues: new VenuesService(env.test.database.db) },
      () => Date.now() + 31 * DAY_MS,
    );
    expect(await later.expireDue()).toBeGreaterThanOrEqual(1);
    expect((await balance(customer)).balance).toBe(0);
    const refund = (ticketIds: number[]) =>
      env.app.inject({
        method: 'POST',
        url: '/api/v1/refunds',
        headers: { ...env.as('cashier'), 'idempotency-key': newKey() },
        payload: { saleId: sale.json().id, ticketIds },
      });
    const [first, second] = sale.json().tickets.map((t: { ticketId: number }) => t.ticketId);
    // Half the sale: its share of the accrual is 100, of which the 150 expired cover all but the 50 spent.
    expect((await refund([first])).statusCode).toBe(201);
    expect((await balance(customer)).balance).toBe(-50);
    // The rest: nothing more is owed — the customer only ever had the use of 50 of the 200.
    expect((await refund([second])).statusCode).toBe(201);
    const account = await balance(customer);
    expect(account.balance).toBe(-50);
    expect(account.entries.filter((e) => e.kind === 'reversal').reduce((sum, e) => sum + e.points, 0)).toBe(
      -50,
    );
  });

  it('refuses points without a customer, at a site that takes none, in fractions, and a customer of another site', async () => {
    const customer = await newCustomer();
    await adjust(customer, 1_000);
    const pay = [
      { method: 'points', amountFen: 500 },
      { method: 'cash', amountFen: 9_500 },
    ];
    const noCustomer = await sell(undefined, pay);
    expect(noCustomer.statusCode).toBe(400);
    expect(noCustomer.json().error.code).toBe('POINTS_CUSTOMER_REQUIRED');
    await setRules({ ...REDEEM_ONLY, redeemPointsPerYuan: 30 });
    const fraction = await sell(customer, [
      { method: 'points', amountFen: 5 },
      { method: 'cash', amountFen: 9_995 },
    ]);
    expect(fraction.json().error.code).toBe('POINTS_AMOUNT_INVALID');
    await setRules({ ...REDEEM_ONLY, redeemPointsPerYuan: null });
    const notAccepted = await sell(customer, pay);
    expect(notAccepted.json().error.code).toBe('POINTS_NOT_ACCEPTED');
    const site = await api('POST', '/api/v1/sites', {
      id: 'lake',
      name: { zh: '湖', en: 'Lake' },
      timezone: 'Asia/Shanghai',
    });
    expect(site.statusCode, site.body).toBe(201);
    const elsewhere = await api('POST', '/api/v1/customers', { siteId: 'lake', name: '湖客' });
    const other = await sell(elsewhere.json().id, [{ method: 'cash', amountFen: 10_000 }]);
    expect(other.json().error.code).toBe('CUSTOMER_OTHER_SITE');
    const unknown = await sell('no-such-customer', [{ method: 'cash', amountFen: 10_000 }]);
    expect(unknown.statusCode).toBe(404);
    expect((await balance(customer)).balance).toBe(1_000);
  });

  it('adjustments need customers.manage and a reason, and are audited', async () => {
    const customer = await newCustomer();
    expect((await adjust(customer, 10, 'x', 'cashier' as 'admin')).statusCode).toBe(403);
    const noReason = await api('POST', `/api/v1/points/accounts/${customer}/adjustments`, { points: 10 });
    expect(noReason.statusCode).toBe(400);
    const ok = await adjust(customer, 10, 'birthday gift');
    expect(ok.statusCode).toBe(200);
    expect(ok.json().entries[0]).toMatchObject({ kind: 'adjustment', points: 10, reason: 'birthday gift' });
    const over = await adjust(customer, -11, 'too much');
    expect(over.json().error.code).toBe('POINTS_INSUFFICIENT');
    const audit = await env.test.database.db
      .selectFrom('audit_log')
      .select(['after_json', 'actor_username'])
      .where('action', '=', 'points.adjust')
      .where('entity_id', '=', customer)
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(String(audit[0]!.after_json))).toMatchObject({
      points: 10,
      reason: 'birthday gift',
      balance: 10,
    });
  });

  it('expiry: points expire by lot, those spent first being the ones expiring first; the job writes each lot off once', async () => {
    await setRules({ ...REDEEM_ONLY, expiry: 'days', expiryDays: 30 });
    const customer = await newCustomer();
    const db = env.test.database.db;
    const venues = new VenuesService(db);
    let clock = Date.now();
    const points = new PointsService(db, { venues }, () => clock);
    const context = { actor: { id: null, username: 'system' }, ip: null };
    await points.adjust(customer, { points: 100, reason: 'first lot' }, context);
    clock += 10 * DAY_MS;
    await points.adjust(customer, { points: 50, reason: 'second lot' }, context);
    // Spending takes from the first lot (it expires first).
    await points.adjust(customer, { points: -30, reason: 'spent' }, context);
    clock += 25 * DAY_MS; // the first lot (70 left) has expired, the second not yet
    const logs: object[] = [];
    const job = new PointsExpiryJob(points, { info: (d) => logs.push(d), error: (d) => logs.push(d) });
    // Two runs at once (two instances, say): each lot is written off once.
    await Promise.all([job.run(), points.expireDue()]);
    let account = await balance(customer);
    expect(account.balance).toBe(50);
    expect(account.entries.filter((e) => e.kind === 'expiry').map((e) => e.points)).toEqual([-70]);
    clock += 10 * DAY_MS;
    expect(await points.expireDue()).toBe(1);
    account = await balance(customer);
    expect(account.balance).toBe(0);
    expect(await points.expireDue()).toBe(0);
    const audits = await db
      .selectFrom('audit_log')
      .select('seq')
      .where('action', '=', 'points.expire')
      .execute();
    expect(audits.length).toBeGreaterThanOrEqual(2);
  });
});
