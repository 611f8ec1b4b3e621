import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../../db/testing.js';
import { auditAfter } from '../../../platform/audit/entries.js';
import { dayOfIsoDate } from '../../capacity/local-time.js';
import { TYPES } from '../../tickets/testing.js';
import type { Shift } from '../shifts/schemas.js';
import { createShiftTestEnv, HOUR_MS, type ShiftTestEnv, shanghaiMidnight } from '../shifts/testing.js';
import type { DayReport, MonthReport } from './schemas.js';

/**
 * Day and month settlements through the routes, on a clock the test moves across the end of a month: a day closes
 * once its shifts are, its report is frozen byte for byte, what arrives later lands on the next day that closes, and
 * the month is the sum of its days.
 */
describe.each(databaseBackends())('day and month settlements on $name', (backend) => {
  let env: ShiftTestEnv;
  let cashier: { id: string; token: string };
  const at = (date: string, hour: number) => shanghaiMidnight(date) + hour * HOUR_MS;
  const dayUrl = (date: string) => `/api/v1/settlements/days/park/${date}`;
  const closeDay = (date: string) => env.call('finance', 'POST', `${dayUrl(date)}/close`);
  const openShift = (windowId = 'W01', floatFen = 10_000) =>
    env.ok<Shift>(cashier, 'POST', '/api/v1/shifts', { siteId: 'park', windowId, floatFen }, 201);
  const closeShift = (id: string, countedCashFen: number) =>
    env.ok(cashier, 'POST', `/api/v1/shifts/${id}/close`, { countedCashFen });
  // Kept across the tests of this file, in order: the end of March 2031 into April.
  let firstShift: Shift;
  let frozen30: string;

  beforeAll(async () => {
    env = await createShiftTestEnv(backend);
    cashier = await env.addCashier('settler');
  });
  afterAll(() => env?.dispose());

  it('a day closes only once its shifts are closed, and only once it has begun', async () => {
    env.clock = at('2031-03-30', 9);
    firstShift = await openShift();
    await env.sell(cashier, { quantity: 2 });
    await env.sell(cashier, { payments: [{ method: 'wechat', amountFen: 10_000 }], windowId: 'W02' });
    const waiting = await closeDay('2031-03-30');
    expect(waiting.statusCode).toBe(409);
    expect(waiting.json().error).toMatchObject({
      code: 'SETTLEMENT_SHIFTS_OPEN',
      details: { shiftIds: [firstShift.id] },
    });
    const future = await closeDay('2031-03-31');
    expect(future.json().error.code).toBe('SETTLEMENT_DAY_NOT_STARTED');
    // A variance above the default threshold (¥50) keeps it waiting for approval, which still blocks the day.
    await closeShift(firstShift.id, 10_000 + 20_000 - 6_000);
    expect((await closeDay('2031-03-30')).json().error.code).toBe('SETTLEMENT_SHIFTS_OPEN');
    await env.ok('finance', 'POST', `/api/v1/shifts/${firstShift.id}/approve`, { note: '短款已追回' });
    const live = await env.ok<DayReport>('finance', 'GET', dayUrl('2031-03-30'));
    expect(live).toMatchObject({ state: 'open', total: { amountFen: 30_000, tickets: 3 } });
    env.clock = at('2031-03-30', 18);
    const answers = await Promise.all([closeDay('2031-03-30'), closeDay('2031-03-30')]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409]);
    expect(answers.find((a) => a.statusCode === 409)!.json().error.code).toBe('SETTLEMENT_CLOSED');
    const closed = answers.find((a) => a.statusCode === 200)!.json() as DayReport;
    expect(closed).toMatchObject({
      siteId: 'park',
      date: '2031-03-30',
      state: 'closed',
      closedAt: at('2031-03-30', 18),
      closedBy: { username: env.operators.finance.username },
      total: { amountFen: 30_000, tickets: 3, persons: 3, adjustmentsFen: 0 },
      carriedIn: [],
    });
    expect(closed.figures.byTender).toEqual([
      { method: 'cash', payments: 1, amountFen: 20_000 },
      { method: 'wechat', payments: 1, amountFen: 10_000 },
    ]);
    expect(closed.figures.byWindow).toEqual([
      { windowId: 'W01', amountFen: 20_000, tickets: 2, persons: 2 },
      { windowId: 'W02', amountFen: 10_000, tickets: 1, persons: 1 },
    ]);
    expect(closed.figures.byCashier).toEqual([
      { cashierId: cashier.id, amountFen: 30_000, tickets: 3, persons: 3 },
    ]);
    expect(closed.figures.byType).toEqual([
      { typeId: TYPES.adult, tickets: 3, persons: 3, amountFen: 30_000 },
    ]);
    expect(closed.figures.bySource).toEqual([
      { source: 'sale', count: 2, amountFen: 30_000, tickets: 3, persons: 3 },
    ]);
    expect(closed.shifts.map((s) => [s.id, s.state, s.varianceFen])).toEqual([
      [firstShift.id, 'closed', -6_000],
    ]);
    expect(await auditAfter(env.test.database.db, 'settlement.day_close', 'park/2031-03-30')).toMatchObject({
      amountFen: 30_000,
      tickets: 3,
    });
    frozen30 = (await env.call('finance', 'GET', dayUrl('2031-03-30'))).body;
    expect(JSON.parse(frozen30)).toEqual(closed);
  });

  it('a closed day reads the same byte for byte after later takings, adjustments and closes', async () => {
    // Still the 30th, after its close: a sale, a refund of the morning's sale and an adjustment of its shift.
    env.clock = at('2031-03-30', 20);
    const late = await openShift('W01', 0);
    const sale = await env.sell(cashier);
    await env.refund(cashier, sale.id, [sale.tickets[0]!.ticketId], 'W01');
    await env.sell(cashier, { payments: [{ method: 'alipay', amountFen: 10_000 }] });
    await closeShift(late.id, 0);
    await env.ok(
      'finance',
      'POST',
      `/api/v1/shifts/${firstShift.id}/adjustments`,
      {
        method: 'cash',
        amountFen: 6_000,
        reason: '收银员补交短款',
      },
      201,
    );
    expect((await env.call('finance', 'GET', dayUrl('2031-03-30'))).body).toBe(frozen30);

    // The 31st: more money, and a correction of the 30th's shift made today counts today.
    env.clock = at('2031-03-31', 10);
    const shift = await openShift('W02', 5_000);
    await env.sell(cashier, {
      windowId: 'W02',
      quantity: 3,
      payments: [{ method: 'bank_card', amountFen: 30_000 }],
    });
    await closeShift(shift.id, 5_000);
    await env.ok(
      'finance',
      'POST',
      `/api/v1/shifts/${late.id}/adjustments`,
      {
        method: 'alipay',
        amountFen: -100,
        reason: '支付宝对账差额',
      },
      201,
    );
    const closed31 = await env.ok<DayReport>('finance', 'POST', `${dayUrl('2031-03-31')}/close`);
    expect((await env.call('finance', 'GET', dayUrl('2031-03-30'))).body).toBe(frozen30);
    // The 30th's takings after its close are carried in, with their day; both adjustments count on the 31st.
    expect(closed31.figures.totals).toMatchObject({ amountFen: 30_000, tickets: 3 });
    expect(closed31.carriedIn).toHaveLength(1);
    expect(closed31.carriedIn[0]!.date).toBe('2031-03-30');
    expect(closed31.carriedIn[0]!.figures.totals).toEqual({
      takings: 3,
      amountFen: 10_000,
      tickets: 1,
      persons: 1,
    });
    expect(closed31.carriedIn[0]!.figures.byTender).toEqual([
      { method: 'alipay', payments: 1, amountFen: 10_000 },
      // The cash sale and its refund: two payments that cancel out.
      { method: 'cash', payments: 2, amountFen: 0 },
    ]);
    expect(closed31.adjustments.map((a) => [a.method, a.amountFen, a.date])).toEqual([
      ['cash', 6_000, '2031-03-30'],
      ['alipay', -100, '2031-03-31'],
    ]);
    expect(closed31.total).toEqual({ amountFen: 40_000, tickets: 4, persons: 4, adjustmentsFen: 5_900 });
  });

  it('a month closes when each of its days is closed or empty, and sums them', async () => {
    env.clock = at('2031-03-31', 21);
    const month = await env.ok<MonthReport>(
      'finance',
      'POST',
      '/api/v1/settlements/months/park/2031-03/close',
    );
    expect(month.state).toBe('closed');
    expect(month.days).toHaveLength(31);
    expect(month.days.filter((d) => d.state === 'empty')).toHaveLength(29);
    expect(month.days.slice(29)).toEqual([
      {
        date: '2031-03-30',
        state: 'closed',
        amountFen: 30_000,
        tickets: 3,
        persons: 3,
        carriedInFen: 0,
        adjustmentsFen: 0,
      },
      {
        date: '2031-03-31',
        state: 'closed',
        amountFen: 30_000,
        tickets: 3,
        persons: 3,
        carriedInFen: 10_000,
        adjustmentsFen: 5_900,
      },
    ]);
    expect(month.figures.totals).toEqual({ takings: 6, amountFen: 70_000, tickets: 7, persons: 7 });
    expect(month.adjustmentsFen).toBe(5_900);
    expect(month.adjustmentsByTender).toEqual([
      { method: 'alipay', amountFen: -100 },
      { method: 'cash', amountFen: 6_000 },
    ]);
    // The whole journal of March, recomputed from its rows, is the month.
    const journal = await env.test.database.db
      .selectFrom('takings')
      .select((eb) => [
        eb.fn.sum<number>('amount_fen').as('amount'),
        eb.fn.sum<number>('tickets').as('tickets'),
      ])
      .where('day', '>=', dayOfIsoDate('2031-03-01')!)
      .where('day', '<=', dayOfIsoDate('2031-03-31')!)
      .executeTakeFirstOrThrow();
    expect([Number(journal.amount), Number(journal.tickets)]).toEqual([70_000, 7]);
    const again = await env.call('finance', 'POST', '/api/v1/settlements/months/park/2031-03/close');
    expect(again.json().error.code).toBe('SETTLEMENT_CLOSED');
    const april = await env.call('finance', 'POST', '/api/v1/settlements/months/park/2031-04/close');
    expect(april.json().error).toMatchObject({ code: 'SETTLEMENT_DAYS_OPEN' });
  });

  it('takings of the month’s last day after its close are carried into the next month, never into the closed one', async () => {
    env.clock = at('2031-03-31', 22);
    const shift = await openShift('W01', 0);
    await env.sell(cashier, { quantity: 2, payments: [{ method: 'wechat', amountFen: 20_000 }] });
    await closeShift(shift.id, 0);
    const march = (await env.call('finance', 'GET', '/api/v1/settlements/months/park/2031-03')).body;
    env.clock = at('2031-04-01', 12);
    const april1 = await env.ok<DayReport>('finance', 'POST', `${dayUrl('2031-04-01')}/close`);
    expect(april1.carriedIn.map((c) => [c.date, c.figures.totals.amountFen])).toEqual([
      ['2031-03-31', 20_000],
    ]);
    expect((await env.call('finance', 'GET', '/api/v1/settlements/months/park/2031-03')).body).toBe(march);
    const aprilMonth = await env.ok<MonthReport>('finance', 'GET', '/api/v1/settlements/months/park/2031-04');
    expect(aprilMonth).toMatchObject({
      state: 'open',
      figures: { totals: { amountFen: 20_000, tickets: 2 } },
    });
    expect(aprilMonth.days[0]).toMatchObject({ date: '2031-04-01', state: 'closed', carriedInFen: 20_000 });
    expect(aprilMonth.days[1]).toMatchObject({ date: '2031-04-02', state: 'open' });
    // Nothing is carried twice: the next close finds nothing more of the 31st.
    env.clock = at('2031-04-02', 12);
    const april2 = await env.ok<DayReport>('finance', 'POST', `${dayUrl('2031-04-02')}/close`);
    expect(april2.carriedIn).toEqual([]);
  });

  it('links each agency of the month to its statement', async () => {
    env.clock = at('2031-04-03', 10);
    const agencyId = '5b0d3c4e-0000-4000-8000-000000000001';
    const { takings } = env.container.services;
    await env.test.database.db.transaction().execute((trx) =>
      takings.record(trx, {
        source: 'order',
        sourceId: 'order-for-the-statement',
        siteId: 'park',
        at: env.clock,
        day: dayOfIsoDate('2031-04-03')!,
        channel: 'agency',
        windowId: null,
        cashierId: null,
        agencyId,
        payments: [{ method: 'agency_account', amountFen: 16_000 }],
        items: [{ typeId: TYPES.adult, tickets: 2, persons: 2, amountFen: 16_000 }],
      }),
    );
    const month = await env.ok<MonthReport>('finance', 'GET', '/api/v1/settlements/months/park/2031-04');
    expect(month.agencies).toEqual([
      {
        agencyId,
        amountFen: 16_000,
        tickets: 2,
        persons: 2,
        statement: {
          from: '2031-04-01',
          to: '2031-04-30',
          path: `/api/v1/agencies/${agencyId}/statement?from=2031-04-01&to=2031-04-30`,
        },
      },
    ]);
  });

  it('reads need reports.read and closing needs settlements.manage; bad dates and months are refused', async () => {
    expect((await env.call('cashier', 'GET', dayUrl('2031-04-01'))).statusCode).toBe(403);
    expect((await env.call('control_room', 'POST', `${dayUrl('2031-04-03')}/close`)).statusCode).toBe(403);
    expect((await env.call('control_room', 'GET', dayUrl('2031-04-01'))).statusCode).toBe(200);
    for (const url of [
      '/api/v1/settlements/days/park/2031-02-30',
      '/api/v1/settlements/months/park/2031-13',
      '/api/v1/settlements/days/nowhere/2031-04-01',
    ]) {
      const answer = await env.call('finance', 'GET', url);
      expect(answer.statusCode, url).toBe(url.includes('nowhere') ? 404 : 400);
    }
  });
});
