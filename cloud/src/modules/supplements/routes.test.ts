import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../db/testing.js';
import { auditedTransaction } from '../../platform/audit/record.js';
import { type AuthTestApp, createAuthTestApp } from '../../platform/auth/testing.js';
import { TicketsService } from '../tickets/service.js';
import { seedVenue, TYPES } from '../tickets/testing.js';

const DAY_MS = 86_400_000;
const visitDate = (daysAhead = 2) => new Date(Date.now() + daysAhead * DAY_MS).toISOString().slice(0, 10);
let keySeq = 0;
const newKey = () => `s-${process.pid}-${++keySeq}`;

describe.each(databaseBackends())('supplements on $name', (backend) => {
  let env: AuthTestApp;

  const sell = async (typeId: number, amountFen: number) => {
    const response = await env.app.inject({
      method: 'POST',
      url: '/api/v1/sales',
      headers: { ...env.as('cashier'), 'idempotency-key': newKey() },
      payload: {
        siteId: 'park',
        windowId: 'W01',
        lines: [{ typeId, quantity: 1, visitDate: visitDate() }],
        payments: [{ method: 'cash', amountFen }],
      },
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json().tickets[0].ticketId as number;
  };
  const supplement = (payload: object, key = newKey()) =>
    env.app.inject({
      method: 'POST',
      url: '/api/v1/supplements',
      headers: { ...env.as('cashier'), 'idempotency-key': key },
      payload: { windowId: 'W01', ...payload },
    });
  const tickets = () => new TicketsService(env.test.database.db);
  const feedOps = async (ticketId: number) =>
    (
      await env.test.database.db
        .selectFrom('whitelist_feed')
        .select('op')
        .where('ticket_id', '=', ticketId)
        .orderBy('version')
        .execute()
    ).map((row) => row.op);

  beforeAll(async () => {
    env = await createAuthTestApp(backend, { CREDENTIAL_SECRET: 'test-secret-test-secret-test-secret!' });
    await seedVenue(env.test.database.db);
  });
  afterAll(() => env.dispose());

  it('upgrades a ticket for the price difference: old revoked, new issued and linked, replay answers the same', async () => {
    const oldId = await sell(TYPES.adult, 10_000);
    const key = newKey();
    const body = {
      kind: 'upgrade',
      ticketId: oldId,
      toTypeId: TYPES.count,
      payments: [{ method: 'cash', amountFen: 50_000 }],
    };
    const response = await supplement(body, key);
    expect(response.statusCode, response.body).toBe(201);
    const made = response.json();
    expect(made).toMatchObject({ kind: 'upgrade', ticketId: oldId, amountFen: 40_000, changeFen: 10_000 });
    expect(made.newTicket).toMatchObject({
      typeId: TYPES.count,
      status: 'active',
      entriesTotal: 10,
      priceFen: 50_000,
    });
    expect((await tickets().get(oldId)).status).toBe('revoked');
    expect(await feedOps(oldId)).toEqual(['issue', 'revoke']);
    expect(await feedOps(made.newTicketId)).toEqual(['issue']);
    const replay = await supplement(body, key);
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toEqual(made);
    expect((await supplement(body)).json().error.code).toBe('TICKET_STATE_CONFLICT');
    const down = await supplement({ kind: 'upgrade', ticketId: made.newTicketId, toTypeId: TYPES.adult });
    expect(down.json().error.code).toBe('SUPPLEMENT_PRICE_LOWER');
    const same = await supplement({ kind: 'upgrade', ticketId: made.newTicketId });
    expect(same.json().error.code).toBe('SUPPLEMENT_NOTHING_CHANGES');
    const short = await supplement({ kind: 'upgrade', ticketId: made.newTicketId, visitDate: visitDate(5) });
    expect(short.statusCode).toBe(201);
    expect(short.json()).toMatchObject({ amountFen: 0, newTicket: { visitDate: visitDate(5) } });
    const history = await env.app.inject({
      method: 'GET',
      url: `/api/v1/supplements?ticketId=${made.newTicketId}`,
      headers: env.as('finance'),
    });
    expect(history.json().map((s: { id: string }) => s.id)).toEqual([short.json().id, made.id]);
  });

  it('charges overstay and re-entry fees; re-entry gives one entry back through the feed', async () => {
    const id = await sell(TYPES.adult, 10_000);
    const noRate = await supplement({ kind: 'fee', ticketId: id, reason: 'reentry' });
    expect(noRate.json().error.code).toBe('SUPPLEMENT_FEE_UNKNOWN');
    const rate = await env.app.inject({
      method: 'PUT',
      url: '/api/v1/supplements/fee-rates',
      headers: env.as('admin'),
      payload: { typeId: TYPES.adult, reason: 'reentry', amountFen: 2_000 },
    });
    expect(rate.statusCode).toBe(200);
    const db = env.test.database.db;
    await auditedTransaction(db, (trx) =>
      tickets().change(trx, id, 'use', { status: 'used', entriesUsed: 1 }),
    );
    const reentry = await supplement({
      kind: 'fee',
      ticketId: id,
      reason: 'reentry',
      payments: [{ method: 'wechat', amountFen: 2_000 }],
    });
    expect(reentry.statusCode, reentry.body).toBe(201);
    expect(reentry.json()).toMatchObject({ amountFen: 2_000, reason: 'reentry', newTicketId: null });
    expect(await tickets().get(id)).toMatchObject({ status: 'active', entriesUsed: 0 });
    expect(await feedOps(id)).toEqual(['issue', 'use', 'update']);
    const overstay = await supplement({
      kind: 'fee',
      ticketId: id,
      reason: 'overstay',
      amountFen: 1_500,
      note: '超时 2 小时',
      payments: [{ method: 'cash', amountFen: 2_000 }],
    });
    expect(overstay.json()).toMatchObject({ amountFen: 1_500, changeFen: 500, note: '超时 2 小时' });
    const unpaid = await supplement({ kind: 'fee', ticketId: id, reason: 'other', amountFen: 100 });
    expect(unpaid.json().error.code).toBe('PAYMENT_MISMATCH');
  });

  it('reissues a lost count card with its remaining entries, for a fee, without the lost stub', async () => {
    const id = await sell(TYPES.count, 50_000);
    const db = env.test.database.db;
    await auditedTransaction(db, (trx) => tickets().change(trx, id, 'use', { entriesUsed: 4 }));
    const response = await supplement({
      kind: 'reissue',
      ticketId: id,
      feeFen: 1_000,
      cardUid: '04:A2:2B:1C:5D:80:00',
      payments: [{ method: 'alipay', amountFen: 1_000 }],
    });
    expect(response.statusCode, response.body).toBe(201);
    const made = response.json();
    const old = await tickets().get(id);
    expect(old.status).toBe('revoked');
    expect(made.newTicket).toMatchObject({
      typeId: TYPES.count,
      entriesTotal: 10,
      entriesUsed: 4,
      validFrom: old.validFrom,
      validTo: old.validTo,
      cardUid: '04A22B1C5D8000',
      barcode: null,
    });
    expect(made.newTicket.qrText).not.toBe(old.qrText);
    expect(await feedOps(made.newTicketId)).toEqual(['issue', 'update']);
    const badCard = await supplement({ kind: 'reissue', ticketId: made.newTicketId, cardUid: 'zz' });
    expect(badCard.statusCode).toBe(400);
    const none = await supplement({ kind: 'reissue', ticketId: 999_999_999 });
    expect(none.statusCode).toBe(404);
  });
});
