import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { Database } from '../../db/schema.js';
import { databaseBackends } from '../../db/testing.js';
import { isoDateOfDay } from '../capacity/local-time.js';
import {
  createGroupTestEnv,
  type GroupTestEnv,
  HOUR_MS,
  shanghaiDate,
  shanghaiMidnight,
} from '../group-orders/testing.js';
import { TYPES } from '../tickets/testing.js';
import { dayOf, itemRollups, journalGroups, moneyRollups, ownerGroups } from './testing/recompute.js';
import { ParkWorkload, prng } from './testing/workload.js';

/**
 * The takings journal against the owners' own rows: a random walk of a park over several days (workload.ts) —
 * window sales, refunds, supplements and group orders of every payment mode through every state — and then
 * (a) the day rollups equal the journal summed again, (b) the journal equals what the sales, refunds, supplements,
 * group orders, agency ledger and tickets say happened, movement by movement and day by day, and (c) each day's money
 * by source equals the owners' own totals, and each group order's takings equal what it was paid net and the persons
 * it issued less those withdrawn at closing. TAKINGS_SEED=<n> replays a run; a failing run prints its seed.
 */
const OPERATIONS = 200;

describe.each(databaseBackends())('takings reconcile with the owners on $name', (backend) => {
  let env: GroupTestEnv;
  const seed = Number(process.env.TAKINGS_SEED ?? Math.floor(Math.random() * 2 ** 31));

  beforeAll(async () => {
    env = await createGroupTestEnv(backend, { GROUP_HOLD_MINUTES: '2880' });
    env.clock = shanghaiMidnight(shanghaiDate(0)) + 8 * HOUR_MS;
  });
  afterAll(() => env.dispose());

  it(`a random walk of ${OPERATIONS} operations leaves journal, rollups and owners in agreement`, async () => {
    onTestFailed(() => {
      console.error(`takings reconciliation failed with TAKINGS_SEED=${seed}`);
    });
    const walk = new ParkWorkload(env, prng(seed));
    await walk.setUp();
    for (let i = 0; i < OPERATIONS; i++) await walk.step();
    await walk.finish();
    const db = env.test.database.db;

    // The walk did something of everything (else it would prove little).
    for (const what of ['sale', 'refund', 'order', 'confirm', 'pick_up', 'close'])
      expect(walk.done.get(what) ?? 0, `${what} (seed ${seed})`).toBeGreaterThan(0);
    expect((walk.done.get('upgrade') ?? 0) + (walk.done.get('fee') ?? 0)).toBeGreaterThan(0);
    expect(dayOf(env.clock) - dayOf(shanghaiMidnight(shanghaiDate(0)))).toBeGreaterThanOrEqual(4);

    // (a) The rollups are the journal summed.
    const money = await moneyRollups(db);
    expect(money.stored).toEqual(money.recomputed);
    const items = await itemRollups(db);
    expect(items.stored).toEqual(items.recomputed);
    await expectHeadersAreTheirLines(db);

    // (b) The journal is what the owners' rows say, movement by movement.
    const journal = await journalGroups(db);
    const owners = await ownerGroups(db, env.config.groupOrders.unusedRefundPermille);
    expect(journal.length).toBeGreaterThan(OPERATIONS / 3);
    expect(journal).toEqual(owners);

    // (c) Day by day and source by source, the rollups equal the owners' own totals.
    expect(await rollupDays(db)).toEqual(await ownerDays(db));
    await expectOrdersNetTheirPayments(db);
  }, 120_000);
});

async function expectHeadersAreTheirLines(db: Kysely<Database>): Promise<void> {
  const headers = await db.selectFrom('takings').select(['id', 'amount_fen', 'tickets', 'persons']).execute();
  const paid = new Map<number, number>();
  for (const p of await db.selectFrom('taking_payments').selectAll().execute())
    paid.set(Number(p.taking_id), (paid.get(Number(p.taking_id)) ?? 0) + Number(p.amount_fen));
  const counted = new Map<number, [number, number]>();
  for (const i of await db.selectFrom('taking_items').selectAll().execute()) {
    const [tickets, persons] = counted.get(Number(i.taking_id)) ?? [0, 0];
    counted.set(Number(i.taking_id), [tickets + Number(i.tickets), persons + Number(i.persons)]);
  }
  for (const h of headers) {
    expect(Number(h.amount_fen)).toBe(paid.get(Number(h.id)) ?? 0);
    expect([Number(h.tickets), Number(h.persons)]).toEqual(counted.get(Number(h.id)) ?? [0, 0]);
  }
}

type DayTotals = Record<string, { moneyFen: number; tickets: number; persons: number }>;

function add(days: DayTotals, day: number, source: string, moneyFen: number, tickets = 0, persons = 0) {
  const key = `${isoDateOfDay(day)} ${source}`;
  const sum = days[key] ?? { moneyFen: 0, tickets: 0, persons: 0 };
  days[key] = {
    moneyFen: sum.moneyFen + moneyFen,
    tickets: sum.tickets + tickets,
    persons: sum.persons + persons,
  };
}

function nonZero(days: DayTotals): DayTotals {
  return Object.fromEntries(
    Object.entries(days)
      .filter(([, d]) => d.moneyFen !== 0 || d.tickets !== 0 || d.persons !== 0)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}

/** Per day and source from the rollups alone. */
async function rollupDays(db: Kysely<Database>): Promise<DayTotals> {
  const days: DayTotals = {};
  for (const r of await db.selectFrom('takings_day_money').selectAll().execute())
    add(days, Number(r.day), r.source, Number(r.amount_fen));
  for (const r of await db.selectFrom('takings_day_items').selectAll().execute())
    if (r.source !== 'supplement' && r.source !== 'order')
      add(days, Number(r.day), r.source, 0, Number(r.tickets), Number(r.persons));
  return nonZero(days);
}

/**
 * Per day and source from the owners' headers: a sale's total and its tickets and persons; a refund's amount (out)
 * and tickets; a supplement's amount; a group order's ledger movements and window payments net of change.
 */
async function ownerDays(db: Kysely<Database>): Promise<DayTotals> {
  const days: DayTotals = {};
  for (const s of await db.selectFrom('sales').selectAll().execute())
    add(
      days,
      dayOf(Number(s.created_at)),
      'sale',
      Number(s.total_fen),
      Number(s.ticket_count),
      Number(s.persons),
    );
  const refunded = new Map<string, { tickets: number; persons: number }>();
  for (const t of await db
    .selectFrom('refund_tickets')
    .innerJoin('tickets', 'tickets.id', 'refund_tickets.ticket_id')
    .select(['refund_id', 'tickets.persons'])
    .execute()) {
    const sum = refunded.get(t.refund_id) ?? { tickets: 0, persons: 0 };
    refunded.set(t.refund_id, { tickets: sum.tickets + 1, persons: sum.persons + Number(t.persons) });
  }
  for (const r of await db.selectFrom('refunds').selectAll().execute()) {
    const back = refunded.get(r.id)!;
    add(days, dayOf(Number(r.created_at)), 'refund', -Number(r.amount_fen), -back.tickets, -back.persons);
  }
  for (const s of await db.selectFrom('supplements').selectAll().execute())
    add(days, dayOf(Number(s.created_at)), 'supplement', Number(s.amount_fen));
  for (const l of await db
    .selectFrom('agency_ledger')
    .selectAll()
    .where('order_id', 'is not', null)
    .execute())
    add(days, dayOf(Number(l.at)), 'order', -Number(l.amount_fen));
  for (const p of await db.selectFrom('group_order_payments').selectAll().execute())
    add(
      days,
      dayOf(Number(p.at)),
      'order',
      p.kind === 'payment' ? Number(p.amount_fen) : -Number(p.amount_fen),
    );
  const pickUps = await db
    .selectFrom('group_order_transitions')
    .innerJoin('group_orders', 'group_orders.id', 'group_order_transitions.order_id')
    .select(['group_order_transitions.at', 'group_orders.change_fen'])
    .where('action', '=', 'pick_up')
    .execute();
  for (const p of pickUps) add(days, dayOf(Number(p.at)), 'order', -Number(p.change_fen));
  return nonZero(days);
}

/**
 * The recognition rule, order by order: its takings' money is what it was paid net (a cancelled order keeps only
 * its fee), and its persons are those issued less the unused ones closing withdrew.
 */
async function expectOrdersNetTheirPayments(db: Kysely<Database>): Promise<void> {
  const orders = await db.selectFrom('group_orders').selectAll().execute();
  const takings = await db.selectFrom('takings').selectAll().where('source', '=', 'order').execute();
  const issued = await db.selectFrom('group_order_tickets').selectAll().execute();
  const closes = await db
    .selectFrom('group_order_transitions')
    .select(['order_id', 'details_json'])
    .where('action', '=', 'close')
    .execute();
  for (const order of orders) {
    const own = takings.filter((t) => t.source_id === order.id);
    const money = own.reduce((sum, t) => sum + Number(t.amount_fen), 0);
    const persons = own.reduce((sum, t) => sum + Number(t.persons), 0);
    const paidNet =
      order.state === 'cancelled'
        ? Number(order.paid_fen)
        : Number(order.paid_fen) - Number(order.refunded_fen);
    expect(money, `order ${order.id} (${order.state}) money`).toBe(paidNet);
    const unused = closes.find((c) => c.order_id === order.id);
    const withdrawn = unused
      ? (JSON.parse(unused.details_json) as { unusedPersons: number }).unusedPersons
      : 0;
    const onTickets = issued
      .filter((t) => t.order_id === order.id)
      .reduce((sum, t) => sum + Number(t.persons), 0);
    expect(persons, `order ${order.id} (${order.state}) persons`).toBe(onTickets - withdrawn);
  }
}

/**
 * The business day is the site's (Asia/Shanghai): a sale a millisecond before midnight and one at midnight fall on
 * two days, and a refund the next day counts on the refund's day, leaving the sale's day as it was.
 */
describe.each(databaseBackends())('takings day boundaries on $name', (backend) => {
  let env: GroupTestEnv;
  beforeAll(async () => {
    env = await createGroupTestEnv(backend);
  });
  afterAll(() => env.dispose());

  const sell = async (visitDate: string, key: string) => {
    const response = await env.app.inject({
      method: 'POST',
      url: '/api/v1/sales',
      headers: { ...env.as('cashier'), 'idempotency-key': key },
      payload: {
        siteId: 'park',
        windowId: 'W01',
        lines: [{ typeId: TYPES.adult, quantity: 2, visitDate }],
        payments: [{ method: 'cash', amountFen: 20_000 }],
      },
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  };
  const dayMoney = async (day: number) =>
    (
      await env.test.database.db
        .selectFrom('takings_day_money')
        .select(['source', 'method', 'amount_fen'])
        .where('day', '=', day)
        .orderBy('source')
        .execute()
    ).map((r) => ({ source: r.source, method: r.method, amountFen: Number(r.amount_fen) }));
  const takingOf = (sourceId: string) =>
    env.test.database.db
      .selectFrom('takings')
      .selectAll()
      .where('source_id', '=', sourceId)
      .executeTakeFirstOrThrow();

  it('23:59:59.999 and 00:00:00.000 site time are two days; a refund the next day lands on its own day', async () => {
    const d1 = shanghaiDate(3);
    const d2 = shanghaiDate(4);
    const midnight = shanghaiMidnight(d2);
    env.clock = midnight - 1;
    const late = await sell(d2, 'boundary-late');
    env.clock = midnight;
    const early = await sell(d2, 'boundary-early');
    const day1 = dayOf(midnight - 1);
    expect(isoDateOfDay(day1)).toBe(d1);
    expect(Number((await takingOf(late.id)).day)).toBe(day1);
    expect(Number((await takingOf(early.id)).day)).toBe(day1 + 1);
    expect(await dayMoney(day1)).toEqual([{ source: 'sale', method: 'cash', amountFen: 20_000 }]);
    expect(await dayMoney(day1 + 1)).toEqual([{ source: 'sale', method: 'cash', amountFen: 20_000 }]);

    // The late sale's ticket is refunded at noon of the next day: the refund is that day's, the sale's day stays.
    env.clock = midnight + 12 * HOUR_MS;
    const refund = await env.app.inject({
      method: 'POST',
      url: '/api/v1/refunds',
      headers: { ...env.as('cashier'), 'idempotency-key': 'boundary-refund' },
      payload: { saleId: late.id, ticketIds: [late.tickets[0].ticketId] },
    });
    expect(refund.statusCode, refund.body).toBe(201);
    const refundTaking = await takingOf(refund.json().id);
    expect(Number(refundTaking.day)).toBe(day1 + 1);
    expect(Number(refundTaking.amount_fen)).toBe(-10_000);
    expect(await dayMoney(day1)).toEqual([{ source: 'sale', method: 'cash', amountFen: 20_000 }]);
    expect(await dayMoney(day1 + 1)).toEqual([
      { source: 'refund', method: 'cash', amountFen: -10_000 },
      { source: 'sale', method: 'cash', amountFen: 20_000 },
    ]);
  });
});
