import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../db/testing.js';
import { TYPES } from '../tickets/testing.js';
import { createGroupTestEnv, type GroupTestEnv, shanghaiDate } from './testing.js';

/**
 * Window sales and group orders take the last places of one slot at the same time: every claim is the capacity
 * service's conditional UPDATE inside the claimant's transaction, so however they interleave the slot is never
 * oversold — with every claim two persons and ten places, exactly five win, whichever kind they are.
 */
describe.each(databaseBackends())('window sales and group orders racing for one slot on $name', (backend) => {
  let env: GroupTestEnv;
  const date = shanghaiDate(15);
  let slotId: string;

  beforeAll(async () => {
    env = await createGroupTestEnv(backend);
    const slots = await env.app.inject({
      method: 'POST',
      url: '/api/v1/capacity/slots',
      headers: env.as('admin'),
      payload: { siteId: 'park', date, slots: [{ start: '09:00', end: '10:00', cap: 10 }] },
    });
    expect(slots.statusCode).toBe(201);
    slotId = slots.json()[0].id;
  });
  afterAll(() => env.dispose());

  it('never oversells: exactly five of twelve two-person claims win', async () => {
    const sale = (n: number) =>
      env.app.inject({
        method: 'POST',
        url: '/api/v1/sales',
        headers: { ...env.as('cashier'), 'idempotency-key': `race-sale-${n}` },
        payload: {
          siteId: 'park',
          windowId: 'W01',
          lines: [{ typeId: TYPES.adult, quantity: 2, visitDate: date, slotId }],
          payments: [{ method: 'cash', amountFen: 20_000 }],
        },
      });
    const order = (n: number) =>
      env.app.inject({
        method: 'POST',
        url: '/api/v1/group-orders',
        headers: env.as('admin'),
        payload: {
          siteId: 'park',
          reference: `race-order-${n}`,
          visitDate: date,
          slotId,
          lines: [{ typeId: TYPES.adult, quantity: 2 }],
        },
      });
    const attempts = Array.from({ length: 12 }, (_, n) => (n % 2 === 0 ? sale(n) : order(n)));
    const answers = await Promise.all(attempts);
    const won = answers.filter((a) => a.statusCode === 201);
    const lost = answers.filter((a) => a.statusCode !== 201);
    expect(won).toHaveLength(5);
    expect(lost.map((a) => a.json().error.code)).toEqual(Array(7).fill('CAPACITY_EXHAUSTED'));
    const slot = await env.app.inject({
      method: 'GET',
      url: `/api/v1/capacity/slots/${slotId}`,
      headers: env.as('admin'),
    });
    expect(slot.json()).toMatchObject({ cap: 10, sold: 10, remaining: 0 });
    const db = env.test.database.db;
    const soldTickets = await db
      .selectFrom('tickets')
      .select('persons')
      .where('slot_id', '=', slotId)
      .execute();
    const held = await db
      .selectFrom('group_orders')
      .select('headcount')
      .where('slot_id', '=', slotId)
      .execute();
    const persons = [...soldTickets, ...held.map((h) => ({ persons: h.headcount }))].reduce(
      (sum, row) => sum + row.persons,
      0,
    );
    expect(persons).toBe(10);
  });
});
