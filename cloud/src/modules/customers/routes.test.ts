import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../db/testing.js';
import { type AuthTestApp, createAuthTestApp } from '../../platform/auth/testing.js';
import { residentIdCheckCharacter } from '../../platform/identity/resident-id.js';
import { seedVenue, TYPES } from '../tickets/testing.js';

const DAY_MS = 86_400_000;
// The venue is in Asia/Shanghai (UTC+8, no daylight saving): its date, not the UTC one, decides what sells today.
const visitDate = (daysAhead: number) =>
  new Date(Date.now() + 8 * 3_600_000 + daysAhead * DAY_MS).toISOString().slice(0, 10);
const withCheck = (first17: string) => first17 + residentIdCheckCharacter(first17);
const ID_A = withCheck('11010119900307451');
const ID_B = withCheck('31010119851212002');

let keySeq = 0;
const newKey = () => `cu-${process.pid}-${Date.now()}-${++keySeq}`;

describe.each(databaseBackends())('customers on $name', (backend) => {
  let env: AuthTestApp;

  const api = (
    method: 'GET' | 'POST' | 'PATCH',
    url: string,
    payload?: object,
    role: 'admin' | 'cashier' | 'gate_staff' = 'admin',
  ) => env.app.inject({ method, url, headers: env.as(role), ...(payload && { payload }) });

  beforeAll(async () => {
    env = await createAuthTestApp(backend, { CREDENTIAL_SECRET: 'test-secret-test-secret-test-secret!' });
    await seedVenue(env.test.database.db);
  });
  afterAll(() => env.dispose());

  it('registers a customer with the ID number stored as tickets store holders’: masked and hashed, never plain', async () => {
    const created = await api('POST', '/api/v1/customers', {
      siteId: 'park',
      kind: 'member',
      name: '张三',
      phone: '+86 139-0000-0001',
      idNumber: ID_A.toLowerCase(),
      tags: ['vip', 'vip', '年卡'],
    });
    expect(created.statusCode, created.body).toBe(201);
    const customer = created.json();
    expect(customer).toMatchObject({
      siteId: 'park',
      kind: 'member',
      name: '张三',
      phone: '13900000001',
      idMasked: `${ID_A.slice(0, 4)}**********${ID_A.slice(14)}`,
      tags: ['vip', '年卡'],
      cards: [],
    });
    const row = await env.test.database.db
      .selectFrom('customers')
      .selectAll()
      .where('id', '=', customer.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(ID_A);
    expect(row.id_hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const audit = await env.test.database.db
      .selectFrom('audit_log')
      .select('after_json')
      .where('action', '=', 'customer.create')
      .where('entity_id', '=', customer.id)
      .executeTakeFirstOrThrow();
    expect(audit.after_json).not.toContain(ID_A);
    expect(audit.after_json).not.toContain(row.id_hash!);
  });

  it('refuses a second customer of the site with the same phone or ID number, and a malformed ID', async () => {
    const first = await api('POST', '/api/v1/customers', {
      siteId: 'park',
      name: '李四',
      phone: '13900000002',
      idNumber: ID_B,
    });
    expect(first.statusCode).toBe(201);
    const samePhone = await api('POST', '/api/v1/customers', {
      siteId: 'park',
      name: '王五',
      phone: '139 0000 0002',
    });
    expect(samePhone.statusCode).toBe(409);
    expect(samePhone.json().error.code).toBe('CUSTOMER_DUPLICATE');
    const sameId = await api('POST', '/api/v1/customers', { siteId: 'park', name: '王五', idNumber: ID_B });
    expect(sameId.json().error.code).toBe('CUSTOMER_DUPLICATE');
    const badId = await api('POST', '/api/v1/customers', {
      siteId: 'park',
      name: '王五',
      idNumber: '110101199003074519',
    });
    expect(badId.statusCode).toBe(400);
    // Changing another customer onto that phone is refused too; changing one's own fields is not.
    const other = await api('POST', '/api/v1/customers', {
      siteId: 'park',
      name: '赵六',
      phone: '13900000003',
    });
    const clash = await api('PATCH', `/api/v1/customers/${other.json().id}`, { phone: '13900000002' });
    expect(clash.json().error.code).toBe('CUSTOMER_DUPLICATE');
    const renamed = await api('PATCH', `/api/v1/customers/${first.json().id}`, {
      name: '李四四',
      phone: '13900000002',
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json().name).toBe('李四四');
    // Parallel registrations of one phone: exactly one.
    const racing = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        api('POST', '/api/v1/customers', { siteId: 'park', name: `并发${i}`, phone: '13900000099' }),
      ),
    );
    expect(racing.filter((r) => r.statusCode === 201)).toHaveLength(1);
    expect(new Set(racing.filter((r) => r.statusCode !== 201).map((r) => r.json().error.code))).toEqual(
      new Set(['CUSTOMER_DUPLICATE']),
    );
  });

  it('finds customers by phone, ID number, member card, name prefix and tag, paged; a cashier may search', async () => {
    const made = await api('POST', '/api/v1/customers', {
      siteId: 'park',
      name: '欧阳娜娜',
      phone: '13900000010',
      tags: ['学生'],
    });
    const id = made.json().id;
    const card = await api('POST', `/api/v1/customers/${id}/cards`, { cardUid: '04A1B2C3D4E5F6' });
    expect(card.statusCode, card.body).toBe(200);
    const search = (query: string) => api('GET', `/api/v1/customers?${query}`, undefined, 'cashier');
    const ids = async (query: string) => {
      const response = await search(query);
      expect(response.statusCode, response.body).toBe(200);
      return response.json().customers.map((c: { id: string }) => c.id);
    };
    expect(await ids('phone=139-0000-0010')).toEqual([id]);
    expect(await ids('cardUid=04:a1:b2:c3:d4:e5:f6')).toEqual([id]);
    expect(await ids(`name=${encodeURIComponent('欧阳')}`)).toEqual([id]);
    expect(await ids(`tag=${encodeURIComponent('学生')}`)).toEqual([id]);
    expect(await ids(`name=${encodeURIComponent('%')}`)).toEqual([]);
    expect(await ids(`idNumber=${ID_A}`)).toHaveLength(1);
    expect((await search('cardUid=zz')).statusCode).toBe(400);
    const page = await search('limit=2&offset=1');
    expect(page.json().customers).toHaveLength(2);
    expect(page.json().total).toBeGreaterThanOrEqual(5);
    // The gate staff may not.
    expect((await api('GET', '/api/v1/customers', undefined, 'gate_staff')).statusCode).toBe(403);
  });

  it('a card UID is active on one customer at a time; block or replace frees it', async () => {
    const a = (
      await api('POST', '/api/v1/customers', { siteId: 'park', name: '甲', phone: '13900000020' })
    ).json();
    const b = (
      await api('POST', '/api/v1/customers', { siteId: 'park', name: '乙', phone: '13900000021' })
    ).json();
    const bound = await api('POST', `/api/v1/customers/${a.id}/cards`, { cardUid: 'A1B2C3D4' });
    expect(bound.statusCode).toBe(200);
    const taken = await api('POST', `/api/v1/customers/${b.id}/cards`, { cardUid: 'a1b2c3d4' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe('CUSTOMER_CARD_IN_USE');
    // Replacing: the old card ends as replaced, the new one is active, in one change.
    const oldCard = bound.json().cards[0].id;
    const replaced = await api('POST', `/api/v1/customers/${a.id}/cards`, {
      cardUid: 'B1B2C3D4',
      replaces: oldCard,
    });
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(
      replaced
        .json()
        .cards.map((c: { cardUid: string; status: string }) => [c.cardUid, c.status])
        .sort(),
    ).toEqual([
      ['A1B2C3D4', 'replaced'],
      ['B1B2C3D4', 'active'],
    ]);
    expect((await api('POST', `/api/v1/customers/${b.id}/cards`, { cardUid: 'A1B2C3D4' })).statusCode).toBe(
      200,
    );
    const newCard = replaced.json().cards.find((c: { status: string }) => c.status === 'active').id;
    const blocked = await api('POST', `/api/v1/customers/${a.id}/cards/${newCard}/block`);
    expect(blocked.statusCode).toBe(200);
    const again = await api('POST', `/api/v1/customers/${a.id}/cards/${newCard}/block`);
    expect(again.json().error.code).toBe('CUSTOMER_CARD_ENDED');
    expect((await api('GET', '/api/v1/customers?cardUid=B1B2C3D4')).json().customers).toEqual([]);
    // Parallel bindings of one UID: exactly one.
    const many = await Promise.all(
      [a.id, b.id, a.id, b.id].map((id) =>
        api('POST', `/api/v1/customers/${id}/cards`, { cardUid: 'C1C2C3C4' }),
      ),
    );
    expect(many.filter((r) => r.statusCode === 200)).toHaveLength(1);
  });

  it('history: purchases newest first, and a summary of spending less refunds, tickets, visits and the last visit', async () => {
    const customer = (
      await api('POST', '/api/v1/customers', { siteId: 'park', name: '游客', phone: '13900000030' })
    ).json();
    const sell = (quantity: number) =>
      env.app.inject({
        method: 'POST',
        url: '/api/v1/sales',
        headers: { ...env.as('cashier'), 'idempotency-key': newKey() },
        payload: {
          siteId: 'park',
          windowId: 'W01',
          customerId: customer.id,
          lines: [{ typeId: TYPES.adult, quantity, visitDate: visitDate(0) }],
          payments: [{ method: 'cash', amountFen: quantity * 10_000 }],
        },
      });
    const first = await sell(2);
    expect(first.statusCode, first.body).toBe(201);
    const second = await sell(1);
    const refund = await env.app.inject({
      method: 'POST',
      url: '/api/v1/refunds',
      headers: { ...env.as('cashier'), 'idempotency-key': newKey() },
      payload: { saleId: first.json().id, ticketIds: [first.json().tickets[1].ticketId] },
    });
    expect(refund.statusCode, refund.body).toBe(201);
    // Two entries by the first ticket, one exit; 2026-03-01 10:15 in Shanghai is 02:15 UTC.
    const at = Date.UTC(2026, 2, 1, 2, 15);
    const ticketId = first.json().tickets[0].ticketId;
    for (const [n, direction, when] of [
      [1, 'in', at - DAY_MS],
      [2, 'out', at - DAY_MS + 3_600_000],
      [3, 'in', at],
    ] as const)
      await env.test.database.db
        .insertInto('passage_events')
        .values({
          event_id: `cu-ev-${n}`,
          kind: 'passage',
          site_id: 'park',
          zone_id: 'z1',
          gate_id: 'G1',
          ticket_id: ticketId,
          credential_kind: 'qr',
          direction,
          persons: 1,
          unconfirmed: 0,
          overdraft: 0,
          at: when,
          received_at: when,
          decided_offline: 0,
          entries_left: null,
          correlation_id: null,
          reason: null,
          code_hash: null,
        })
        .execute();
    const history = await api('GET', `/api/v1/customers/${customer.id}/history`, undefined, 'cashier');
    expect(history.statusCode, history.body).toBe(200);
    expect(history.json().summary).toEqual({
      sales: 2,
      spentFen: 30_000 - 10_000,
      refundedFen: 10_000,
      tickets: 2,
      visits: 2,
      lastVisitAt: at,
      lastVisit: '2026-03-01 10:15',
    });
    expect(history.json().sales.map((s: { id: string }) => s.id)).toEqual([
      second.json().id,
      first.json().id,
    ]);
    // The entries themselves, newest first (the exit is not a visit).
    expect(history.json().visits).toEqual([
      { at, time: '2026-03-01 10:15', siteId: 'park', gateId: 'G1', ticketId, persons: 1 },
      {
        at: at - DAY_MS,
        time: '2026-02-28 10:15',
        siteId: 'park',
        gateId: 'G1',
        ticketId,
        persons: 1,
      },
    ]);
    const paged = await api('GET', `/api/v1/customers/${customer.id}/history?limit=1&offset=1`);
    expect(paged.json().sales.map((s: { id: string }) => s.id)).toEqual([first.json().id]);
    expect((await api('GET', '/api/v1/customers/nobody/history')).statusCode).toBe(404);
  });
});
