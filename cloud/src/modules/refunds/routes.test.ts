import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../db/testing.js';
import { auditAfter } from '../../platform/audit/entries.js';
import { auditedTransaction } from '../../platform/audit/record.js';
import { type AuthTestApp, createAuthTestApp, insertTestOperator } from '../../platform/auth/testing.js';
import { StockService } from '../stock/service.js';
import { TicketTypesService } from '../ticket-types/service.js';
import { TicketsService } from '../tickets/service.js';
import { SYSTEM_CONTEXT, seedVenue, TYPES } from '../tickets/testing.js';
import { VenuesService } from '../venues/service.js';

const DAY_MS = 86_400_000;
/** Two UTC days ahead is a future venue-local date in any zone. */
const visitDate = (daysAhead = 2) => new Date(Date.now() + daysAhead * DAY_MS).toISOString().slice(0, 10);
const NO_REFUND = 201;
const EARLY_DEADLINE = 202;
/** ¥10.00 a ticket: many small refunds of one sale. */
const TEN_YUAN = 203;

let keySeq = 0;
const newKey = () => `r-${process.pid}-${++keySeq}`;

interface SaleBody {
  id: string;
  tickets: { ticketId: number }[];
}

describe.each(databaseBackends())('refunds on $name', (backend) => {
  let env: AuthTestApp;

  const sell = async (
    typeId: number,
    quantity: number,
    payments: { method: string; amountFen: number }[],
  ): Promise<SaleBody> => {
    const response = await env.app.inject({
      method: 'POST',
      url: '/api/v1/sales',
      headers: { ...env.as('cashier'), 'idempotency-key': newKey() },
      payload: {
        siteId: 'park',
        windowId: 'W01',
        lines: [{ typeId, quantity, visitDate: visitDate() }],
        payments,
      },
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  };
  const refund = (payload: object, key = newKey(), role: 'cashier' | 'gate_staff' | 'admin' = 'cashier') =>
    env.app.inject({
      method: 'POST',
      url: '/api/v1/refunds',
      headers: { ...env.as(role), 'idempotency-key': key },
      payload,
    });
  const setApproval = async (payload: {
    thresholdFen?: number;
    cashierDailyThresholdFen?: number | null;
  }) => {
    const response = await env.app.inject({
      method: 'PUT',
      url: '/api/v1/auth/second-approval',
      headers: env.as('admin'),
      payload,
    });
    expect(response.statusCode, response.body).toBe(200);
  };
  const refundAudit = (refundId: string) => auditAfter(env.test.database.db, 'refund.create', refundId);
  const financeApproval = () => ({
    username: env.operators.finance.username,
    password: env.operators.finance.password,
  });
  const ticket = (id: number) => new TicketsService(env.test.database.db).get(id);
  const daySold = async () =>
    (await env.test.database.db.selectFrom('capacity_days').select('sold').execute()).reduce(
      (s, r) => s + r.sold,
      0,
    );

  beforeAll(async () => {
    env = await createAuthTestApp(backend, { CREDENTIAL_SECRET: 'test-secret-test-secret-test-secret!' });
    const db = env.test.database.db;
    await seedVenue(db);
    const types = new TicketTypesService(db, new VenuesService(db));
    const base = { siteId: 'park', kind: 'single' as const, prices: { window: 3_000 } };
    await types.create(
      {
        ...base,
        typeId: NO_REFUND,
        code: 'NOREFUND',
        name: { zh: '特价票', en: 'Non-refundable' },
        refund: { refundable: false, deadline: null, fee: { kind: 'fixed', fen: 0 }, proRata: false },
      },
      SYSTEM_CONTEXT,
    );
    await types.create(
      {
        ...base,
        typeId: EARLY_DEADLINE,
        code: 'EARLY',
        name: { zh: '提前退票', en: 'Early deadline' },
        refund: {
          refundable: true,
          deadline: { dayOffset: -5, minuteOfDay: 0 },
          fee: { kind: 'permille', permille: 100 },
          proRata: false,
        },
      },
      SYSTEM_CONTEXT,
    );
    await types.create(
      {
        ...base,
        typeId: TEN_YUAN,
        code: 'TEN',
        name: { zh: '十元票', en: 'Ten yuan' },
        prices: { window: 1_000 },
      },
      SYSTEM_CONTEXT,
    );
  });
  afterAll(() => env.dispose());

  it('refunds one ticket back to the original methods, cash last; frees its place; tells the gates; replays', async () => {
    const sale = await sell(TYPES.adult, 2, [
      { method: 'wechat', amountFen: 5_000 },
      { method: 'cash', amountFen: 16_000 },
    ]);
    const soldBefore = await daySold();
    const key = newKey();
    const body = { saleId: sale.id, ticketIds: [sale.tickets[0]!.ticketId], reason: '行程变更' };
    const response = await refund(body, key);
    expect(response.statusCode, response.body).toBe(201);
    const made = response.json();
    expect(made).toMatchObject({
      saleId: sale.id,
      amountFen: 10_000,
      feeFen: 0,
      approvedBy: null,
      payments: [
        { method: 'wechat', amountFen: 5_000 },
        { method: 'cash', amountFen: 5_000 },
      ],
    });
    expect((await ticket(sale.tickets[0]!.ticketId)).status).toBe('refunded');
    expect(await daySold()).toBe(soldBefore - 1);
    const feed = await env.test.database.db
      .selectFrom('whitelist_feed')
      .select(['op'])
      .where('ticket_id', '=', sale.tickets[0]!.ticketId)
      .orderBy('version')
      .execute();
    expect(feed.map((row) => row.op)).toEqual(['issue', 'refund']);

    const replay = await refund(body, key);
    expect(replay.statusCode).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(made);
    expect((await refund({ ...body, reason: 'other' }, key)).json().error.code).toBe(
      'IDEMPOTENCY_KEY_REUSED',
    );
    expect((await refund(body)).json().error.code).toBe('TICKET_ALREADY_REFUNDED');

    // The second ticket: only cash is left (wechat went back already); asking for wechat is refused.
    const second = { saleId: sale.id, ticketIds: [sale.tickets[1]!.ticketId] };
    const wechat = await refund({ ...second, payments: [{ method: 'wechat', amountFen: 10_000 }] });
    expect(wechat.statusCode).toBe(400);
    expect(wechat.json().error.code).toBe('REFUND_PAYMENT_MISMATCH');
    const cash = await refund({ ...second, payments: [{ method: 'cash', amountFen: 10_000 }] });
    expect(cash.statusCode).toBe(201);

    const list = await env.app.inject({
      method: 'GET',
      url: `/api/v1/refunds?saleId=${sale.id}`,
      headers: env.as('finance'),
    });
    expect(list.json().map((r: { id: string }) => r.id)).toEqual([cash.json().id, made.id]);
    const one = await env.app.inject({
      method: 'GET',
      url: `/api/v1/refunds/${made.id}`,
      headers: env.as('cashier'),
    });
    expect(one.json()).toEqual(made);
  });

  it('quotes a refund exactly as it is then made, writing nothing, refused with the refund’s own codes', async () => {
    const db = env.test.database.db;
    const quote = (payload: object, role: 'cashier' | 'gate_staff' = 'cashier') =>
      env.app.inject({ method: 'POST', url: '/api/v1/refunds/quote', headers: env.as(role), payload });
    const sale = await sell(TYPES.adult, 3, [
      { method: 'wechat', amountFen: 5_000 },
      { method: 'cash', amountFen: 25_000 },
    ]);
    const ids = sale.tickets.map((t) => t.ticketId) as [number, number, number];
    const refundsBefore = await db.selectFrom('refunds').select('id').execute();
    const quoted = await quote({ saleId: sale.id, ticketIds: [ids[0], ids[1]] });
    expect(quoted.statusCode, quoted.body).toBe(200);
    expect(quoted.json()).toEqual({
      saleId: sale.id,
      amountFen: 20_000,
      feeFen: 0,
      tickets: [ids[0], ids[1]].map((ticketId) => ({
        ticketId,
        priceFen: 10_000,
        entriesUsed: 0,
        entriesTotal: 1,
        grossFen: 10_000,
        feeFen: 0,
        amountFen: 10_000,
        supplementFen: 0,
      })),
      payments: [
        { method: 'wechat', amountFen: 5_000, supplementFen: 0 },
        { method: 'cash', amountFen: 15_000, supplementFen: 0 },
      ],
      thresholdFen: 50_000,
      cumulativeFen: 20_000,
      approvalRequired: false,
    });
    expect(await db.selectFrom('refunds').select('id').execute()).toEqual(refundsBefore);
    expect((await ticket(ids[0])).status).toBe('active');

    const made = await refund({ saleId: sale.id, ticketIds: [ids[0], ids[1]] });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json()).toMatchObject({
      amountFen: quoted.json().amountFen,
      tickets: quoted.json().tickets,
      payments: quoted.json().payments,
    });
    expect((await quote({ saleId: sale.id, ticketIds: [ids[0]] })).json().error.code).toBe(
      'TICKET_ALREADY_REFUNDED',
    );
    const wechat = await quote({
      saleId: sale.id,
      ticketIds: [ids[2]],
      payments: [{ method: 'wechat', amountFen: 10_000 }],
    });
    expect(wechat.json().error.code).toBe('REFUND_PAYMENT_MISMATCH');
    expect((await quote({ saleId: sale.id, ticketIds: [ids[2]], reason: 'x' })).statusCode).toBe(400);
    expect((await quote({ saleId: sale.id, ticketIds: [ids[2]] }, 'gate_staff')).statusCode).toBe(403);

    const big = await sell(TYPES.adult, 6, [{ method: 'cash', amountFen: 60_000 }]);
    const all = await quote({ saleId: big.id, ticketIds: big.tickets.map((t) => t.ticketId) });
    expect(all.json()).toMatchObject({ amountFen: 60_000, thresholdFen: 50_000, approvalRequired: true });
  });

  it('lists refunds newest first, page by page after the previous page’s last id', async () => {
    const sale = await sell(TYPES.adult, 3, [{ method: 'cash', amountFen: 30_000 }]);
    for (const { ticketId } of sale.tickets)
      expect((await refund({ saleId: sale.id, ticketIds: [ticketId] })).statusCode).toBe(201);
    const page = async (query: string) =>
      (
        await env.app.inject({
          method: 'GET',
          url: `/api/v1/refunds?saleId=${sale.id}${query}`,
          headers: env.as('cashier'),
        })
      ).json() as { id: string }[];
    const all = (await page('')).map((r) => r.id);
    expect(all).toHaveLength(3);
    const first = await page('&limit=2');
    expect(first.map((r) => r.id)).toEqual(all.slice(0, 2));
    const second = await page(`&limit=2&before=${first[1]!.id}`);
    expect(second.map((r) => r.id)).toEqual(all.slice(2));
    expect(await page(`&limit=2&before=${second[0]!.id}`)).toEqual([]);
  });

  it('refuses used, expired, non-refundable, late and foreign tickets with stable codes, writing nothing', async () => {
    const db = env.test.database.db;
    const tickets = new TicketsService(db);
    const sale = await sell(TYPES.adult, 3, [{ method: 'cash', amountFen: 30_000 }]);
    const [used, expired, fine] = sale.tickets.map((t) => t.ticketId) as [number, number, number];
    await auditedTransaction(db, (trx) =>
      tickets.change(trx, used, 'use', { status: 'used', entriesUsed: 1 }),
    );
    await auditedTransaction(db, (trx) =>
      tickets.change(trx, expired, 'update', {
        validFrom: Date.now() - 2 * DAY_MS,
        validTo: Date.now() - DAY_MS,
      }),
    );
    const other = await sell(TYPES.adult, 1, [{ method: 'cash', amountFen: 10_000 }]);
    const late = await sell(EARLY_DEADLINE, 1, [{ method: 'cash', amountFen: 3_000 }]);
    const none = await sell(NO_REFUND, 1, [{ method: 'cash', amountFen: 3_000 }]);
    const refundsBefore = await db.selectFrom('refunds').select('id').execute();
    const codeFor = async (saleId: string, ticketIds: number[]) =>
      (await refund({ saleId, ticketIds })).json().error.code;
    expect(await codeFor(sale.id, [fine, used])).toBe('TICKET_USED');
    expect(await codeFor(sale.id, [expired])).toBe('TICKET_EXPIRED');
    expect(await codeFor(sale.id, [other.tickets[0]!.ticketId])).toBe('TICKET_NOT_IN_SALE');
    expect(await codeFor(late.id, [late.tickets[0]!.ticketId])).toBe('REFUND_DEADLINE_PASSED');
    expect(await codeFor(none.id, [none.tickets[0]!.ticketId])).toBe('REFUND_NOT_ALLOWED');
    expect(await codeFor('no-such-sale', [fine])).toBe('NOT_FOUND');
    expect(await codeFor(sale.id, [999_999_999])).toBe('NOT_FOUND');
    expect((await refund({ saleId: sale.id, ticketIds: [fine, fine] })).statusCode).toBe(400);
    expect((await refund({ saleId: sale.id, ticketIds: [fine] }, newKey(), 'gate_staff')).statusCode).toBe(
      403,
    );
    expect(await db.selectFrom('refunds').select('id').execute()).toEqual(refundsBefore);
    expect((await ticket(fine)).status).toBe('active');
  });

  it('refunds a partly used count card pro rata', async () => {
    const db = env.test.database.db;
    const sale = await sell(TYPES.count, 1, [{ method: 'alipay', amountFen: 50_000 }]);
    const cardId = sale.tickets[0]!.ticketId;
    await auditedTransaction(db, (trx) =>
      new TicketsService(db).change(trx, cardId, 'use', { entriesUsed: 3 }),
    );
    const soldBefore = await daySold();
    const response = await refund({ saleId: sale.id, ticketIds: [cardId] });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({
      amountFen: 35_000,
      tickets: [{ ticketId: cardId, entriesUsed: 3, entriesTotal: 10, grossFen: 35_000 }],
      payments: [{ method: 'alipay', amountFen: 35_000 }],
    });
    // A card already used has had its day: no place is given back.
    expect(await daySold()).toBe(soldBefore);
  });

  it('needs a second operator with refunds.approve above the threshold', async () => {
    const sale = await sell(TYPES.adult, 6, [{ method: 'cash', amountFen: 60_000 }]);
    const body = { saleId: sale.id, ticketIds: sale.tickets.map((t) => t.ticketId) };
    expect((await refund(body)).json().error.code).toBe('SECOND_APPROVAL_REQUIRED');
    const self = { username: env.operators.cashier.username, password: env.operators.cashier.password };
    expect((await refund({ ...body, approval: self })).json().error.code).toBe(
      'SECOND_APPROVER_SAME_OPERATOR',
    );
    const wrong = { username: env.operators.finance.username, password: 'not-the-password' };
    expect((await refund({ ...body, approval: wrong })).json().error.code).toBe('SECOND_APPROVER_INVALID');
    const finance = { username: env.operators.finance.username, password: env.operators.finance.password };
    const response = await refund({ ...body, approval: finance });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({
      amountFen: 60_000,
      approvedBy: { id: env.operators.finance.id, username: 'test_finance' },
    });
    const audit = await env.test.database.db
      .selectFrom('audit_log')
      .select(['after_json'])
      .where('action', '=', 'refund.create')
      .where('entity_id', '=', response.json().id)
      .executeTakeFirstOrThrow();
    expect(audit.after_json).toContain('test_finance');
    expect(audit.after_json).not.toContain(env.operators.finance.password);
  });

  it('a refund split in two still needs the approval: the threshold weighs the sale’s refunds so far', async () => {
    // The hardening report: 60 tickets of ¥10.00, refunded as two requests of ¥300.00, both went through unapproved.
    const sale = await sell(TEN_YUAN, 60, [{ method: 'cash', amountFen: 60_000 }]);
    const ids = sale.tickets.map((t) => t.ticketId);
    const first = await refund({ saleId: sale.id, ticketIds: ids.slice(0, 30) });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ amountFen: 30_000, approvedBy: null });
    expect((await refundAudit(first.json().id)).approval).toEqual({
      amountFen: 30_000,
      saleCumulativeFen: 30_000,
      thresholdFen: 50_000,
      cashierDayCumulativeFen: null,
      cashierDailyThresholdFen: null,
      exceeds: null,
    });

    const secondHalf = { saleId: sale.id, ticketIds: ids.slice(30) };
    const quoted = await env.app.inject({
      method: 'POST',
      url: '/api/v1/refunds/quote',
      headers: env.as('cashier'),
      payload: secondHalf,
    });
    expect(quoted.json()).toMatchObject({
      amountFen: 30_000,
      thresholdFen: 50_000,
      cumulativeFen: 60_000,
      approvalRequired: true,
    });
    const refused = await refund(secondHalf);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatchObject({
      code: 'SECOND_APPROVAL_REQUIRED',
      message: '同一订单累计金额超过 500.00 元，需要另一名有审批权限的操作员确认',
      details: { thresholdFen: 50_000, cumulativeFen: 60_000, amountFen: 30_000, limit: 'sale' },
    });
    expect((await ticket(ids[30]!)).status).toBe('active');

    const approved = await refund({ ...secondHalf, approval: financeApproval() });
    expect(approved.statusCode, approved.body).toBe(201);
    expect(approved.json().approvedBy).toEqual({ id: env.operators.finance.id, username: 'test_finance' });
    expect((await refundAudit(approved.json().id)).approval).toMatchObject({
      amountFen: 30_000,
      saleCumulativeFen: 60_000,
      thresholdFen: 50_000,
      exceeds: 'sale',
    });
  });

  it('many parallel small refunds of one sale: exactly those within the threshold go through unapproved', async () => {
    await setApproval({ thresholdFen: 5_000 });
    try {
      const sale = await sell(TEN_YUAN, 12, [{ method: 'cash', amountFen: 12_000 }]);
      const responses = await Promise.all(
        sale.tickets.map((t) => refund({ saleId: sale.id, ticketIds: [t.ticketId] })),
      );
      const statuses = responses.map((r) => r.statusCode);
      expect(
        statuses.filter((s) => s === 201),
        JSON.stringify(responses.map((r) => r.body)),
      ).toHaveLength(5);
      for (const r of responses.filter((r) => r.statusCode !== 201))
        expect(r.json().error.code, r.body).toBe('SECOND_APPROVAL_REQUIRED');
      const rows = await env.test.database.db
        .selectFrom('refunds')
        .select(['amount_fen', 'approved_by_id'])
        .where('sale_id', '=', sale.id)
        .execute();
      expect(rows).toHaveLength(5);
      expect(rows.reduce((sum, row) => sum + row.amount_fen, 0)).toBe(5_000);
      expect(rows.every((row) => row.approved_by_id === null)).toBe(true);
    } finally {
      await setApproval({ thresholdFen: 50_000 });
    }
  });

  it('with a daily limit set, a cashier’s refunds in the venue’s business day need approval past it', async () => {
    const db = env.test.database.db;
    // This suite's cashier has refunded before (all of it today): the limit is set just above what they have.
    const sofar = async () =>
      (
        await db
          .selectFrom('refunds')
          .select('amount_fen')
          .where('cashier_id', '=', env.operators.cashier.id)
          .execute()
      )
        .map((row) => row.amount_fen)
        .reduce((sum, fen) => sum + fen, 0);
    const base = await sofar();
    await setApproval({ cashierDailyThresholdFen: base + 1_500 });
    try {
      const [a, b, c] = [
        await sell(TEN_YUAN, 1, [{ method: 'cash', amountFen: 1_000 }]),
        await sell(TEN_YUAN, 1, [{ method: 'cash', amountFen: 1_000 }]),
        await sell(TEN_YUAN, 1, [{ method: 'cash', amountFen: 1_000 }]),
      ] as [SaleBody, SaleBody, SaleBody];
      const one = (sale: SaleBody) => ({ saleId: sale.id, ticketIds: [sale.tickets[0]!.ticketId] });
      const first = await refund(one(a));
      expect(first.statusCode, first.body).toBe(201);
      expect((await refundAudit(first.json().id)).approval).toMatchObject({
        cashierDayCumulativeFen: base + 1_000,
        cashierDailyThresholdFen: base + 1_500,
        exceeds: null,
      });
      // Another sale, the same cashier and day: ¥10.00 more passes the daily limit.
      const refused = await refund(one(b));
      expect(refused.json().error).toMatchObject({
        code: 'SECOND_APPROVAL_REQUIRED',
        message: `营业员当日累计退款超过 ${((base + 1_500) / 100).toFixed(2)} 元，需要另一名有审批权限的操作员确认`,
        details: { limit: 'cashier_day', thresholdFen: base + 1_500, cumulativeFen: base + 2_000 },
      });
      const quoted = await env.app.inject({
        method: 'POST',
        url: '/api/v1/refunds/quote',
        headers: env.as('cashier'),
        payload: one(b),
      });
      expect(quoted.json()).toMatchObject({ cumulativeFen: 1_000, approvalRequired: true });
      // Someone else's day is their own.
      expect((await refund(one(c), newKey(), 'admin')).statusCode).toBe(201);
      const approved = await refund({ ...one(b), approval: financeApproval() });
      expect(approved.statusCode, approved.body).toBe(201);
      expect((await refundAudit(approved.json().id)).approval).toMatchObject({
        amountFen: 1_000,
        saleCumulativeFen: 1_000,
        cashierDayCumulativeFen: base + 2_000,
        exceeds: 'cashier_day',
      });
    } finally {
      await setApproval({ cashierDailyThresholdFen: null });
    }
    // Off again: nothing but the sale's own sum counts.
    const d = await sell(TEN_YUAN, 1, [{ method: 'cash', amountFen: 1_000 }]);
    expect((await refund({ saleId: d.id, ticketIds: [d.tickets[0]!.ticketId] })).statusCode).toBe(201);
  });

  it('30 wrong approver passwords in the approval field limit the cashier, not the finance operator', async () => {
    const db = env.test.database.db;
    const password = 'password-cashier-two';
    await insertTestOperator(db, 'test_cashier_two', 'cashier', { password });
    const signedIn = await env.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'test_cashier_two', password },
      remoteAddress: '10.3.0.1',
    });
    expect(signedIn.statusCode, signedIn.body).toBe(200);
    const sale = await sell(TYPES.adult, 6, [{ method: 'cash', amountFen: 60_000 }]);
    const body = { saleId: sale.id, ticketIds: sale.tickets.map((t) => t.ticketId) };
    const attempt = (approval: { username: string; password: string }) =>
      env.app.inject({
        method: 'POST',
        url: '/api/v1/refunds',
        headers: { authorization: `Bearer ${signedIn.json().token}`, 'idempotency-key': newKey() },
        payload: { ...body, approval },
        remoteAddress: '10.3.0.1',
      });
    const codes: string[] = [];
    for (let i = 0; i < 30; i++)
      codes.push((await attempt({ username: 'test_finance', password: `guess-${i}` })).json().error.code);
    expect(codes.slice(0, 4)).toEqual(Array(4).fill('SECOND_APPROVER_INVALID'));
    expect(codes.slice(4)).toEqual(Array(26).fill('RATE_LIMITED'));
    const limited = await attempt(financeApproval());
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.messages).toEqual({
      'zh-CN': '请求过于频繁，请稍后再试',
      en: 'Too many requests, please try again later',
    });

    // Finance signs in as ever and approves for another cashier.
    const financeLogin = await env.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: financeApproval(),
      remoteAddress: '10.3.0.2',
    });
    expect(financeLogin.statusCode, financeLogin.body).toBe(200);
    const approved = await refund({ ...body, approval: financeApproval() });
    expect(approved.statusCode, approved.body).toBe(201);
    const audited = await db
      .selectFrom('audit_log')
      .select(['actor_username', 'after_json'])
      .where('action', '=', 'auth.approval_failed')
      .where('actor_username', '=', 'test_cashier_two')
      .execute();
    expect(audited).toHaveLength(5);
    expect(audited.every((row) => JSON.parse(row.after_json!).approverUsername === 'test_finance')).toBe(
      true,
    );
  });

  it('refunds a ticket exactly once when 10 requests race for it', async () => {
    const sale = await sell(TYPES.adult, 1, [{ method: 'cash', amountFen: 10_000 }]);
    const ticketId = sale.tickets[0]!.ticketId;
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => refund({ saleId: sale.id, ticketIds: [ticketId] })),
    );
    const statuses = responses.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(9);
    for (const r of responses.filter((r) => r.statusCode === 409))
      expect(['TICKET_ALREADY_REFUNDED', 'CONFLICT']).toContain(r.json().error.code);
    const rows = await env.test.database.db
      .selectFrom('refund_tickets')
      .select('refund_id')
      .where('ticket_id', '=', ticketId)
      .execute();
    expect(rows).toHaveLength(1);
    const feed = await env.test.database.db
      .selectFrom('whitelist_feed')
      .select('op')
      .where('ticket_id', '=', ticketId)
      .where('op', '=', 'refund')
      .execute();
    expect(feed).toHaveLength(1);
  });

  it('refunds an upgraded ticket: the sale’s and the upgrade’s money, each by the methods that paid it', async () => {
    const db = env.test.database.db;
    // The sale took wechat 5,000 + cash 15,000 (16,000 less 1,000 change) for two adult tickets.
    const sale = await sell(TYPES.adult, 2, [
      { method: 'wechat', amountFen: 5_000 },
      { method: 'cash', amountFen: 16_000 },
    ]);
    const [first, second] = sale.tickets.map((t) => t.ticketId) as [number, number];
    // The first is upgraded to a 500.00 count card: alipay 30,000 + cash 10,000 (12,000 less 2,000 change).
    const upgrade = await env.app.inject({
      method: 'POST',
      url: '/api/v1/supplements',
      headers: { ...env.as('cashier'), 'idempotency-key': newKey() },
      payload: {
        kind: 'upgrade',
        ticketId: first,
        windowId: 'W01',
        toTypeId: TYPES.count,
        payments: [
          { method: 'alipay', amountFen: 30_000 },
          { method: 'cash', amountFen: 12_000 },
        ],
      },
    });
    expect(upgrade.statusCode, upgrade.body).toBe(201);
    const upgraded = upgrade.json().newTicketId as number;
    expect((await refund({ saleId: sale.id, ticketIds: [first] })).json().error.code).toBe(
      'TICKET_STATE_CONFLICT',
    );
    // Asking alipay for more than the upgrade took by it is refused.
    const tooMuch = await refund({
      saleId: sale.id,
      ticketIds: [upgraded],
      payments: [{ method: 'alipay', amountFen: 50_000 }],
    });
    expect(tooMuch.json().error.code).toBe('REFUND_PAYMENT_MISMATCH');

    const soldBefore = await daySold();
    const response = await refund({ saleId: sale.id, ticketIds: [upgraded] });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({
      amountFen: 50_000,
      tickets: [{ ticketId: upgraded, priceFen: 50_000, amountFen: 50_000, supplementFen: 40_000 }],
      payments: [
        { method: 'alipay', amountFen: 30_000, supplementFen: 30_000 },
        { method: 'cash', amountFen: 15_000, supplementFen: 10_000 },
        { method: 'wechat', amountFen: 5_000, supplementFen: 0 },
      ],
    });
    expect((await ticket(upgraded)).status).toBe('refunded');
    expect(await daySold()).toBe(soldBefore - 1);
    const feed = await db
      .selectFrom('whitelist_feed')
      .select('op')
      .where('ticket_id', '=', upgraded)
      .orderBy('version')
      .execute();
    expect(feed.map((row) => row.op)).toEqual(['issue', 'refund']);
    const audit = await db
      .selectFrom('audit_log')
      .select('after_json')
      .where('action', '=', 'refund.create')
      .where('entity_id', '=', response.json().id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.after_json!).supplementIds).toEqual([upgrade.json().id]);

    // The sale's own cash is still there for the second ticket: only the upgrade's cash went back with the first.
    // With it the sale's refunds add up to ¥600.00, past the threshold: a second operator approves.
    const restBody = { saleId: sale.id, ticketIds: [second] };
    expect((await refund(restBody)).json().error.code).toBe('SECOND_APPROVAL_REQUIRED');
    const rest = await refund({ ...restBody, approval: financeApproval() });
    expect(rest.statusCode, rest.body).toBe(201);
    expect(rest.json().payments).toEqual([{ method: 'cash', amountFen: 10_000, supplementFen: 0 }]);
    // In all, no method gave back more than the sale and the upgrade took by it.
    const back = await db
      .selectFrom('refund_payments as p')
      .innerJoin('refunds as r', 'r.id', 'p.refund_id')
      .select(['p.method', 'p.amount_fen'])
      .where('r.sale_id', '=', sale.id)
      .execute();
    const total = (method: string) =>
      back.filter((row) => row.method === method).reduce((sum, row) => sum + row.amount_fen, 0);
    expect([total('wechat'), total('alipay'), total('cash')]).toEqual([5_000, 30_000, 25_000]);
  });

  it('voids a refunded pre-printed stub in the stock ledger, so it never sells again and stock still reconciles', async () => {
    const db = env.test.database.db;
    const stock = new StockService(db, new TicketTypesService(db, new VenuesService(db)));
    const manager = { actor: { id: null, username: 'stock-test' }, ip: null };
    const batch = await stock.generateBatch({ ticketTypeId: TYPES.adult, count: 2 }, manager);
    const [code, spare] = batch.codes as [string, string];
    await stock.issue({ cashierId: env.operators.cashier.id, codes: [code, spare] }, manager);
    const sold = await env.app.inject({
      method: 'POST',
      url: '/api/v1/sales',
      headers: { ...env.as('cashier'), 'idempotency-key': newKey() },
      payload: {
        siteId: 'park',
        windowId: 'W01',
        lines: [{ typeId: TYPES.adult, quantity: 1, visitDate: visitDate(), barcodes: [code] }],
        payments: [{ method: 'cash', amountFen: 10_000 }],
      },
    });
    expect(sold.statusCode, sold.body).toBe(201);
    const ticketId = sold.json().tickets[0].ticketId as number;
    const response = await refund({ saleId: sold.json().id, ticketIds: [ticketId] });
    expect(response.statusCode, response.body).toBe(201);

    // The ticket keeps its barcode, so the gates learn that code as refunded; the code is voided in stock.
    expect(await ticket(ticketId)).toMatchObject({ status: 'refunded', barcode: code });
    const row = await db
      .selectFrom('stock_codes')
      .selectAll()
      .where('code', '=', code)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ state: 'voided', holder_id: null, ticket_id: null });
    const moves = await db
      .selectFrom('stock_movements')
      .select(['kind', 'from_state', 'to_state', 'ticket_id', 'reason'])
      .where('code', '=', code)
      .orderBy('id')
      .execute();
    expect(moves.map((m) => m.kind)).toEqual(['import', 'issue', 'sell', 'void']);
    expect(moves[3]).toEqual({
      kind: 'void',
      from_state: 'sold',
      to_state: 'voided',
      ticket_id: String(ticketId),
      reason: `refund ${response.json().id}`,
    });
    const report = await stock.reconciliation({});
    const mine = report.batches.find((b) => b.batchId === batch.batchId)!;
    expect(mine).toMatchObject({ balanced: true, states: { issued: 1, sold: 0, voided: 1 } });

    const again = await env.app.inject({
      method: 'POST',
      url: '/api/v1/sales',
      headers: { ...env.as('cashier'), 'idempotency-key': newKey() },
      payload: {
        siteId: 'park',
        windowId: 'W01',
        lines: [{ typeId: TYPES.adult, quantity: 1, visitDate: visitDate(), barcodes: [code] }],
        payments: [{ method: 'cash', amountFen: 10_000 }],
      },
    });
    expect(again.json().error.code).toBe('STOCK_VOIDED');
  });
});
