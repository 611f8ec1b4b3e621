import { checkQrCredential, PublicKeyring, QR_FLAGS } from '@scenic/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../db/testing.js';
import { transaction } from '../../db/transaction.js';
import { residentIdCheckCharacter } from '../../platform/identity/resident-id.js';
import { hasPoppler, pdfText } from '../printing/testing/readback.js';
import { TYPES } from '../tickets/testing.js';
import { createGroupTestEnv, type GroupTestEnv, HOUR_MS, shanghaiDate, shanghaiMidnight } from './testing.js';

const withCheck = (first17: string) => first17 + residentIdCheckCharacter(first17);
const IDS = [withCheck('11010119900307451'), withCheck('11010119850101002'), withCheck('11010119700505003')];

let refSeq = 0;
const newRef = () => `ref-${process.pid}-${++refSeq}`;

describe.each(databaseBackends())('group orders on $name', (backend) => {
  let env: GroupTestEnv;
  const date = shanghaiDate(10);

  const api = (
    method: 'GET' | 'POST' | 'PUT' | 'PATCH',
    url: string,
    payload?: object,
    role: 'admin' | 'agency' | 'cashier' | 'gate_staff' = 'admin',
  ) =>
    env.app.inject({
      method,
      url: `/api/v1/group-orders${url}`,
      headers: env.as(role),
      ...(payload && { payload }),
    });

  const order = (overrides: Record<string, unknown> = {}) => ({
    siteId: 'park',
    reference: newRef(),
    visitDate: date,
    lines: [{ typeId: TYPES.adult, quantity: 20 }],
    guide: { name: '王导', phone: '13800000000' },
    ...overrides,
  });

  const create = async (overrides: Record<string, unknown> = {}) => {
    const response = await api('POST', '/', order(overrides));
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  };

  const sold = async (day = date) => {
    const response = await env.app.inject({
      method: 'GET',
      url: `/api/v1/capacity/availability?siteId=park&date=${day}`,
      headers: env.as('admin'),
    });
    return response.json().daily.sold as number;
  };

  const auditActions = async (orderId: string) =>
    (
      await env.test.database.db
        .selectFrom('audit_log')
        .select('action')
        .where('entity', '=', 'group_order')
        .where('entity_id', '=', orderId)
        .orderBy('seq')
        .execute()
    ).map((row) => row.action);

  beforeAll(async () => {
    env = await createGroupTestEnv(backend);
  });
  afterAll(() => env.dispose());

  it('creates a held order that takes its places, and a retry with the same reference answers it', async () => {
    const before = await sold();
    const body = order();
    const first = await api('POST', '/', body);
    expect(first.statusCode).toBe(201);
    const created = first.json();
    expect(created).toMatchObject({
      state: 'held',
      headcount: 20,
      totalFen: 200_000,
      paymentMode: 'window',
      agencyId: null,
      guide: { name: '王导', phone: '13800000000' },
      lines: [{ lineNo: 1, typeId: TYPES.adult, quantity: 20, unitPriceFen: 10_000, amountFen: 200_000 }],
    });
    expect(created.holdExpiresAt).toBe(env.clock + 120 * 60_000);
    expect(created.transitions).toMatchObject([{ seq: 1, action: 'create', from: null, to: 'held' }]);
    expect(await sold()).toBe(before + 20);

    const replay = await api('POST', '/', body);
    expect(replay.statusCode).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json().id).toBe(created.id);
    expect(await sold()).toBe(before + 20);

    const other = await api('POST', '/', { ...body, lines: [{ typeId: TYPES.adult, quantity: 21 }] });
    expect(other.statusCode).toBe(409);
    expect(other.json().error.code).toBe('ORDER_REFERENCE_CONFLICT');
    expect(await auditActions(created.id)).toEqual(['group_order.create']);
  });

  it('parallel creates with one reference make one order', async () => {
    const before = await sold();
    const body = order({ lines: [{ typeId: TYPES.adult, quantity: 3 }] });
    const answers = await Promise.all(Array.from({ length: 6 }, () => api('POST', '/', body)));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.json().id)).size).toBe(1);
    expect(await sold()).toBe(before + 3);
  });

  it('confirms, then picks up with one group code for N persons, paid at the window with change', async () => {
    const created = await create();
    const confirmed = await api('POST', `/${created.id}/confirm`);
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json()).toMatchObject({ state: 'confirmed', holdExpiresAt: null, paidFen: 0 });

    const short = await api('POST', `/${created.id}/pick-up`, {
      windowId: 'W01',
      issue: 'group',
      payments: [{ method: 'wechat', amountFen: 100_000 }],
    });
    expect(short.json().error.code).toBe('PAYMENT_MISMATCH');

    const picked = await api('POST', `/${created.id}/pick-up`, {
      windowId: 'W01',
      issue: 'group',
      payments: [
        { method: 'wechat', amountFen: 150_000 },
        { method: 'cash', amountFen: 60_000 },
      ],
    });
    expect(picked.statusCode, picked.body).toBe(200);
    const view = picked.json();
    expect(view).toMatchObject({
      state: 'picked_up',
      issueMode: 'group',
      windowId: 'W01',
      paidFen: 200_000,
      changeFen: 10_000,
    });
    expect(view.tickets).toHaveLength(1);
    const [code] = view.tickets;
    expect(code).toMatchObject({
      persons: 20,
      entriesTotal: 20,
      priceFen: 200_000,
      status: 'active',
      visitDate: date,
    });
    expect(code.flags & QR_FLAGS.GROUP).toBe(QR_FLAGS.GROUP);
    const keys = await env.app.inject({
      method: 'GET',
      url: '/api/v1/signing-keys',
      headers: env.as('admin'),
    });
    const check = checkQrCredential(code.qrText, PublicKeyring.fromEntries(keys.json()), code.validFrom);
    expect(check.ok && check.credential.ticketId).toBe(code.ticketId);
    expect(view.payments).toHaveLength(2);
    expect(view.transitions.map((t: { action: string }) => t.action)).toEqual([
      'create',
      'confirm',
      'pick_up',
    ]);
    expect(await auditActions(created.id)).toEqual([
      'group_order.create',
      'group_order.confirm',
      'group_order.pick_up',
    ]);
    const held = await create();
    const nothing = await api('GET', `/${held.id}/tickets.pdf`);
    expect(nothing.statusCode).toBe(409);
    expect(nothing.json().error.code).toBe('NOTHING_TO_PRINT');

    const pdf = await api('GET', `/${created.id}/tickets.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    if (hasPoppler) {
      // The group code's printout names the order by its reference (a sale's names the sale).
      const text = pdfText(pdf.rawPayload);
      expect(text).toContain(String(code.ticketId));
      expect(text).toMatch(new RegExp(`订单 Sale\\s+${created.reference}`));
    }
    const printed = await env.test.database.db
      .selectFrom('audit_log')
      .select(['entity', 'entity_id'])
      .where('action', '=', 'ticket.print')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(printed).toEqual({ entity: 'group_order', entity_id: created.id });

    const again = await api('POST', `/${created.id}/cancel`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('ORDER_STATE_INVALID');
  });

  it('picks up one ticket per person, and a real-name line needs its visitor list first', async () => {
    const created = await create({
      lines: [
        { typeId: TYPES.adult, quantity: 2 },
        { typeId: TYPES.realName, quantity: 2 },
      ],
      visitors: [{ typeId: TYPES.realName, name: '张三', idNumber: IDS[0] }],
    });
    expect(created.visitorsDueAt).toBe(shanghaiMidnight(date) - 24 * HOUR_MS);
    expect(created.visitors).toEqual([
      { typeId: TYPES.realName, name: '张三', idMasked: expect.stringContaining('*') },
    ]);
    await api('POST', `/${created.id}/confirm`);
    const pickUp = {
      windowId: 'W01',
      issue: 'individual',
      payments: [{ method: 'cash', amountFen: 36_000 }],
    };
    const missing = await api('POST', `/${created.id}/pick-up`, pickUp);
    expect(missing.statusCode).toBe(409);
    expect(missing.json().error).toMatchObject({ code: 'ORDER_VISITORS_MISSING' });

    const wrongType = await api('PUT', `/${created.id}/visitors`, {
      visitors: [{ typeId: TYPES.adult, name: '李四', idNumber: IDS[1] }],
    });
    expect(wrongType.statusCode).toBe(400);
    const given = await api('PUT', `/${created.id}/visitors`, {
      visitors: [
        { typeId: TYPES.realName, name: '张三', idNumber: IDS[0] },
        { typeId: TYPES.realName, name: '李四', idNumber: IDS[1] },
      ],
    });
    expect(given.statusCode, given.body).toBe(200);
    expect(given.json().visitors).toHaveLength(2);

    const picked = await api('POST', `/${created.id}/pick-up`, pickUp);
    expect(picked.statusCode, picked.body).toBe(200);
    const tickets = picked.json().tickets;
    expect(tickets).toHaveLength(4);
    expect(tickets.every((t: { persons: number }) => t.persons === 1)).toBe(true);
    expect(
      tickets
        .filter((t: { holder: unknown }) => t.holder !== null)
        .map((t: { holder: { name: string } }) => t.holder.name)
        .sort(),
    ).toEqual(['张三', '李四']);
  });

  it('holds each visitor to the real-name type’s per-ID daily limit at pick-up', async () => {
    // IDS[0] already holds today's one ticket of this type (the test above).
    const again = await create({
      lines: [{ typeId: TYPES.realName, quantity: 1 }],
      visitors: [{ typeId: TYPES.realName, name: '张三', idNumber: IDS[0] }],
    });
    await api('POST', `/${again.id}/confirm`);
    const refused = await api('POST', `/${again.id}/pick-up`, {
      windowId: 'W01',
      issue: 'individual',
      payments: [{ method: 'cash', amountFen: 8_000 }],
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('PER_ID_LIMIT_EXCEEDED');
    expect((await api('GET', `/${again.id}`)).json()).toMatchObject({ state: 'confirmed', tickets: [] });
  });

  it('freezes the visitor list once it is due', async () => {
    const created = await create({ lines: [{ typeId: TYPES.realName, quantity: 1 }] });
    await api('POST', `/${created.id}/confirm`);
    const saved = env.clock;
    env.clock = created.visitorsDueAt;
    try {
      const late = await api('PUT', `/${created.id}/visitors`, {
        visitors: [{ typeId: TYPES.realName, name: '王五', idNumber: IDS[2] }],
      });
      expect(late.statusCode).toBe(409);
      expect(late.json().error.code).toBe('ORDER_VISITORS_CLOSED');
    } finally {
      env.clock = saved;
    }
  });

  it('modifies headcount, date and slot before pick-up: capacity re-checked, decreases released', async () => {
    const created = await create({ lines: [{ typeId: TYPES.adult, quantity: 10 }] });
    const before = await sold();
    const fewer = await api('PATCH', `/${created.id}`, { lines: [{ typeId: TYPES.adult, quantity: 6 }] });
    expect(fewer.statusCode, fewer.body).toBe(200);
    expect(fewer.json()).toMatchObject({ state: 'held', headcount: 6, totalFen: 60_000 });
    expect(await sold()).toBe(before - 4);

    const later = shanghaiDate(12);
    const slots = await env.app.inject({
      method: 'POST',
      url: '/api/v1/capacity/slots',
      headers: env.as('admin'),
      payload: { siteId: 'park', date: later, slots: [{ start: '09:00', end: '10:00', cap: 8 }] },
    });
    const slotId = slots.json()[0].id;
    const tooMany = await api('PATCH', `/${created.id}`, {
      visitDate: later,
      slotId,
      lines: [{ typeId: TYPES.adult, quantity: 9 }],
    });
    expect(tooMany.statusCode).toBe(409);
    expect(tooMany.json().error.code).toBe('CAPACITY_EXHAUSTED');
    expect(await sold()).toBe(before - 4);

    const moved = await api('PATCH', `/${created.id}`, { visitDate: later, slotId });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ visitDate: later, slotId, headcount: 6 });
    expect(await sold()).toBe(before - 10);
    expect(await sold(later)).toBe(6);
    const modifications = moved.json().transitions.filter((t: { action: string }) => t.action === 'modify');
    expect(modifications).toHaveLength(2);
    expect(modifications[1]).toMatchObject({
      from: 'held',
      to: 'held',
      details: { before: { visitDate: date } },
    });

    const byAgency = await api(
      'PATCH',
      `/${created.id}`,
      { lines: [{ typeId: TYPES.adult, quantity: 1 }] },
      'agency',
    );
    expect(byAgency.statusCode).toBe(403);
  });

  it('cancels: places released; a picked-up order cannot be', async () => {
    const created = await create({ lines: [{ typeId: TYPES.adult, quantity: 5 }] });
    const before = await sold();
    const cancelled = await api('POST', `/${created.id}/cancel`, { reason: '行程取消' });
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json()).toMatchObject({ state: 'cancelled', feeFen: 0 });
    expect(await sold()).toBe(before - 5);
    const twice = await api('POST', `/${created.id}/cancel`, {});
    expect(twice.json().error).toMatchObject({
      code: 'ORDER_STATE_INVALID',
      details: { from: 'cancelled', action: 'cancel' },
    });
    expect(await auditActions(created.id)).toEqual(['group_order.create', 'group_order.cancel']);
  });

  it('a lapsed hold cannot be confirmed, and the expiry sweep releases it', async () => {
    const created = await create({ lines: [{ typeId: TYPES.adult, quantity: 7 }] });
    const before = await sold();
    const saved = env.clock;
    env.clock = created.holdExpiresAt;
    try {
      const late = await api('POST', `/${created.id}/confirm`);
      expect(late.statusCode).toBe(409);
      expect(late.json().error.code).toBe('ORDER_HOLD_EXPIRED');
      // Every hold that lapsed by now goes, this one and those the other tests left held.
      const held = (await api('GET', '/?state=held&limit=500')).json().orders as {
        id: string;
        headcount: number;
        holdExpiresAt: number;
        visitDate: string;
      }[];
      const lapsed = held.filter((o) => o.holdExpiresAt <= env.clock);
      expect(lapsed.map((o) => o.id)).toContain(created.id);
      expect(await env.container.services.groupOrders.expireLapsed()).toBe(lapsed.length);
      const view = (await api('GET', `/${created.id}`)).json();
      expect(view.state).toBe('expired');
      expect(view.transitions.at(-1)).toMatchObject({
        action: 'expire',
        from: 'held',
        to: 'expired',
        actor: { username: 'system' },
      });
      const onDate = lapsed.filter((o) => o.visitDate === date);
      expect(await sold()).toBe(before - onDate.reduce((sum, o) => sum + o.headcount, 0));
      expect(await env.container.services.groupOrders.expireLapsed()).toBe(0);
      expect(await auditActions(created.id)).toEqual(['group_order.create', 'group_order.expire']);
    } finally {
      env.clock = saved;
    }
  });

  it('closes after the visit: partial redemption, unused persons refunded and withdrawn', async () => {
    const created = await create({ lines: [{ typeId: TYPES.adult, quantity: 3 }] });
    await api('POST', `/${created.id}/confirm`);
    const picked = (
      await api('POST', `/${created.id}/pick-up`, {
        windowId: 'W01',
        issue: 'individual',
        payments: [{ method: 'cash', amountFen: 30_000 }],
      })
    ).json();
    const early = await api('POST', `/${created.id}/close`, {});
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('ORDER_VISIT_NOT_OVER');

    const used = picked.tickets[0].ticketId;
    await transaction(env.test.database.db, (trx) =>
      env.container.services.tickets.change(trx, used, 'use', { status: 'used', entriesUsed: 1 }),
    );
    const saved = env.clock;
    env.clock = shanghaiMidnight(shanghaiDate(11));
    try {
      const closed = await api('POST', `/${created.id}/close`, { refundMethod: 'cash' });
      expect(closed.statusCode, closed.body).toBe(200);
      const view = closed.json();
      expect(view).toMatchObject({ state: 'closed', refundedFen: 20_000 });
      expect(view.payments.at(-1)).toMatchObject({ kind: 'refund', method: 'cash', amountFen: 20_000 });
      expect(view.tickets.map((t: { status: string }) => t.status).sort()).toEqual([
        'refunded',
        'refunded',
        'used',
      ]);
      expect(view.transitions.at(-1)).toMatchObject({
        action: 'close',
        details: { usedPersons: 1, unusedPersons: 2 },
      });
    } finally {
      env.clock = saved;
    }
  });

  it('shows a group code’s persons redeemed per line and closes with exactly the unused persons refunded', async () => {
    const created = await create({ lines: [{ typeId: TYPES.adult, quantity: 30 }] });
    await api('POST', `/${created.id}/confirm`);
    const picked = (
      await api('POST', `/${created.id}/pick-up`, {
        windowId: 'W01',
        issue: 'group',
        payments: [{ method: 'cash', amountFen: 300_000 }],
      })
    ).json();
    expect(picked.lines).toMatchObject([{ lineNo: 1, redemption: { persons: 30, redeemed: 0, left: 30 } }]);
    const [code] = picked.tickets;
    expect(code).toMatchObject({ persons: 30, entriesTotal: 30, entriesUsed: 0 });
    // The gates counted 25 of the group through (the passage hook raises entriesUsed by each headcount).
    await transaction(env.test.database.db, (trx) =>
      env.container.services.tickets.change(trx, code.ticketId, 'use', { entriesUsed: 25 }),
    );
    const seen = (await api('GET', `/${created.id}`)).json();
    expect(seen.lines).toMatchObject([{ redemption: { persons: 30, redeemed: 25, left: 5 } }]);
    const saved = env.clock;
    env.clock = shanghaiMidnight(shanghaiDate(11));
    try {
      const closed = await api('POST', `/${created.id}/close`, { refundMethod: 'cash' });
      expect(closed.statusCode, closed.body).toBe(200);
      const view = closed.json();
      // 5 persons × 10,000 fen at the full refund policy.
      expect(view).toMatchObject({ state: 'closed', refundedFen: 50_000 });
      expect(view.tickets).toMatchObject([{ ticketId: code.ticketId, status: 'used', entriesUsed: 25 }]);
      expect(view.lines).toMatchObject([{ redemption: { persons: 30, redeemed: 25, left: 0 } }]);
      expect(view.transitions.at(-1)).toMatchObject({
        action: 'close',
        details: {
          usedPersons: 25,
          unusedPersons: 5,
          refundFen: 50_000,
          withdrawnTicketIds: [code.ticketId],
        },
      });
    } finally {
      env.clock = saved;
    }
  });

  it('lists orders; an operator who may only place orders sees their own', async () => {
    const mine = await api('POST', '/', order({ lines: [{ typeId: TYPES.adult, quantity: 1 }] }), 'agency');
    expect(mine.statusCode, mine.body).toBe(201);
    const list = (await api('GET', '/?state=held&limit=500', undefined, 'agency')).json();
    expect(list.orders.map((o: { id: string }) => o.id)).toEqual([mine.json().id]);
    const all = (await api('GET', '/?limit=500')).json();
    expect(all.total).toBeGreaterThan(1);
    // Every state counted under the other filters: the state filter narrows the rows, never the counts.
    const tally: Record<string, number> = {};
    for (const o of all.orders as { state: string }[]) tally[o.state] = (tally[o.state] ?? 0) + 1;
    expect(Object.keys(all.counts).sort()).toEqual(
      ['cancelled', 'closed', 'confirmed', 'expired', 'held', 'picked_up'].sort(),
    );
    for (const [state, n] of Object.entries(all.counts)) expect(n).toBe(tally[state] ?? 0);
    const heldOnly = (await api('GET', `/?state=held&visitDate=${date}&limit=1`)).json();
    expect(heldOnly.orders.length).toBe(1);
    const ofDay = (await api('GET', `/?visitDate=${date}&limit=500`)).json();
    expect(heldOnly.counts).toEqual(ofDay.counts);
    expect(heldOnly.total).toBe(ofDay.counts.held);
    const someoneElses = all.orders.find(
      (o: { createdBy: { username: string } }) => o.createdBy.username === 'test_admin',
    );
    expect((await api('GET', `/${someoneElses.id}`, undefined, 'agency')).statusCode).toBe(404);
    expect((await api('POST', `/${someoneElses.id}/cancel`, {}, 'agency')).statusCode).toBe(404);
    // The window picks orders up (付款取单): a cashier sees the board; gate staff do not.
    expect((await api('GET', '/', undefined, 'cashier')).statusCode).toBe(200);
    expect((await api('GET', '/', undefined, 'gate_staff')).statusCode).toBe(403);
  });
});
