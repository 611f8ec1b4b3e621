import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../../db/testing.js';
import { auditAfter } from '../../../platform/audit/entries.js';
import { hasPoppler, pdfText } from '../../printing/testing/readback.js';
import { TYPES } from '../../tickets/testing.js';
import type { Shift, ShiftReport } from './schemas.js';
import { createShiftTestEnv, HOUR_MS, idempotencyKey, type ShiftTestEnv } from './testing.js';

/**
 * Cashier shifts end to end through the routes: the journal files each sale, refund and supplement under the
 * cashier's open shift; the close reconciles the till; the state machine admits each change once.
 */
describe.each(databaseBackends())('cashier shifts on $name', (backend) => {
  let env: ShiftTestEnv;
  const shiftOfTaking = async (source: string, sourceId: string) =>
    (
      await env.test.database.db
        .selectFrom('takings')
        .select('shift_id')
        .where('source', '=', source as 'sale')
        .where('source_id', '=', sourceId)
        .executeTakeFirstOrThrow()
    ).shift_id;
  const open = (who: Parameters<ShiftTestEnv['ok']>[0], windowId = 'W01', floatFen = 50_000) =>
    env.ok<Shift>(who, 'POST', '/api/v1/shifts', { siteId: 'park', windowId, floatFen }, 201);
  const close = (who: Parameters<ShiftTestEnv['ok']>[0], shiftId: string, body: object) =>
    env.ok<ShiftReport>(who, 'POST', `/api/v1/shifts/${shiftId}/close`, body);

  beforeAll(async () => {
    env = await createShiftTestEnv(backend, { SHIFT_VARIANCE_APPROVAL_FEN: '1000' });
  });
  afterAll(() => env?.dispose());

  it('files takings under the cashier’s open shift and reconciles the till at close', async () => {
    const cashier = await env.addCashier('reconcile');
    const shift = await open(cashier);
    expect(shift).toMatchObject({ state: 'open', floatFen: 50_000, windowId: 'W01', blind: false });
    // Two cash tickets with change, one by WeChat, one split card + cash.
    const cash = await env.sell(cashier, { quantity: 2, payments: [{ method: 'cash', amountFen: 25_000 }] });
    const wechat = await env.sell(cashier, { payments: [{ method: 'wechat', amountFen: 10_000 }] });
    const split = await env.sell(cashier, {
      payments: [
        { method: 'bank_card', amountFen: 6_000 },
        { method: 'cash', amountFen: 4_000 },
      ],
    });
    // A sale at another window (no shift there) is outside every shift.
    const elsewhere = await env.sell(cashier, { windowId: 'W02' });
    expect(await shiftOfTaking('sale', cash.id)).toBe(shift.id);
    expect(await shiftOfTaking('sale', wechat.id)).toBe(shift.id);
    expect(await shiftOfTaking('sale', split.id)).toBe(shift.id);
    expect(await shiftOfTaking('sale', elsewhere.id)).toBeNull();
    // A cash refund at the window, and a supplement taken in cash.
    const refund = await env.refund(cashier, cash.id, [cash.tickets[0]!.ticketId], 'W01');
    expect(await shiftOfTaking('refund', refund.id)).toBe(shift.id);
    const supplement = await env.call(
      cashier,
      'POST',
      '/api/v1/supplements',
      {
        kind: 'fee',
        ticketId: cash.tickets[1]!.ticketId,
        windowId: 'W01',
        reason: 'other',
        amountFen: 500,
        payments: [{ method: 'cash', amountFen: 500 }],
      },
      idempotencyKey(),
    );
    expect(supplement.statusCode, supplement.body).toBe(201);
    expect(await shiftOfTaking('supplement', supplement.json().id)).toBe(shift.id);
    await env.ok(
      cashier,
      'POST',
      `/api/v1/shifts/${shift.id}/drops`,
      { amountFen: 20_000, reason: '存入保险箱' },
      201,
    );
    await env.ok(
      cashier,
      'POST',
      `/api/v1/shifts/${shift.id}/payouts`,
      { amountFen: 1_500, reason: '购买打印纸' },
      201,
    );

    // expected = 50,000 float + 20,000 + 4,000 cash sales − 10,000 refund + 500 supplement − 1,500 − 20,000
    const expected = 50_000 + 20_000 + 4_000 - 10_000 + 500 - 1_500 - 20_000;
    const running = await env.ok<ShiftReport>(cashier, 'GET', `/api/v1/shifts/${shift.id}/report`);
    expect(running.cash).toMatchObject({ expectedFen: expected, countedFen: null, varianceFen: null });

    // Counted ¥0.50 short, by denomination; the terminals' settlements as recorded.
    const report = await close(cashier, shift.id, {
      countedCashFen: expected - 50,
      denominations: { y100: 4, y20: 1, y5: 1, y1: 4, j5: 1 },
      recorded: { wechat: 10_000, bank_card: 6_000 },
    });
    expect(report.shift).toMatchObject({
      state: 'closed',
      expectedCashFen: expected,
      countedCashFen: expected - 50,
      varianceFen: -50,
      thresholdFen: 1_000,
    });
    expect(report.cash).toMatchObject({
      floatFen: 50_000,
      salesFen: 24_000,
      refundsFen: -10_000,
      supplementsFen: 500,
      ordersFen: 0,
      payoutsFen: 1_500,
      dropsFen: 20_000,
      expectedFen: expected,
      varianceFen: -50,
      adjustedVarianceFen: -50,
    });
    expect(report.cash?.denominations?.map((d) => [d.code, d.count])).toEqual([
      ['y100', 4],
      ['y20', 1],
      ['y5', 1],
      ['y1', 4],
      ['j5', 1],
    ]);
    expect(report.tenders.find((t) => t.method === 'wechat')).toMatchObject({
      expectedFen: 10_000,
      recordedFen: 10_000,
      differenceFen: 0,
    });
    expect(report.tenders.find((t) => t.method === 'alipay')).toMatchObject({
      expectedFen: 0,
      recordedFen: null,
    });
    expect(report.sources).toEqual([
      { source: 'sale', count: 3, amountFen: 40_000, tickets: 4, persons: 4 },
      { source: 'refund', count: 1, amountFen: -10_000, tickets: -1, persons: -1 },
      { source: 'supplement', count: 1, amountFen: 500, tickets: 0, persons: 0 },
      { source: 'order', count: 0, amountFen: 0, tickets: 0, persons: 0 },
    ]);
    expect(report.ticketTypes).toEqual([{ typeId: TYPES.adult, tickets: 3, persons: 3, amountFen: 30_500 }]);
    expect(report.drops.map((d) => [d.amountFen, d.reason])).toEqual([[20_000, '存入保险箱']]);
    expect(report.payouts.map((d) => [d.amountFen, d.reason])).toEqual([[1_500, '购买打印纸']]);
    const audit = await auditAfter(env.test.database.db, 'shift.close', shift.id);
    expect(audit).toMatchObject({ state: 'closed', varianceFen: -50, expectedCashFen: expected });

    // Closed is closed: no drop, no second close, and a sale afterwards is outside the shift.
    for (const [path, body] of [
      ['drops', { amountFen: 100, reason: 'late' }],
      ['close', { countedCashFen: 0 }],
    ] as const) {
      const refused = await env.call(cashier, 'POST', `/api/v1/shifts/${shift.id}/${path}`, body);
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.code).toBe('SHIFT_STATE_CONFLICT');
    }
    const after = await env.sell(cashier);
    expect(await shiftOfTaking('sale', after.id)).toBeNull();
  });

  it('refuses a count whose denominations do not add up, writing nothing', async () => {
    const cashier = await env.addCashier('mismatch');
    const shift = await open(cashier, 'W01', 10_000);
    const refused = await env.call(cashier, 'POST', `/api/v1/shifts/${shift.id}/close`, {
      countedCashFen: 10_000,
      denominations: { y50: 1 },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.code).toBe('SHIFT_COUNT_MISMATCH');
    expect((await env.ok<Shift>(cashier, 'GET', `/api/v1/shifts/${shift.id}`)).state).toBe('open');
    await close(cashier, shift.id, { countedCashFen: 10_000, denominations: { y100: 1 } });
  });

  it('one open shift per cashier and window: of parallel opens exactly one wins', async () => {
    const cashier = await env.addCashier('parallel');
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        env.call(cashier, 'POST', '/api/v1/shifts', { siteId: 'park', windowId: 'W01', floatFen: 1_000 }),
      ),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    for (const a of answers.filter((x) => x.statusCode === 409))
      expect(a.json().error.code).toBe('SHIFT_ALREADY_OPEN');
    const rows = await env.test.database.db
      .selectFrom('till_shifts')
      .select('id')
      .where('cashier_username', '=', 'parallel')
      .execute();
    expect(rows).toHaveLength(1);
    // The same cashier may work another window; the partial index leaves closed shifts out.
    const other = await open(cashier, 'W02', 0);
    await close(cashier, other.id, { countedCashFen: 0 });
    await open(cashier, 'W02', 0);
  });

  it('of parallel closes of one shift exactly one wins, and the count is weighed once', async () => {
    const cashier = await env.addCashier('twoclose');
    const shift = await open(cashier, 'W01', 5_000);
    await env.sell(cashier);
    const answers = await Promise.all(
      [15_000, 15_000, 14_000, 15_000].map((countedCashFen) =>
        env.call(cashier, 'POST', `/api/v1/shifts/${shift.id}/close`, { countedCashFen }),
      ),
    );
    const won = answers.filter((a) => a.statusCode === 200);
    expect(won).toHaveLength(1);
    for (const a of answers.filter((x) => x.statusCode !== 200)) {
      expect(a.statusCode).toBe(409);
      expect(a.json().error.code).toBe('SHIFT_STATE_CONFLICT');
    }
    const stored = await env.ok<Shift>(cashier, 'GET', `/api/v1/shifts/${shift.id}`);
    expect(stored.countedCashFen).toBe(won[0]!.json().shift.countedCashFen);
    const closes = await env.test.database.db
      .selectFrom('audit_log')
      .select('seq')
      .where('action', '=', 'shift.close')
      .where('entity_id', '=', shift.id)
      .execute();
    expect(closes).toHaveLength(1);
  });

  it('a sale racing the close lands in the shift only if it committed first, and the close counts it', async () => {
    const cashier = await env.addCashier('racing');
    for (let round = 0; round < 4; round++) {
      const shift = await open(cashier, 'W01', 0);
      const [closed, sale] = await Promise.all([
        env.ok<ShiftReport>(cashier, 'POST', `/api/v1/shifts/${shift.id}/close`, { countedCashFen: 0 }),
        env.sell(cashier),
      ]);
      const inShift = (await shiftOfTaking('sale', sale.id)) === shift.id;
      // Whichever came first, the frozen expected cash and the journal agree.
      expect(closed.cash?.expectedFen).toBe(inShift ? 10_000 : 0);
      expect(closed.cash?.salesFen).toBe(inShift ? 10_000 : 0);
      if (closed.shift.state === 'pending_approval')
        await env.ok('finance', 'POST', `/api/v1/shifts/${shift.id}/approve`, { note: 'race round' });
    }
  });

  it('a variance above the threshold waits for a supervisor, who may not be the cashier', async () => {
    const cashier = await env.addCashier('short');
    const shift = await open(cashier, 'W01', 20_000);
    const report = await close(cashier, shift.id, { countedCashFen: 18_000, note: '找零出错' });
    expect(report.shift).toMatchObject({ state: 'pending_approval', varianceFen: -2_000, note: '找零出错' });
    // A cashier holds no shifts.approve; the sale can't be adjusted before approval.
    expect(
      (await env.call(cashier, 'POST', `/api/v1/shifts/${shift.id}/approve`, { note: 'me' })).json().error
        .code,
    ).toBe('FORBIDDEN');
    const early = await env.call('finance', 'POST', `/api/v1/shifts/${shift.id}/adjustments`, {
      method: 'cash',
      amountFen: 2_000,
      reason: 'found',
    });
    expect(early.json().error.code).toBe('SHIFT_STATE_CONFLICT');
    const approved = await env.ok<Shift>('finance', 'POST', `/api/v1/shifts/${shift.id}/approve`, {
      note: '短款由收银员补齐',
    });
    expect(approved).toMatchObject({
      state: 'closed',
      approval: { by: { username: env.operators.finance.username }, note: '短款由收银员补齐' },
    });
    const twice = await env.call('finance', 'POST', `/api/v1/shifts/${shift.id}/approve`, { note: 'again' });
    expect(twice.json().error.code).toBe('SHIFT_STATE_CONFLICT');
    // The correction afterwards: its own entry, on the day it was made; the shift's row is not touched.
    const row = () =>
      env.test.database.db
        .selectFrom('till_shifts')
        .selectAll()
        .where('id', '=', shift.id)
        .executeTakeFirstOrThrow();
    const before = await row();
    const adjustment = await env.ok(
      'finance',
      'POST',
      `/api/v1/shifts/${shift.id}/adjustments`,
      {
        method: 'cash',
        amountFen: 2_000,
        reason: '收银员补交短款',
      },
      201,
    );
    expect(adjustment).toMatchObject({
      kind: 'adjustment',
      method: 'cash',
      amountFen: 2_000,
      date: env.today(),
    });
    expect(await row()).toEqual(before);
    const after = await env.ok<ShiftReport>('finance', 'GET', `/api/v1/shifts/${shift.id}/report`);
    expect(after.shift).toMatchObject({ varianceFen: -2_000, countedCashFen: 18_000 });
    expect(after.cash).toMatchObject({ varianceFen: -2_000, adjustmentsFen: 2_000, adjustedVarianceFen: 0 });
    expect(await auditAfter(env.test.database.db, 'shift.adjust', shift.id)).toMatchObject({
      amountFen: 2_000,
      reason: '收银员补交短款',
    });
  });

  it('a supervisor approves and adjusts others’ shifts, never their own', async () => {
    // The administrator works a till too (every permission), so holds shifts.approve over their own shift.
    const own = await open('admin', 'W02', 1_000);
    const closed = await close('admin', own.id, { countedCashFen: 5_000 });
    expect(closed.shift.state).toBe('pending_approval');
    const self = await env.call('admin', 'POST', `/api/v1/shifts/${own.id}/approve`, { note: 'mine' });
    expect(self.statusCode).toBe(409);
    expect(self.json().error.code).toBe('SHIFT_SELF_APPROVAL');
    await env.ok('finance', 'POST', `/api/v1/shifts/${own.id}/approve`, { note: 'ok' });
    const adjust = await env.call('admin', 'POST', `/api/v1/shifts/${own.id}/adjustments`, {
      method: 'wechat',
      amountFen: -100,
      reason: 'mine',
    });
    expect(adjust.json().error.code).toBe('SHIFT_SELF_APPROVAL');
  });

  it('refunds: at a named window, at the only open shift without one, and none when that is ambiguous', async () => {
    const cashier = await env.addCashier('refunder');
    const sale = await env.sell(cashier, { quantity: 4, windowId: 'W02' });
    const ids = sale.tickets.map((t) => t.ticketId);
    // No open shift: outside every shift.
    const none = await env.refund(cashier, sale.id, [ids[0]!]);
    expect(await shiftOfTaking('refund', none.id)).toBeNull();
    // An earlier shift's sale refunded now counts where the money left: the shift open now.
    const first = await open(cashier, 'W01', 0);
    const only = await env.refund(cashier, sale.id, [ids[1]!]);
    expect(await shiftOfTaking('refund', only.id)).toBe(first.id);
    const second = await open(cashier, 'W02', 0);
    const ambiguous = await env.refund(cashier, sale.id, [ids[2]!]);
    expect(await shiftOfTaking('refund', ambiguous.id)).toBeNull();
    const named = await env.refund(cashier, sale.id, [ids[3]!], 'W02');
    expect(await shiftOfTaking('refund', named.id)).toBe(second.id);
    const report = await env.ok<ShiftReport>(cashier, 'GET', `/api/v1/shifts/${second.id}/report`);
    expect(report.cash?.refundsFen).toBe(-10_000);
  });

  it('a refund naming a window checks it as a sale does, before anything is written', async () => {
    const sale = await env.sell('cashier', { quantity: 1 });
    for (const [windowId, code] of [
      ['NOPE', 'NOT_FOUND'],
      ['W03', 'WINDOW_INACTIVE'],
    ] as const) {
      if (windowId === 'W03')
        await env.ok(
          'admin',
          'POST',
          '/api/v1/sites/park/windows',
          {
            id: 'W03',
            name: { zh: '三号', en: 'W3' },
            active: false,
          },
          201,
        );
      const refused = await env.call(
        'cashier',
        'POST',
        '/api/v1/refunds',
        { saleId: sale.id, ticketIds: [sale.tickets[0]!.ticketId], windowId },
        idempotencyKey(),
      );
      expect(refused.json().error.code, refused.body).toBe(code);
    }
    const refunds = await env.test.database.db
      .selectFrom('refunds')
      .select('id')
      .where('sale_id', '=', sale.id)
      .execute();
    expect(refunds).toEqual([]);
  });

  it('hands the till over: the outgoing closes counted, the named cashier opens with that cash as float', async () => {
    const outgoing = await env.addCashier('outgoing');
    const incoming = await env.addCashier('incoming');
    const stranger = await env.addCashier('stranger');
    const shift = await open(outgoing, 'W02', 30_000);
    await env.sell(outgoing, { windowId: 'W02', quantity: 2 });
    // The form offers the cashiers the handover would accept: others who may work a till, searched by name.
    const offered = await env.ok<{ id: string; username: string }[]>(
      outgoing,
      'GET',
      '/api/v1/shifts/successors?q=coming',
    );
    expect(offered.map((o) => o.id)).toEqual([incoming.id]);
    const everyone = await env.ok<{ id: string }[]>(outgoing, 'GET', '/api/v1/shifts/successors');
    expect(everyone.map((o) => o.id)).toEqual(expect.arrayContaining([incoming.id, stranger.id]));
    expect(everyone.map((o) => o.id)).not.toContain(outgoing.id);
    expect((await env.call('finance', 'GET', '/api/v1/shifts/successors')).statusCode).toBe(403);
    const handedOver = await env.ok<ShiftReport>(outgoing, 'POST', `/api/v1/shifts/${shift.id}/handover`, {
      countedCashFen: 50_000,
      toCashierId: incoming.id,
    });
    expect(handedOver.shift).toMatchObject({
      state: 'closed',
      handoverToCashierId: incoming.id,
      varianceFen: 0,
    });
    const mine = await env.ok<{ handoversToMe: Shift[] }>(incoming, 'GET', '/api/v1/shifts/mine');
    expect(mine.handoversToMe.map((s) => s.id)).toEqual([shift.id]);
    const takeOver = { siteId: 'park', windowId: 'W02', handoverFrom: shift.id };
    const refused = await env.call(stranger, 'POST', '/api/v1/shifts', takeOver);
    expect(refused.json().error.code).toBe('SHIFT_HANDOVER_INVALID');
    const wrongFloat = await env.call(incoming, 'POST', '/api/v1/shifts', { ...takeOver, floatFen: 1 });
    expect(wrongFloat.json().error.code).toBe('SHIFT_HANDOVER_INVALID');
    const next = await env.ok<Shift>(incoming, 'POST', '/api/v1/shifts', takeOver, 201);
    expect(next).toMatchObject({ floatFen: 50_000, handoverFrom: shift.id, cashier: { id: incoming.id } });
    expect((await env.ok<Shift>('finance', 'GET', `/api/v1/shifts/${shift.id}`)).takenOverBy).toBe(next.id);
    // Taken over once only.
    await close(incoming, next.id, { countedCashFen: 50_000 });
    const again = await env.call(incoming, 'POST', '/api/v1/shifts', takeOver);
    expect(again.json().error.code).toBe('SHIFT_HANDOVER_INVALID');
    const self = await open(stranger, 'W02', 0);
    const toSelf = await env.call(stranger, 'POST', `/api/v1/shifts/${self.id}/handover`, {
      countedCashFen: 0,
      toCashierId: stranger.id,
    });
    expect(toSelf.json().error.code).toBe('SHIFT_HANDOVER_INVALID');
    expect((await env.ok<Shift>(stranger, 'GET', `/api/v1/shifts/${self.id}`)).state).toBe('open');
  });

  it('a drop, payout or adjustment with an Idempotency-Key moves the cash once, however often it is sent', async () => {
    const cashier = await env.addCashier('keyed');
    const shift = await open(cashier, 'W02', 10_000);
    const url = `/api/v1/shifts/${shift.id}/payouts`;
    const key = idempotencyKey();
    const body = { amountFen: 700, reason: '快递费' };
    // A double press and retries, all at once: one payout, every answer the same event.
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => env.call(cashier, 'POST', url, body, key)),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.json().id)).size).toBe(1);
    expect(answers.filter((a) => a.headers['idempotent-replayed'] === 'true')).toHaveLength(5);
    const reused = await env.call(cashier, 'POST', url, { ...body, amountFen: 701 }, key);
    expect(reused.statusCode).toBe(409);
    expect(reused.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    // The same key on the drops is another request too.
    const asDrop = await env.call(cashier, 'POST', `/api/v1/shifts/${shift.id}/drops`, body, key);
    expect(asDrop.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    // Without a key each request is its own movement, as before.
    await env.ok(cashier, 'POST', url, body, 201);
    const report = await env.ok<ShiftReport>(cashier, 'GET', `/api/v1/shifts/${shift.id}/report`);
    expect(report.cash?.expectedFen).toBe(10_000 - 700 - 700);

    const closed = await close(cashier, shift.id, { countedCashFen: 8_600 });
    const adjustKey = idempotencyKey();
    const adjustment = { method: 'cash', amountFen: -100, reason: '复点短款' };
    const first = await env.call(
      'finance',
      'POST',
      `/api/v1/shifts/${closed.shift.id}/adjustments`,
      adjustment,
      adjustKey,
    );
    const again = await env.call(
      'finance',
      'POST',
      `/api/v1/shifts/${closed.shift.id}/adjustments`,
      adjustment,
      adjustKey,
    );
    expect([first.statusCode, again.statusCode]).toEqual([201, 200]);
    expect(again.json()).toEqual(first.json());
    const events = await env.test.database.db
      .selectFrom('till_shift_events')
      .select(['kind', 'amount_fen'])
      .where('shift_id', '=', shift.id)
      .orderBy('at')
      .execute();
    expect(events.filter((e) => e.kind !== 'float').map((e) => [e.kind, e.amount_fen])).toEqual([
      ['payout', 700],
      ['payout', 700],
      ['adjustment', -100],
    ]);
  });

  it('a cashier reads and works only their own shifts; a supervisor reads all', async () => {
    const a = await env.addCashier('own_a');
    const b = await env.addCashier('own_b');
    const shift = await open(a, 'W02', 0);
    expect((await env.call(b, 'GET', `/api/v1/shifts/${shift.id}`)).statusCode).toBe(404);
    expect((await env.call(b, 'GET', `/api/v1/shifts/${shift.id}/report`)).statusCode).toBe(404);
    const drop = await env.call(b, 'POST', `/api/v1/shifts/${shift.id}/drops`, { amountFen: 1, reason: 'x' });
    expect(drop.json().error.code).toBe('SHIFT_NOT_YOURS');
    const listed = await env.ok<{ shifts: Shift[]; total: number }>(b, 'GET', '/api/v1/shifts?limit=200');
    expect(listed.shifts.every((s) => s.cashier.id === b.id)).toBe(true);
    const all = await env.ok<{ shifts: Shift[]; total: number }>(
      'finance',
      'GET',
      `/api/v1/shifts?cashierId=${a.id}`,
    );
    expect(all.shifts.map((s) => s.id)).toEqual([shift.id]);
    expect(all.total).toBe(1);
    // A supervisor who also works tills (here the administrator) may close a shift whose cashier has gone home.
    await env.ok('admin', 'POST', `/api/v1/shifts/${shift.id}/close`, { countedCashFen: 0 });
    expect((await env.ok<Shift>(a, 'GET', `/api/v1/shifts/${shift.id}`)).closedBy?.username).toBe(
      env.operators.admin.username,
    );
  });

  it('prints the report as PDF and ESC/POS under the report’s own rules', async () => {
    const cashier = await env.addCashier('printer');
    const other = await env.addCashier('printer_other');
    const shift = await open(cashier, 'W02', 12_300);
    await env.sell(cashier, { windowId: 'W02' });
    await close(cashier, shift.id, { countedCashFen: 22_300 });
    const pdf = await env.call(cashier, 'GET', `/api/v1/shifts/${shift.id}/report.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    if (hasPoppler) {
      const text = pdfText(pdf.rawPayload);
      for (const s of ['交接班报表', '二号窗口', 'printer', '¥123.00', '¥223.00']) expect(text).toContain(s);
    }
    const escpos = await env.call('finance', 'GET', `/api/v1/shifts/${shift.id}/escpos`);
    expect(escpos.headers['content-type']).toBe('application/octet-stream');
    expect(escpos.rawPayload.subarray(0, 4).toString('hex')).toBe('1b401c26');
    expect((await env.call(other, 'GET', `/api/v1/shifts/${shift.id}/report.pdf`)).statusCode).toBe(404);
    expect((await env.call('gate_staff', 'GET', `/api/v1/shifts/${shift.id}/escpos`)).statusCode).toBe(403);
  });

  it('a shift spanning midnight keeps its takings on the days the money moved', async () => {
    const cashier = await env.addCashier('midnight');
    const saved = env.clock;
    try {
      const midnight = Date.parse(`${env.today()}T00:00:00+08:00`) + 24 * HOUR_MS;
      env.clock = midnight - 60_000;
      const shift = await open(cashier, 'W01', 0);
      env.clock = midnight - 1;
      const late = await env.sell(cashier);
      env.clock = midnight;
      const early = await env.sell(cashier);
      const days = await env.test.database.db
        .selectFrom('takings')
        .select(['source_id', 'day', 'shift_id'])
        .where('source_id', 'in', [late.id, early.id])
        .execute();
      const byId = new Map(days.map((d) => [d.source_id, d]));
      expect(byId.get(early.id)!.day - byId.get(late.id)!.day).toBe(1);
      expect(byId.get(late.id)!.shift_id).toBe(shift.id);
      expect(byId.get(early.id)!.shift_id).toBe(shift.id);
      const report = await close(cashier, shift.id, { countedCashFen: 20_000 });
      expect(report.shift).toMatchObject({ openDate: report.shift.openDate, varianceFen: 0 });
      expect(report.shift.closeDate).not.toBe(report.shift.openDate);
    } finally {
      env.clock = saved;
    }
  });
});

describe.each(databaseBackends())('blind counts on $name', (backend) => {
  let env: ShiftTestEnv;
  beforeAll(async () => {
    env = await createShiftTestEnv(backend, { SHIFT_BLIND_COUNT: 'park/W02' });
  });
  afterAll(() => env?.dispose());

  it('hides the expected figures from the cashier until the count is in; a supervisor sees them', async () => {
    const blind = await env.ok<Shift>(
      'cashier',
      'POST',
      '/api/v1/shifts',
      {
        siteId: 'park',
        windowId: 'W02',
        floatFen: 10_000,
      },
      201,
    );
    expect(blind.blind).toBe(true);
    await env.sell('cashier', { windowId: 'W02' });
    const hidden = await env.ok<ShiftReport>('cashier', 'GET', `/api/v1/shifts/${blind.id}/report`);
    expect(hidden).toMatchObject({
      expectedHidden: true,
      cash: null,
      tenders: [],
      sources: [],
      ticketTypes: [],
    });
    expect(JSON.stringify(hidden)).not.toContain('20000');
    const supervisor = await env.ok<ShiftReport>('finance', 'GET', `/api/v1/shifts/${blind.id}/report`);
    expect(supervisor.cash?.expectedFen).toBe(20_000);
    const closed = await env.ok<ShiftReport>('cashier', 'POST', `/api/v1/shifts/${blind.id}/close`, {
      countedCashFen: 20_000,
    });
    expect(closed).toMatchObject({ expectedHidden: false, cash: { expectedFen: 20_000, varianceFen: 0 } });
    // The other window is not blind.
    const open = await env.ok<Shift>(
      'cashier',
      'POST',
      '/api/v1/shifts',
      {
        siteId: 'park',
        windowId: 'W01',
        floatFen: 0,
      },
      201,
    );
    expect(open.blind).toBe(false);
    expect(
      (await env.ok<ShiftReport>('cashier', 'GET', `/api/v1/shifts/${open.id}/report`)).expectedHidden,
    ).toBe(false);
  });
});
