import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as supplementsSale from '../../db/migrations/20261208_100100_supplements_sale.js';
import { databaseBackends } from '../../db/testing.js';
import { auditAfter } from '../../platform/audit/entries.js';
import { auditedTransaction } from '../../platform/audit/record.js';
import { type AuthTestApp, createAuthTestApp } from '../../platform/auth/testing.js';
import { residentIdCheckCharacter } from '../../platform/identity/resident-id.js';
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
  const supplement = (payload: object, key = newKey(), role: 'cashier' | 'admin' = 'cashier') =>
    env.app.inject({
      method: 'POST',
      url: '/api/v1/supplements',
      headers: { ...env.as(role), 'idempotency-key': key },
      payload: { windowId: 'W01', ...payload },
    });
  const setThreshold = async (thresholdFen: number) => {
    const response = await env.app.inject({
      method: 'PUT',
      url: '/api/v1/auth/second-approval',
      headers: env.as('admin'),
      payload: { thresholdFen },
    });
    expect(response.statusCode, response.body).toBe(200);
  };
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

  it('moving a child’s free real-name ticket to another date keeps the age discount: nothing to pay', async () => {
    // Born three years ago: free under the site's age policy (0–6) on either date.
    const born = new Date(Date.now() - 3 * 365 * DAY_MS).toISOString().slice(0, 10).replaceAll('-', '');
    const first17 = `110101${born}123`;
    const sold = await env.app.inject({
      method: 'POST',
      url: '/api/v1/sales',
      headers: { ...env.as('cashier'), 'idempotency-key': newKey() },
      payload: {
        siteId: 'park',
        windowId: 'W01',
        lines: [
          {
            typeId: TYPES.realName,
            quantity: 1,
            visitDate: visitDate(),
            holders: [{ name: '小明', idNumber: first17 + residentIdCheckCharacter(first17) }],
          },
        ],
        payments: [],
      },
    });
    expect(sold.statusCode, sold.body).toBe(201);
    const child = sold.json().tickets[0];
    expect(child.priceFen).toBe(0);
    const moved = await supplement({ kind: 'upgrade', ticketId: child.ticketId, visitDate: visitDate(4) });
    expect(moved.statusCode, moved.body).toBe(201);
    expect(moved.json()).toMatchObject({ amountFen: 0, newTicket: { priceFen: 0, visitDate: visitDate(4) } });
    // And again from the new ticket: the birth date went over with the holder.
    const again = await supplement({
      kind: 'upgrade',
      ticketId: moved.json().newTicketId,
      visitDate: visitDate(6),
    });
    expect(again.json()).toMatchObject({ amountFen: 0, newTicket: { priceFen: 0 } });
  });

  it('quotes each kind as it is then made, writing nothing; lists page by page after the last id', async () => {
    const quote = (payload: object) =>
      env.app.inject({
        method: 'POST',
        url: '/api/v1/supplements/quote',
        headers: env.as('cashier'),
        payload: { windowId: 'W01', ...payload },
      });
    const id = await sell(TYPES.adult, 10_000);
    const upgrade = await quote({ kind: 'upgrade', ticketId: id, toTypeId: TYPES.count });
    expect(upgrade.statusCode, upgrade.body).toBe(200);
    expect(upgrade.json()).toEqual({
      kind: 'upgrade',
      ticketId: id,
      amountFen: 40_000,
      newPriceFen: 50_000,
      visitDate: visitDate(),
      thresholdFen: 50_000,
      cumulativeFen: 40_000,
      approvalRequired: false,
    });
    expect(await feedOps(id)).toEqual(['issue']);
    expect((await tickets().get(id)).status).toBe('active');
    const reissue = await quote({ kind: 'reissue', ticketId: id, feeFen: 60_000 });
    expect(reissue.json()).toMatchObject({ amountFen: 60_000, newPriceFen: null, approvalRequired: true });
    const fee = await quote({ kind: 'fee', ticketId: id, reason: 'overstay' });
    expect(fee.json().error.code).toBe('SUPPLEMENT_FEE_UNKNOWN');
    const given = await quote({ kind: 'fee', ticketId: id, reason: 'other', amountFen: 1_500 });
    expect(given.json()).toMatchObject({ kind: 'fee', amountFen: 1_500, visitDate: null });
    const withPayments = await quote({
      kind: 'fee',
      ticketId: id,
      reason: 'other',
      amountFen: 1,
      payments: [],
    });
    expect(withPayments.statusCode).toBe(400);

    const made = await supplement({
      kind: 'upgrade',
      ticketId: id,
      toTypeId: TYPES.count,
      payments: [{ method: 'wechat', amountFen: upgrade.json().amountFen }],
    });
    expect(made.json()).toMatchObject({ amountFen: 40_000, newTicket: { priceFen: 50_000 } });
    const newId = made.json().newTicketId as number;
    expect((await quote({ kind: 'reissue', ticketId: id })).json().error.code).toBe('TICKET_STATE_CONFLICT');

    for (const amountFen of [100, 200])
      expect(
        (
          await supplement({
            kind: 'fee',
            ticketId: newId,
            reason: 'other',
            amountFen,
            payments: [{ method: 'cash', amountFen }],
          })
        ).statusCode,
      ).toBe(201);
    const page = async (query: string) =>
      (
        await env.app.inject({
          method: 'GET',
          url: `/api/v1/supplements?ticketId=${newId}${query}`,
          headers: env.as('finance'),
        })
      ).json() as { id: string }[];
    const all = (await page('')).map((s) => s.id);
    expect(all).toHaveLength(3);
    const first = await page('&limit=2');
    expect(first.map((s) => s.id)).toEqual(all.slice(0, 2));
    expect((await page(`&limit=2&before=${first[1]!.id}`)).map((s) => s.id)).toEqual(all.slice(2));
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
    // Change is capped as for sales (CASH_MAX_CHANGE_FEN, default ¥1,000), and the refusal writes nothing.
    const supplements = () => db.selectFrom('supplements').select('id').execute();
    const before = (await supplements()).length;
    const tooMuch = await supplement({
      kind: 'fee',
      ticketId: id,
      reason: 'other',
      amountFen: 100,
      payments: [{ method: 'cash', amountFen: 100_101 }],
    });
    expect([tooMuch.statusCode, tooMuch.json().error.code]).toEqual([400, 'CHANGE_TOO_LARGE']);
    expect((await supplements()).length).toBe(before);
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

  it('needs a second operator with supplements.approve above the threshold, like a refund', async () => {
    await setThreshold(30_000);
    try {
      const oldId = await sell(TYPES.adult, 10_000);
      const body = {
        kind: 'upgrade',
        ticketId: oldId,
        toTypeId: TYPES.count,
        payments: [{ method: 'bank_card', amountFen: 40_000 }],
      };
      const required = await supplement(body);
      expect(required.json().error).toMatchObject({
        code: 'SECOND_APPROVAL_REQUIRED',
        details: { thresholdFen: 30_000 },
      });
      const self = { username: env.operators.cashier.username, password: env.operators.cashier.password };
      expect((await supplement({ ...body, approval: self })).json().error.code).toBe(
        'SECOND_APPROVER_SAME_OPERATOR',
      );
      // The control room may not approve (no supplements.approve); finance may.
      const controlRoom = {
        username: env.operators.control_room.username,
        password: env.operators.control_room.password,
      };
      expect((await supplement({ ...body, approval: controlRoom })).json().error.code).toBe(
        'SECOND_APPROVER_INVALID',
      );
      expect((await tickets().get(oldId)).status).toBe('active');
      const finance = { username: env.operators.finance.username, password: env.operators.finance.password };
      const key = newKey();
      const made = await supplement({ ...body, approval: finance }, key);
      expect(made.statusCode, made.body).toBe(201);
      expect(made.json()).toMatchObject({
        amountFen: 40_000,
        approvedBy: { id: env.operators.finance.id, username: 'test_finance' },
      });
      const audit = await env.test.database.db
        .selectFrom('audit_log')
        .select('after_json')
        .where('action', '=', 'supplement.upgrade')
        .where('entity_id', '=', made.json().id)
        .executeTakeFirstOrThrow();
      expect(JSON.parse(audit.after_json!).approvedBy).toEqual({
        id: env.operators.finance.id,
        username: 'test_finance',
      });
      expect(audit.after_json).not.toContain(env.operators.finance.password);
      // A replay needs no approver again: the password is not part of the request's identity.
      const replay = await supplement(body, key);
      expect(replay.statusCode).toBe(200);
      expect(replay.json()).toEqual(made.json());
      // ¥300.00 more on the same sale adds up past the threshold: asked again, however small this one is.
      const more = {
        kind: 'reissue',
        ticketId: made.json().newTicketId,
        feeFen: 30_000,
        payments: [{ method: 'cash', amountFen: 30_000 }],
      };
      expect((await supplement(more)).json().error).toMatchObject({
        code: 'SECOND_APPROVAL_REQUIRED',
        details: { thresholdFen: 30_000, cumulativeFen: 70_000, amountFen: 30_000, limit: 'sale' },
      });
      // At or below the threshold on a sale of its own, nobody else is asked.
      const small = await supplement({ ...more, ticketId: await sell(TYPES.adult, 10_000) });
      expect(small.statusCode, small.body).toBe(201);
      expect(small.json().approvedBy).toBeNull();
    } finally {
      await setThreshold(50_000);
    }
  });

  it('fees split on one sale still need the approval: the threshold weighs the sale’s supplements so far', async () => {
    const id = await sell(TYPES.adult, 10_000);
    const fee = {
      kind: 'fee',
      ticketId: id,
      reason: 'other',
      amountFen: 30_000,
      payments: [{ method: 'cash', amountFen: 30_000 }],
    };
    const first = await supplement(fee);
    expect(first.statusCode, first.body).toBe(201);
    const audit = (supplementId: string) => auditAfter(env.test.database.db, 'supplement.fee', supplementId);
    expect((await audit(first.json().id)).approval).toMatchObject({
      amountFen: 30_000,
      saleCumulativeFen: 30_000,
      thresholdFen: 50_000,
      exceeds: null,
    });
    const quoted = await env.app.inject({
      method: 'POST',
      url: '/api/v1/supplements/quote',
      headers: env.as('cashier'),
      payload: { windowId: 'W01', kind: 'fee', ticketId: id, reason: 'other', amountFen: 30_000 },
    });
    expect(quoted.json()).toMatchObject({ cumulativeFen: 60_000, approvalRequired: true });
    const refused = await supplement(fee);
    expect(refused.json().error).toMatchObject({
      code: 'SECOND_APPROVAL_REQUIRED',
      details: { thresholdFen: 50_000, cumulativeFen: 60_000, amountFen: 30_000 },
    });
    const finance = { username: env.operators.finance.username, password: env.operators.finance.password };
    const approved = await supplement({ ...fee, approval: finance });
    expect(approved.statusCode, approved.body).toBe(201);
    expect((await audit(approved.json().id)).approval).toMatchObject({
      saleCumulativeFen: 60_000,
      exceeds: 'sale',
    });
  });

  it('many parallel small fees on one sale: exactly those within the threshold go through unapproved', async () => {
    await setThreshold(5_000);
    try {
      const id = await sell(TYPES.adult, 10_000);
      const responses = await Promise.all(
        Array.from({ length: 10 }, () =>
          supplement({
            kind: 'fee',
            ticketId: id,
            reason: 'other',
            amountFen: 1_000,
            payments: [{ method: 'cash', amountFen: 1_000 }],
          }),
        ),
      );
      const statuses = responses.map((r) => r.statusCode);
      expect(
        statuses.filter((s) => s === 201),
        JSON.stringify(responses.map((r) => r.body)),
      ).toHaveLength(5);
      for (const r of responses.filter((r) => r.statusCode !== 201))
        expect(r.json().error.code, r.body).toBe('SECOND_APPROVAL_REQUIRED');
      const rows = await env.test.database.db
        .selectFrom('supplements')
        .select('amount_fen')
        .where('ticket_id', '=', id)
        .execute();
      expect(rows.reduce((sum, row) => sum + row.amount_fen, 0)).toBe(5_000);
    } finally {
      await setThreshold(50_000);
    }
  });

  it('records the ticket’s sale on each supplement; the migration that added it fills it in for older ones', async () => {
    const db = env.test.database.db;
    const id = await sell(TYPES.adult, 10_000);
    const saleId = (await tickets().get(id)).saleId;
    const made = await supplement({
      kind: 'fee',
      ticketId: id,
      reason: 'other',
      amountFen: 100,
      payments: [{ method: 'cash', amountFen: 100 }],
    });
    expect(made.statusCode, made.body).toBe(201);
    const saleOf = async () =>
      (
        await db
          .selectFrom('supplements')
          .select('sale_id')
          .where('id', '=', made.json().id)
          .executeTakeFirstOrThrow()
      ).sale_id;
    expect(await saleOf()).toBe(saleId);
    // As before the migration: the column gone, then added again and filled in from the tickets.
    // Migrations see an untyped database.
    const untyped = db as unknown as Kysely<unknown>;
    await supplementsSale.down(untyped);
    await supplementsSale.up(untyped);
    expect(await saleOf()).toBe(saleId);
  });

  it('refuses to upgrade, reissue or charge a refunded, revoked or expired ticket, writing nothing', async () => {
    const db = env.test.database.db;
    const refunded = await sell(TYPES.adult, 10_000);
    const sale = (await tickets().get(refunded)).saleId!;
    const back = await env.app.inject({
      method: 'POST',
      url: '/api/v1/refunds',
      headers: { ...env.as('cashier'), 'idempotency-key': newKey() },
      payload: { saleId: sale, ticketIds: [refunded] },
    });
    expect(back.statusCode, back.body).toBe(201);
    const expired = await sell(TYPES.adult, 10_000);
    await auditedTransaction(db, (trx) =>
      tickets().change(trx, expired, 'update', {
        validFrom: Date.now() - 2 * DAY_MS,
        validTo: Date.now() - DAY_MS,
      }),
    );
    const revoked = await sell(TYPES.adult, 10_000);
    await auditedTransaction(db, (trx) => tickets().change(trx, revoked, 'revoke', { status: 'revoked' }));
    const before = await db.selectFrom('supplements').select('id').execute();
    const upgrade = (ticketId: number) =>
      supplement({
        kind: 'upgrade',
        ticketId,
        toTypeId: TYPES.count,
        payments: [{ method: 'cash', amountFen: 40_000 }],
      });
    const codeOf = async (response: Promise<{ json: () => { error: { code: string } } }>) =>
      (await response).json().error.code;
    expect(await codeOf(upgrade(refunded))).toBe('TICKET_STATE_CONFLICT');
    expect(await codeOf(upgrade(revoked))).toBe('TICKET_STATE_CONFLICT');
    expect(await codeOf(upgrade(expired))).toBe('TICKET_EXPIRED');
    for (const ticketId of [refunded, revoked])
      expect(await codeOf(supplement({ kind: 'reissue', ticketId }))).toBe('TICKET_STATE_CONFLICT');
    expect(await codeOf(supplement({ kind: 'reissue', ticketId: expired }))).toBe('TICKET_EXPIRED');
    for (const ticketId of [refunded, revoked])
      expect(
        await codeOf(
          supplement({
            kind: 'fee',
            ticketId,
            reason: 'overstay',
            amountFen: 500,
            payments: [{ method: 'cash', amountFen: 500 }],
          }),
        ),
      ).toBe('TICKET_STATE_CONFLICT');
    // An overstay after the ticket's validity is exactly what the fee is for.
    const late = await supplement({
      kind: 'fee',
      ticketId: expired,
      reason: 'overstay',
      amountFen: 500,
      payments: [{ method: 'cash', amountFen: 500 }],
    });
    expect(late.statusCode, late.body).toBe(201);
    const after = await db.selectFrom('supplements').select('id').where('id', '<>', late.json().id).execute();
    expect(after).toHaveLength(before.length);
    expect((await tickets().get(refunded)).status).toBe('refunded');
  });

  it('20 parallel upgrades and reissues of one ticket: exactly one replaces it, the rest get a conflict', async () => {
    const db = env.test.database.db;
    const oldId = await sell(TYPES.adult, 10_000);
    const soldBefore = await db.selectFrom('capacity_days').select('sold').execute();
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0
          ? supplement({
              kind: 'reissue',
              ticketId: oldId,
              feeFen: 500,
              payments: [{ method: 'cash', amountFen: 500 }],
            })
          : supplement({
              kind: 'upgrade',
              ticketId: oldId,
              toTypeId: TYPES.count,
              payments: [{ method: 'wechat', amountFen: 40_000 }],
            }),
      ),
    );
    const statuses = responses.map((r) => r.statusCode);
    expect(
      statuses.filter((s) => s === 201),
      JSON.stringify(responses.map((r) => r.body)),
    ).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    for (const r of responses.filter((r) => r.statusCode === 409))
      expect(['TICKET_STATE_CONFLICT', 'CONFLICT']).toContain(r.json().error.code);
    const rows = await db.selectFrom('supplements').select('id').where('ticket_id', '=', oldId).execute();
    expect(rows).toHaveLength(1);
    expect(await feedOps(oldId)).toEqual(['issue', 'revoke']);
    const winner = responses.find((r) => r.statusCode === 201)!.json();
    expect(await feedOps(winner.newTicketId)).toEqual(['issue']);
    // Exactly one new ticket, and places neither leaked nor double-counted.
    const issued = await db
      .selectFrom('tickets')
      .select('id')
      .where('sale_id', '=', (await tickets().get(oldId)).saleId)
      .execute();
    expect(issued).toHaveLength(2);
    const soldAfter = await db.selectFrom('capacity_days').select('sold').execute();
    expect(soldAfter.reduce((s, r) => s + r.sold, 0)).toBe(soldBefore.reduce((s, r) => s + r.sold, 0));
  });

  it('the same Idempotency-Key 20 times in parallel makes one supplement', async () => {
    const db = env.test.database.db;
    const oldId = await sell(TYPES.adult, 10_000);
    const key = newKey();
    const body = {
      kind: 'reissue',
      ticketId: oldId,
      feeFen: 500,
      payments: [{ method: 'cash', amountFen: 500 }],
    };
    const responses = await Promise.all(Array.from({ length: 20 }, () => supplement(body, key)));
    const statuses = responses.map((r) => r.statusCode);
    expect(
      statuses.filter((s) => s === 201),
      JSON.stringify(responses.map((r) => r.body)),
    ).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(19);
    const ids = new Set(responses.map((r) => r.json().id));
    expect(ids.size).toBe(1);
    for (const r of responses.filter((r) => r.statusCode === 200))
      expect(r.headers['idempotent-replayed']).toBe('true');
    const rows = await db.selectFrom('supplements').select('id').where('ticket_id', '=', oldId).execute();
    expect(rows).toHaveLength(1);
    expect(await feedOps(oldId)).toEqual(['issue', 'revoke']);
  });
});
