/** Cards at the window: a sale line binds one IC card per ticket (sales/cards.ts), once per live ticket. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../db/testing.js';
import { type AuthTestApp, createAuthTestApp } from '../../platform/auth/testing.js';
import { seedVenue, TYPES } from '../tickets/testing.js';

const date = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
let keySeq = 0;
const newKey = () => `card-${process.pid}-${Date.now()}-${++keySeq}`;

describe.each(databaseBackends())('cards at the window on $name', (backend) => {
  let env: AuthTestApp;

  const sell = (line: Record<string, unknown>, amountFen = 50_000) =>
    env.app.inject({
      method: 'POST',
      url: '/api/v1/sales',
      headers: { ...env.as('cashier'), 'idempotency-key': newKey() },
      payload: {
        siteId: 'park',
        windowId: 'W01',
        lines: [{ typeId: TYPES.count, quantity: 1, visitDate: date, ...line }],
        payments: [{ method: 'cash', amountFen }],
      },
    });
  const ticketsWithCard = (uid: string) =>
    env.test.database.db.selectFrom('tickets').select(['id', 'status']).where('card_uid', '=', uid).execute();
  const counts = async () => {
    const db = env.test.database.db;
    const n = async (table: 'sales' | 'tickets' | 'audit_log') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return { sales: await n('sales'), tickets: await n('tickets'), audit: await n('audit_log') };
  };

  beforeAll(async () => {
    env = await createAuthTestApp(backend, { CREDENTIAL_SECRET: 'card-secret-card-secret-card-secret!' });
    await seedVenue(env.test.database.db);
  });
  afterAll(() => env.dispose());

  it('binds the normalised UID to the ticket it issues; a card on a live ticket is refused', async () => {
    const sold = await sell({ cardUids: ['04a22b1c5d8000'] });
    expect(sold.statusCode, sold.body).toBe(201);
    const [ticket] = sold.json().tickets;
    expect(ticket.cardUid).toBe('04A22B1C5D8000');
    expect(await ticketsWithCard('04A22B1C5D8000')).toEqual([{ id: ticket.ticketId, status: 'active' }]);
    const lookup = await env.app.inject({
      method: 'GET',
      url: '/api/v1/lookup?cardUid=04A22B1C5D8000',
      headers: env.as('cashier'),
    });
    expect(lookup.statusCode, lookup.body).toBe(200);
    expect(lookup.body).toContain(String(ticket.ticketId));
    const audit = await env.test.database.db
      .selectFrom('audit_log')
      .select('after_json')
      .where('entity_id', '=', sold.json().id)
      .executeTakeFirstOrThrow();
    expect(audit.after_json).toContain('04A22B1C5D8000');

    const before = await counts();
    const again = await sell({ cardUids: ['04 A2 2B 1C 5D 80 00'] });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('CARD_UID_IN_USE');
    // Where the card is: the ticket holding it, for the window to open.
    expect(again.json().error.details).toEqual({
      cardUid: '04A22B1C5D8000',
      inThisSale: false,
      ticketId: ticket.ticketId,
    });
    expect(await counts()).toEqual(before);
  });

  it('refuses cards on kinds that take none, a count that is not one per ticket, bad UIDs, a UID twice', async () => {
    const before = await counts();
    const single = await env.app.inject({
      method: 'POST',
      url: '/api/v1/sales',
      headers: { ...env.as('cashier'), 'idempotency-key': newKey() },
      payload: {
        siteId: 'park',
        windowId: 'W01',
        lines: [{ typeId: TYPES.adult, quantity: 1, visitDate: date, cardUids: ['11223344'] }],
        payments: [{ method: 'cash', amountFen: 10_000 }],
      },
    });
    expect(single.json().error.code).toBe('CARD_UID_NOT_ALLOWED');
    const count = await sell({ quantity: 2, cardUids: ['11223344'] }, 100_000);
    expect(count.json().error.code).toBe('CARD_UID_COUNT');
    const bad = await sell({ cardUids: ['00000000'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    const twice = await sell({ quantity: 2, cardUids: ['11223344', '11 22 33 44'] }, 100_000);
    expect(twice.json().error.code).toBe('CARD_UID_IN_USE');
    expect(twice.json().error.details).toEqual({ cardUid: '11223344', inThisSale: true });
    expect(await counts()).toEqual(before);
  });

  it('frees a card once its ticket is refunded', async () => {
    const sold = await sell({ cardUids: ['A1B2C3D4'] });
    expect(sold.statusCode, sold.body).toBe(201);
    const refund = await env.app.inject({
      method: 'POST',
      url: '/api/v1/refunds',
      headers: { ...env.as('cashier'), 'idempotency-key': newKey() },
      payload: { saleId: sold.json().id, ticketIds: [sold.json().tickets[0].ticketId] },
    });
    expect(refund.statusCode, refund.body).toBe(201);
    const rebound = await sell({ cardUids: ['a1b2c3d4'] });
    expect(rebound.statusCode, rebound.body).toBe(201);
    expect((await ticketsWithCard('A1B2C3D4')).map((t) => t.status).sort()).toEqual(['active', 'refunded']);
  });

  it('two parallel sales of one card: exactly one binds it', async () => {
    const uid = '04112233445566';
    const answers = await Promise.all(Array.from({ length: 8 }, () => sell({ cardUids: [uid] })));
    const codes = answers.map((a) => (a.statusCode === 201 ? 'ok' : a.json().error.code)).sort();
    expect(codes).toEqual([...Array(7).fill('CARD_UID_IN_USE'), 'ok']);
    expect(await ticketsWithCard(uid)).toHaveLength(1);
  });
});
