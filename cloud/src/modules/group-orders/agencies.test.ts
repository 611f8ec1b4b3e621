import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../db/testing.js';
import type { SeedRole } from '../../platform/permissions.js';
import { createGroupTestEnv, type GroupTestEnv, HOUR_MS, shanghaiDate, shanghaiMidnight } from './testing.js';

/** A type the agencies may sell: window 10,000 fen, agency channel 8,000; the agencies settle at 7,000. */
const AGENCY_TYPE = 110;
const SETTLEMENT_FEN = 7_000;

let refSeq = 0;
const newRef = () => `agency-ref-${process.pid}-${++refSeq}`;

describe.each(databaseBackends())('group orders of agencies on $name', (backend) => {
  let env: GroupTestEnv;
  let prepaid: string;
  let windowPayer: string;
  let other: string;
  const date = shanghaiDate(10);

  async function call(role: SeedRole, method: string, url: string, payload?: object) {
    const response = await env.app.inject({
      method: method as 'GET',
      url,
      headers: env.as(role),
      ...(payload && { payload }),
    });
    return { status: response.statusCode, body: response.body ? response.json() : undefined };
  }

  async function ok(role: SeedRole, method: string, url: string, payload?: object) {
    const answer = await call(role, method, url, payload);
    if (answer.status >= 300)
      throw new Error(`${method} ${url} → ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  async function agency(paymentMode: string, licenceNo: string, creditLimitFen = 0) {
    const { id } = await ok('admin', 'POST', '/api/v1/agencies', {
      name: `Agency ${licenceNo}`,
      licenceNo,
      paymentMode,
      creditLimitFen,
    });
    await ok('admin', 'PUT', `/api/v1/agencies/${id}/types/${AGENCY_TYPE}`, { priceFen: SETTLEMENT_FEN });
    return id as string;
  }

  const balance = async (agencyId: string) =>
    (await ok('admin', 'GET', `/api/v1/agencies/${agencyId}`)).balanceFen as number;

  const place = (role: SeedRole, quantity: number, extra: Record<string, unknown> = {}) =>
    call(role, 'POST', '/api/v1/group-orders', {
      siteId: 'park',
      reference: newRef(),
      visitDate: date,
      lines: [{ typeId: AGENCY_TYPE, quantity }],
      ...extra,
    });

  beforeAll(async () => {
    env = await createGroupTestEnv(backend);
    await ok('admin', 'POST', '/api/v1/ticket-types', {
      typeId: AGENCY_TYPE,
      siteId: 'park',
      code: 'AGENCY',
      name: { zh: '团队成人', en: 'Group adult' },
      kind: 'single',
      prices: { window: 10_000, agency: 8_000 },
    });
    prepaid = await agency('prepaid', 'L-PREPAID');
    windowPayer = await agency('window', 'L-WINDOW');
    other = await agency('credit', 'L-OTHER', 1_000_000);
    await ok('admin', 'POST', `/api/v1/agencies/${prepaid}/top-ups`, { amountFen: 1_000_000 });
    await ok('admin', 'PUT', `/api/v1/agencies/${prepaid}/operators/${env.operators.agency.id}`);
  });
  afterAll(() => env.dispose());

  it("an agency's operator orders for its own agency at its settlement price, and sees only its orders", async () => {
    const placed = await place('agency', 10);
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.body).toMatchObject({
      agencyId: prepaid,
      paymentMode: 'prepaid',
      totalFen: 70_000,
      lines: [{ unitPriceFen: SETTLEMENT_FEN }],
    });
    const forOther = await place('agency', 10, { agencyId: other });
    expect(forOther.status).toBe(403);
    expect(forOther.body.error.code).toBe('ORDER_AGENCY_FORBIDDEN');

    const othersOrder = (await place('admin', 5, { agencyId: other })).body;
    expect(othersOrder).toMatchObject({ agencyId: other, paymentMode: 'credit', totalFen: 35_000 });
    const seen = await ok('agency', 'GET', '/api/v1/group-orders?limit=500');
    expect(seen.orders.every((o: { agencyId: string }) => o.agencyId === prepaid)).toBe(true);
    expect(seen.orders.map((o: { id: string }) => o.id)).toContain(placed.body.id);
    expect((await call('agency', 'GET', `/api/v1/group-orders/${othersOrder.id}`)).status).toBe(404);
    expect((await call('agency', 'POST', `/api/v1/group-orders/${othersOrder.id}/cancel`, {})).status).toBe(
      404,
    );
  });

  it('confirm debits the ledger, modify moves the difference, pick-up takes no money, close credits unused persons', async () => {
    const start = await balance(prepaid);
    const order = (await place('agency', 10)).body;
    expect(await balance(prepaid)).toBe(start);
    const confirmed = await ok('agency', 'POST', `/api/v1/group-orders/${order.id}/confirm`);
    expect(confirmed).toMatchObject({ state: 'confirmed', paidFen: 70_000 });
    expect(await balance(prepaid)).toBe(start - 70_000);

    const more = await ok('admin', 'PATCH', `/api/v1/group-orders/${order.id}`, {
      lines: [{ typeId: AGENCY_TYPE, quantity: 12 }],
    });
    expect(more).toMatchObject({ headcount: 12, totalFen: 84_000, paidFen: 84_000 });
    expect(await balance(prepaid)).toBe(start - 84_000);
    await ok('admin', 'PATCH', `/api/v1/group-orders/${order.id}`, {
      lines: [{ typeId: AGENCY_TYPE, quantity: 4 }],
    });
    expect(await balance(prepaid)).toBe(start - 28_000);

    const paying = await call('admin', 'POST', `/api/v1/group-orders/${order.id}/pick-up`, {
      windowId: 'W01',
      issue: 'individual',
      payments: [{ method: 'cash', amountFen: 28_000 }],
    });
    expect(paying.body.error.code).toBe('ORDER_PAID_BY_LEDGER');
    const picked = await ok('admin', 'POST', `/api/v1/group-orders/${order.id}/pick-up`, {
      windowId: 'W01',
      issue: 'individual',
    });
    expect(picked.tickets).toHaveLength(4);
    expect(await balance(prepaid)).toBe(start - 28_000);

    const saved = env.clock;
    env.clock = shanghaiMidnight(shanghaiDate(11));
    try {
      const closed = await ok('admin', 'POST', `/api/v1/group-orders/${order.id}/close`, {});
      expect(closed).toMatchObject({ state: 'closed', refundedFen: 28_000 });
    } finally {
      env.clock = saved;
    }
    expect(await balance(prepaid)).toBe(start);
    const ledger = await ok('admin', 'GET', `/api/v1/agencies/${prepaid}/ledger?limit=500`);
    const kinds = JSON.stringify(ledger);
    expect(kinds).toContain('refund_credit');
    expect(kinds).toContain('cancellation_credit');
    // Each of the order's entries says by whom: the agency's operator confirmed, the venue's admin changed and closed.
    const entries = (ledger.entries as { orderId: string | null; kind: string; actor: string | null }[])
      .filter((entry) => entry.orderId === order.id)
      .map((entry) => [entry.kind, entry.actor]);
    expect(entries.toReversed()).toEqual([
      ['order_debit', env.operators.agency.username],
      ['order_debit', env.operators.admin.username],
      ['cancellation_credit', env.operators.admin.username],
      ['refund_credit', env.operators.admin.username],
    ]);
  });

  it('cancels free before the cut-off and with the fee after it', async () => {
    const start = await balance(prepaid);
    const free = (await place('agency', 10)).body;
    expect(free.cancelFeeFen).toBe(0);
    const freeConfirmed = await ok('agency', 'POST', `/api/v1/group-orders/${free.id}/confirm`);
    expect(freeConfirmed.cancelFeeFen).toBe(0);
    const cancelled = await ok('agency', 'POST', `/api/v1/group-orders/${free.id}/cancel`, {});
    expect(cancelled).toMatchObject({ state: 'cancelled', feeFen: 0, refundedFen: 70_000 });
    expect(await balance(prepaid)).toBe(start);

    const late = (await place('agency', 10)).body;
    await ok('agency', 'POST', `/api/v1/group-orders/${late.id}/confirm`);
    expect(late.policy).toMatchObject({ cancelFeePermille: 100 });
    expect(late.policy.cancelFreeUntil).toBe(shanghaiMidnight(date) - 24 * HOUR_MS);
    const saved = env.clock;
    env.clock = late.policy.cancelFreeUntil;
    try {
      // The order tells the fee a cancellation would carry now, before anyone confirms it.
      const preview = await ok('agency', 'GET', `/api/v1/group-orders/${late.id}`);
      expect(preview.cancelFeeFen).toBe(7_000);
      const charged = await ok('agency', 'POST', `/api/v1/group-orders/${late.id}/cancel`, {});
      expect(charged).toMatchObject({
        state: 'cancelled',
        feeFen: 7_000,
        refundedFen: 63_000,
        cancelFeeFen: null,
      });
    } finally {
      env.clock = saved;
    }
    expect(await balance(prepaid)).toBe(start - 7_000);
  });

  it('an agency paying at the window is not debited: it pays at pick-up', async () => {
    const order = (await place('admin', 3, { agencyId: windowPayer })).body;
    expect(order).toMatchObject({ paymentMode: 'window', totalFen: 21_000 });
    await ok('admin', 'POST', `/api/v1/group-orders/${order.id}/confirm`);
    expect(await balance(windowPayer)).toBe(0);
    const unpaid = await call('admin', 'POST', `/api/v1/group-orders/${order.id}/pick-up`, {
      windowId: 'W01',
      issue: 'group',
    });
    expect(unpaid.body.error.code).toBe('PAYMENT_MISMATCH');
    const picked = await ok('admin', 'POST', `/api/v1/group-orders/${order.id}/pick-up`, {
      windowId: 'W01',
      issue: 'group',
      payments: [{ method: 'bank_card', amountFen: 21_000 }],
    });
    expect(picked.tickets).toMatchObject([{ persons: 3, priceFen: 21_000 }]);
  });

  it('parallel confirms against a prepaid balance covering three orders: exactly three are confirmed', async () => {
    const racer = await agency('prepaid', 'L-RACE');
    await ok('admin', 'POST', `/api/v1/agencies/${racer}/top-ups`, { amountFen: 3 * 70_000 });
    const orders = [];
    for (let i = 0; i < 8; i++)
      orders.push((await place('admin', 10, { agencyId: racer })).body.id as string);
    const answers = await Promise.all(
      orders.map((id) => call('admin', 'POST', `/api/v1/group-orders/${id}/confirm`)),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(3);
    expect(answers.filter((a) => a.status !== 200).map((a) => a.body.error.code)).toEqual(
      Array(5).fill('AGENCY_BALANCE_SHORT'),
    );
    expect(await balance(racer)).toBe(0);
    const states = await Promise.all(orders.map((id) => ok('admin', 'GET', `/api/v1/group-orders/${id}`)));
    expect(states.filter((o) => o.state === 'confirmed')).toHaveLength(3);
    expect(states.filter((o) => o.state === 'held')).toHaveLength(5);
  });
});
