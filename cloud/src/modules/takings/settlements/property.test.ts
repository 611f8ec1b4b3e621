import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../../db/testing.js';
import { dayOfIsoDate, isoDateOfDay } from '../../capacity/local-time.js';
import type { Shift, ShiftReport } from '../shifts/schemas.js';
import {
  createShiftTestEnv,
  DAY_MS,
  HOUR_MS,
  idempotencyKey,
  type SaleAnswer,
  type ShiftTestEnv,
  shanghaiMidnight,
} from '../shifts/testing.js';
import type { DayReport, MonthReport } from './schemas.js';

/**
 * A property test of the whole chain: a seeded random sequence of shift events (opens, parallel opens, drops,
 * payouts, closes, parallel closes, handovers, approvals, adjustments), sales, refunds and supplements by several
 * cashiers at two windows over the last days of a month and the first of the next, with sales at 23:59:59.999 and
 * 00:00 site time, and days closed while the money still moves. Then every way of adding the money up must agree:
 * the shifts plus what was outside any shift, the day rollups, the closed days with what they carried in, the
 * months, and a recomputation from the sales', refunds' and supplements' own rows; each closed shift's expected
 * cash from its raw rows; each closed day's report byte for byte as it closed.
 *
 * SHIFT_PROPERTY_SEED replays another sequence.
 */
const SEED = Number(process.env.SHIFT_PROPERTY_SEED ?? 0x5eed_2031);
const STEPS = 140;
const DATES = ['2031-01-30', '2031-01-31', '2031-02-01'] as const;
const WINDOWS = ['W01', 'W02'] as const;

/** mulberry32: small, fast, and the same sequence on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface SoldTicket {
  readonly saleId: string;
  readonly ticketId: number;
  readonly visitDate: string;
  refunded: boolean;
}

describe.each(databaseBackends())('shifts, days and months agree on $name', (backend) => {
  let env: ShiftTestEnv;
  const cashiers: { id: string; token: string }[] = [];

  beforeAll(async () => {
    env = await createShiftTestEnv(backend, { SHIFT_VARIANCE_APPROVAL_FEN: '2000' });
    for (const name of ['prop_a', 'prop_b', 'prop_c']) cashiers.push(await env.addCashier(name));
  });
  afterAll(() => env?.dispose());

  it('random sales, refunds, supplements and shift events add up the same every way', async () => {
    const random = prng(SEED + (backend.name === 'postgres' ? 1 : 0));
    const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const db = env.test.database.db;
    const lastMidnight = shanghaiMidnight(DATES[DATES.length - 1]!) + DAY_MS;
    env.clock = shanghaiMidnight(DATES[0]) + 8 * HOUR_MS;

    const open = new Map<string, string>(); // `${cashier}/${window}` → shift id
    const pending = new Set<string>();
    const closedShifts = new Set<string>();
    const handovers = new Map<string, { to: number; window: string }>();
    const tickets: SoldTicket[] = [];
    const frozen = new Map<string, string>();
    const counts = {
      sales: 0,
      refunds: 0,
      supplements: 0,
      boundaries: 0,
      parallelOpens: 0,
      parallelCloses: 0,
    };

    const key = (c: number, w: string) => `${c}/${w}`;
    const today = () => env.today();
    const expectedOf = async (shiftId: string) =>
      (await env.ok<ShiftReport>('finance', 'GET', `/api/v1/shifts/${shiftId}/report`)).cash!.expectedFen;

    const sell = async (c: number, windowId: string): Promise<SaleAnswer> => {
      const quantity = int(1, 3);
      const due = quantity * 10_000;
      const how = int(0, 4);
      const payments =
        how === 0
          ? [{ method: 'cash', amountFen: due + int(0, 3) * 1_000 }]
          : how === 1
            ? [{ method: 'wechat', amountFen: due }]
            : how === 2
              ? [{ method: 'alipay', amountFen: due }]
              : how === 3
                ? [{ method: 'bank_card', amountFen: due }]
                : [
                    { method: 'bank_card', amountFen: due - 5_000 },
                    { method: 'cash', amountFen: 5_000 },
                  ];
      const sale = await env.sell(cashiers[c]!, { windowId, quantity, payments });
      counts.sales++;
      for (const t of sale.tickets)
        tickets.push({ saleId: sale.id, ticketId: t.ticketId, visitDate: today(), refunded: false });
      return sale;
    };

    const closeShift = async (c: number, windowId: string, handoverTo?: number) => {
      const shiftId = open.get(key(c, windowId))!;
      const expected = await expectedOf(shiftId);
      const counted = Math.max(0, expected + pick([0, 0, 0, 50, -50, 3_000, -3_000]));
      const body = {
        countedCashFen: counted,
        ...(random() < 0.5 && { recorded: { wechat: 0, alipay: 0 } }),
        ...(handoverTo !== undefined && { toCashierId: cashiers[handoverTo]!.id }),
      };
      const path = handoverTo === undefined ? 'close' : 'handover';
      const report = await env.ok<ShiftReport>(
        cashiers[c]!,
        'POST',
        `/api/v1/shifts/${shiftId}/${path}`,
        body,
      );
      open.delete(key(c, windowId));
      expect(report.shift.expectedCashFen).toBe(expected);
      expect(report.shift.varianceFen).toBe(counted - expected);
      if (report.shift.state === 'pending_approval') pending.add(shiftId);
      else closedShifts.add(shiftId);
      if (handoverTo !== undefined) handovers.set(shiftId, { to: handoverTo, window: windowId });
    };

    for (let step = 0; step < STEPS; step++) {
      const op = random();
      const c = int(0, cashiers.length - 1);
      const windowId = pick(WINDOWS);
      const shiftId = open.get(key(c, windowId));
      if (op < 0.1) {
        // Time passes, never past the last day.
        env.clock = Math.min(env.clock + int(5, 240) * 60_000, lastMidnight - HOUR_MS);
      } else if (op < 0.14) {
        // The day boundary in site time: 23:59:59.999 is the day, 00:00 the next.
        const midnight = shanghaiMidnight(today()) + DAY_MS;
        if (midnight >= lastMidnight) continue;
        env.clock = midnight - 1;
        const before = await sell(c, windowId);
        env.clock = midnight;
        const after = await sell(c, windowId);
        const rows = await db
          .selectFrom('takings')
          .select(['source_id', 'day'])
          .where('source_id', 'in', [before.id, after.id])
          .execute();
        const dayOf = new Map(rows.map((r) => [r.source_id, r.day]));
        expect(isoDateOfDay(dayOf.get(after.id)!)).toBe(today());
        expect(dayOf.get(before.id)).toBe(dayOf.get(after.id)! - 1);
        counts.boundaries++;
      } else if (op < 0.24) {
        const handed = [...handovers].find(([, h]) => h.to === c && h.window === windowId);
        if (shiftId) {
          const refused = await env.call(cashiers[c]!, 'POST', '/api/v1/shifts', {
            siteId: 'park',
            windowId,
            floatFen: 0,
          });
          expect(refused.json().error.code).toBe('SHIFT_ALREADY_OPEN');
        } else if (handed) {
          const opened = await env.ok<Shift>(
            cashiers[c]!,
            'POST',
            '/api/v1/shifts',
            { siteId: 'park', windowId, handoverFrom: handed[0] },
            201,
          );
          handovers.delete(handed[0]);
          open.set(key(c, windowId), opened.id);
        } else {
          // Two terminals open the same till at once: exactly one wins.
          const body = { siteId: 'park', windowId, floatFen: int(0, 500) * 100 };
          const answers = await Promise.all([
            env.call(cashiers[c]!, 'POST', '/api/v1/shifts', body),
            env.call(cashiers[c]!, 'POST', '/api/v1/shifts', body),
          ]);
          expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409]);
          open.set(key(c, windowId), answers.find((a) => a.statusCode === 201)!.json().id);
          counts.parallelOpens++;
        }
      } else if (op < 0.52) {
        await sell(c, windowId);
      } else if (op < 0.6) {
        const refundable = tickets.filter((t) => !t.refunded && t.visitDate === today());
        if (refundable.length === 0) continue;
        const ticket = pick(refundable);
        const named = pick([...WINDOWS, undefined]);
        await env.refund(cashiers[c]!, ticket.saleId, [ticket.ticketId], named);
        ticket.refunded = true;
        counts.refunds++;
      } else if (op < 0.66) {
        const chargeable = tickets.filter((t) => !t.refunded && t.visitDate === today());
        if (chargeable.length === 0) continue;
        const amountFen = int(1, 20) * 100;
        const answer = await env.call(
          cashiers[c]!,
          'POST',
          '/api/v1/supplements',
          {
            kind: 'fee',
            ticketId: pick(chargeable).ticketId,
            windowId,
            reason: 'other',
            amountFen,
            payments: [{ method: pick(['cash', 'alipay']), amountFen }],
          },
          idempotencyKey(),
        );
        expect(answer.statusCode, answer.body).toBe(201);
        counts.supplements++;
      } else if (op < 0.72) {
        if (!shiftId) continue;
        const kind = pick(['drops', 'payouts']);
        await env.ok(
          cashiers[c]!,
          'POST',
          `/api/v1/shifts/${shiftId}/${kind}`,
          {
            amountFen: int(1, 50) * 100,
            reason: kind,
          },
          201,
        );
      } else if (op < 0.8) {
        if (!shiftId) continue;
        if (random() < 0.3) {
          // Two closes of one shift at once: exactly one wins.
          const expected = await expectedOf(shiftId);
          const answers = await Promise.all([
            env.call(cashiers[c]!, 'POST', `/api/v1/shifts/${shiftId}/close`, { countedCashFen: expected }),
            env.call(cashiers[c]!, 'POST', `/api/v1/shifts/${shiftId}/close`, { countedCashFen: expected }),
          ]);
          expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409]);
          open.delete(key(c, windowId));
          closedShifts.add(shiftId);
          counts.parallelCloses++;
        } else {
          const to = (c + 1) % cashiers.length;
          const canHandOver = !open.has(key(to, windowId)) && random() < 0.3;
          await closeShift(c, windowId, canHandOver ? to : undefined);
        }
      } else if (op < 0.85) {
        const [first] = pending;
        if (!first) continue;
        await env.ok('finance', 'POST', `/api/v1/shifts/${first}/approve`, { note: 'checked' });
        pending.delete(first);
        closedShifts.add(first);
      } else if (op < 0.95) {
        const closed = [...closedShifts];
        if (closed.length === 0) continue;
        await env.ok(
          'finance',
          'POST',
          `/api/v1/shifts/${pick(closed)}/adjustments`,
          {
            method: pick(['cash', 'wechat', 'bank_card']),
            amountFen: pick([-1, 1]) * int(1, 30) * 100,
            reason: 'correction',
          },
          201,
        );
      } else {
        // Finance closes a day that has begun, while money may still move on it.
        const candidates = DATES.filter((d) => d <= today() && !frozen.has(d));
        if (candidates.length === 0) continue;
        const date = pick(candidates);
        const answer = await env.call('finance', 'POST', `/api/v1/settlements/days/park/${date}/close`);
        if (answer.statusCode === 200)
          frozen.set(date, (await env.call('finance', 'GET', `/api/v1/settlements/days/park/${date}`)).body);
        else expect(answer.json().error.code).toBe('SETTLEMENT_SHIFTS_OPEN');
      }
    }

    // The end of the run: every till closed and approved, a quiet day after the last, every day closed in turn.
    for (const [k] of [...open]) {
      const [c, windowId] = k.split('/') as [string, string];
      await closeShift(Number(c), windowId);
    }
    for (const shiftId of pending)
      await env.ok('finance', 'POST', `/api/v1/shifts/${shiftId}/approve`, { note: 'end' });
    env.clock = lastMidnight + 12 * HOUR_MS;
    const allDates = [...DATES, isoDateOfDay(dayOfIsoDate(DATES[DATES.length - 1]!)! + 1)];
    for (const date of allDates) {
      if (frozen.has(date)) continue;
      await env.ok('finance', 'POST', `/api/v1/settlements/days/park/${date}/close`);
      frozen.set(date, (await env.call('finance', 'GET', `/api/v1/settlements/days/park/${date}`)).body);
    }
    const january = await env.ok<MonthReport>(
      'finance',
      'POST',
      '/api/v1/settlements/months/park/2031-01/close',
    );
    const february = await env.ok<MonthReport>('finance', 'GET', '/api/v1/settlements/months/park/2031-02');

    // Every closed day reads exactly as it closed.
    for (const [date, body] of frozen)
      expect((await env.call('finance', 'GET', `/api/v1/settlements/days/park/${date}`)).body, date).toBe(
        body,
      );

    // The journal, and its recomputation from the owners' own rows.
    const sum = async (table: 'sales' | 'refunds' | 'supplements', column: 'total_fen' | 'amount_fen') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.sum<number>(column as 'amount_fen').as('s'))
            .executeTakeFirst()
        )?.s ?? 0,
      );
    const raw =
      (await sum('sales', 'total_fen')) -
      (await sum('refunds', 'amount_fen')) +
      (await sum('supplements', 'amount_fen'));
    const journal = await db
      .selectFrom('takings')
      .select((eb) => [
        eb.fn.sum<number>('amount_fen').as('amount'),
        eb.fn.sum<number>('tickets').as('tickets'),
        eb.fn.countAll<number>().as('count'),
      ])
      .executeTakeFirstOrThrow();
    const journalFen = Number(journal.amount);
    expect(journalFen).toBe(raw);
    const rollup = Number(
      (
        await db
          .selectFrom('takings_day_money')
          .select((eb) => eb.fn.sum<number>('amount_fen').as('s'))
          .executeTakeFirst()
      )?.s ?? 0,
    );
    expect(rollup).toBe(journalFen);

    // The shifts, each by its own report, plus what was outside every shift.
    const shifts = await db.selectFrom('till_shifts').selectAll().execute();
    let inShifts = 0;
    let cashInShifts = 0;
    for (const shift of shifts) {
      const report = await env.ok<ShiftReport>('finance', 'GET', `/api/v1/shifts/${shift.id}/report`);
      expect(report.shift.state).toBe('closed');
      inShifts += report.sources.reduce((s, x) => s + x.amountFen, 0);
      const cash = report.cash!;
      cashInShifts += cash.salesFen + cash.refundsFen + cash.supplementsFen + cash.ordersFen;
      // The frozen expected cash, recomputed from the raw rows.
      const shiftCash = await db
        .selectFrom('taking_payments as p')
        .innerJoin('takings as t', 't.id', 'p.taking_id')
        .select((eb) => eb.fn.sum<number>('p.amount_fen').as('s'))
        .where('t.shift_id', '=', shift.id)
        .where('p.method', '=', 'cash')
        .executeTakeFirst();
      const out = await db
        .selectFrom('till_shift_events')
        .select((eb) => eb.fn.sum<number>('amount_fen').as('s'))
        .where('shift_id', '=', shift.id)
        .where('kind', 'in', ['drop', 'payout'])
        .executeTakeFirst();
      const expected = Number(shift.float_fen) + Number(shiftCash?.s ?? 0) - Number(out?.s ?? 0);
      expect(Number(shift.expected_cash_fen), shift.id).toBe(expected);
      expect(Number(shift.variance_fen)).toBe(Number(shift.counted_cash_fen) - expected);
    }
    const outside = await db
      .selectFrom('takings')
      .select((eb) => eb.fn.sum<number>('amount_fen').as('s'))
      .where('shift_id', 'is', null)
      .executeTakeFirst();
    expect(inShifts + Number(outside?.s ?? 0)).toBe(journalFen);
    const cashOutside = await db
      .selectFrom('taking_payments as p')
      .innerJoin('takings as t', 't.id', 'p.taking_id')
      .select((eb) => eb.fn.sum<number>('p.amount_fen').as('s'))
      .where('t.shift_id', 'is', null)
      .where('p.method', '=', 'cash')
      .executeTakeFirst();
    const rawCash =
      Number(
        (
          await db
            .selectFrom('sale_payments')
            .select((eb) => eb.fn.sum<number>('amount_fen').as('s'))
            .where('method', '=', 'cash')
            .executeTakeFirst()
        )?.s ?? 0,
      ) -
      Number(
        (
          await db
            .selectFrom('sales')
            .select((eb) => eb.fn.sum<number>('change_fen').as('s'))
            .executeTakeFirst()
        )?.s ?? 0,
      ) -
      Number(
        (
          await db
            .selectFrom('refund_payments')
            .select((eb) => eb.fn.sum<number>('amount_fen').as('s'))
            .where('method', '=', 'cash')
            .executeTakeFirst()
        )?.s ?? 0,
      ) +
      Number(
        (
          await db
            .selectFrom('supplement_payments')
            .select((eb) => eb.fn.sum<number>('amount_fen').as('s'))
            .where('method', '=', 'cash')
            .executeTakeFirst()
        )?.s ?? 0,
      ) -
      Number(
        (
          await db
            .selectFrom('supplements')
            .select((eb) => eb.fn.sum<number>('change_fen').as('s'))
            .executeTakeFirst()
        )?.s ?? 0,
      );
    expect(cashInShifts + Number(cashOutside?.s ?? 0)).toBe(rawCash);

    // The closed days, each with what it carried in, hold every fen once; so do the months.
    const days = [...frozen.values()].map((body) => JSON.parse(body) as DayReport);
    const dayTotal = days.reduce((s, d) => s + d.total.amountFen, 0);
    expect(dayTotal).toBe(journalFen);
    expect(days.reduce((s, d) => s + d.total.tickets, 0)).toBe(Number(journal.tickets));
    expect(january.figures.totals.amountFen + february.figures.totals.amountFen).toBe(journalFen);
    expect(january.figures.totals.takings + february.figures.totals.takings).toBe(Number(journal.count));
    for (const method of ['cash', 'wechat', 'alipay', 'bank_card'] as const) {
      const paid = Number(
        (
          await db
            .selectFrom('taking_payments')
            .select((eb) => eb.fn.sum<number>('amount_fen').as('s'))
            .where('method', '=', method)
            .executeTakeFirst()
        )?.s ?? 0,
      );
      const inMonths = [january, february].reduce(
        (s, m) => s + (m.figures.byTender.find((t) => t.method === method)?.amountFen ?? 0),
        0,
      );
      expect(inMonths, method).toBe(paid);
    }
    // Every adjustment counted once, on the day it was made or a later one.
    const adjustments = await db
      .selectFrom('till_shift_events')
      .selectAll()
      .where('kind', '=', 'adjustment')
      .execute();
    const counted = days.flatMap((d) => d.adjustments.map((a) => ({ id: a.id, on: d.date, made: a.date })));
    expect(counted.map((a) => a.id).sort()).toEqual(adjustments.map((a) => a.id).sort());
    for (const a of counted) expect(a.on >= a.made).toBe(true);
    expect(january.adjustmentsFen + february.adjustmentsFen).toBe(
      adjustments.reduce((s, a) => s + Number(a.amount_fen), 0),
    );
    if (process.env.SHIFT_PROPERTY_DEBUG)
      console.log(
        JSON.stringify({
          counts,
          shifts: shifts.length,
          carried: days.map((d) => [d.date, d.carriedIn.length, d.adjustments.length, d.total.amountFen]),
          frozenEarly: frozen.size,
        }),
      );
    // The sequence did exercise what it is about.
    expect(counts.sales).toBeGreaterThan(20);
    expect(counts.refunds + counts.supplements).toBeGreaterThan(5);
    expect(counts.boundaries + counts.parallelOpens + counts.parallelCloses).toBeGreaterThan(2);
  }, 120_000);
});
