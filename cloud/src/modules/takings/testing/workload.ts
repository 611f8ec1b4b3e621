/**
 * A random day-after-day of a park for the takings reconciliation (reconcile.test.ts), driven through the HTTP API
 * from a seeded generator: window sales by several cashiers at two windows (four types, a group ticket among them;
 * cash with change, cards, mixed tenders, customer points), refunds with fees, upgrades and fees (补票), and group
 * orders of the venue and of prepaid, credit and window-paying agencies taken through hold, confirm, modify, cancel,
 * pick-up, partial use and close. The services' clock only moves forward, by minutes to hours per operation, so the
 * run crosses several site-local days. A refused operation (a hold that lapsed, a deadline passed) is part of the
 * walk: it must leave no taking behind.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { transaction } from '../../../db/transaction.js';
import { insertTestOperator } from '../../../platform/auth/testing.js';
import { dayOfIsoDate, instantOf, isoDateOfDay } from '../../capacity/local-time.js';
import type { GroupTestEnv } from '../../group-orders/testing.js';
import { HOUR_MS } from '../../group-orders/testing.js';
import { SYSTEM_CONTEXT } from '../../tickets/testing.js';
import { dayOf } from './recompute.js';

export const T = { adult: 201, premium: 202, child: 203, group: 204 } as const;
const PRICES: Record<number, number> = { 201: 10_000, 202: 15_000, 203: 5_000, 204: 4_000 };

/** mulberry32: small, fast and good enough to pick operations. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Headers = { authorization: string } | { 'x-api-key': string };

interface SoldTicket {
  saleId: string;
  ticketId: number;
  typeId: number;
  visitDay: number;
  live: boolean;
  upgraded: boolean;
}

interface Order {
  id: string;
  state: string;
  visitDay: number;
  paymentMode: string;
  totalFen: number;
  by: Headers;
  /** Placed by the agency's partner system through the channel API: it confirms and cancels there too. */
  partner: boolean;
  tickets: { ticketId: number; persons: number }[];
  used: boolean;
}

export class ParkWorkload {
  readonly done = new Map<string, number>();
  readonly refused = new Map<string, number>();
  private readonly sold: SoldTicket[] = [];
  private readonly orders: Order[] = [];
  private cashiers: Headers[] = [];
  private agencies: { kind: string; id: string; by: Headers }[] = [];
  private customerId = '';
  private seq = 0;

  constructor(
    private readonly env: GroupTestEnv,
    private readonly random: () => number,
  ) {}

  private int(n: number): number {
    return Math.floor(this.random() * n);
  }

  private pick<T>(list: readonly T[]): T | undefined {
    return list.length === 0 ? undefined : list[this.int(list.length)];
  }

  private get today(): number {
    return dayOf(this.env.clock);
  }

  async call(headers: Headers, method: string, url: string, payload?: object, key = false) {
    const response = await this.env.app.inject({
      method: method as 'POST',
      url,
      headers: { ...headers, ...(key && { 'idempotency-key': `w-${++this.seq}` }) },
      ...(payload && { payload }),
    });
    const body = response.body ? response.json() : undefined;
    expect(response.statusCode, `${method} ${url}: ${response.body}`).toBeLessThan(500);
    return { ok: response.statusCode < 300, body };
  }

  private async must(headers: Headers, method: string, url: string, payload?: object) {
    const answer = await this.call(headers, method, url, payload);
    expect(answer.ok, JSON.stringify(answer.body)).toBe(true);
    return answer.body;
  }

  private count(what: string, answer: { ok: boolean; body: { error?: { code: string } } }): boolean {
    const map = answer.ok ? this.done : this.refused;
    const key = answer.ok ? what : `${what}:${answer.body?.error?.code}`;
    map.set(key, (map.get(key) ?? 0) + 1);
    return answer.ok;
  }

  /** Types, a second window and cashier, agencies of each payment mode, a customer with points. */
  async setUp(): Promise<void> {
    const { env } = this;
    const admin = env.as('admin');
    const refund = (fee: object) => ({
      refundable: true,
      deadline: { dayOffset: 0, minuteOfDay: 1440 },
      fee,
      proRata: false,
    });
    const types = [
      {
        typeId: T.adult,
        code: 'R_ADULT',
        kind: 'single',
        refund: refund({ kind: 'permille', permille: 100 }),
      },
      { typeId: T.premium, code: 'R_PREMIUM', kind: 'single', refund: refund({ kind: 'fixed', fen: 500 }) },
      { typeId: T.child, code: 'R_CHILD', kind: 'single', refund: refund({ kind: 'fixed', fen: 0 }) },
      { typeId: T.group, code: 'R_GROUP', kind: 'group', refund: refund({ kind: 'fixed', fen: 0 }) },
    ];
    for (const type of types)
      await this.must(admin, 'POST', '/api/v1/ticket-types', {
        ...type,
        siteId: 'park',
        name: { zh: type.code, en: type.code },
        prices: { window: PRICES[type.typeId], agency: PRICES[type.typeId] },
      });
    await env.container.services.venues.createWindow(
      'park',
      { id: 'W02', name: { zh: '二号窗口', en: 'Window 2' }, active: true },
      SYSTEM_CONTEXT,
    );
    await this.must(admin, 'PUT', '/api/v1/auth/second-approval', { thresholdFen: 1_000_000_000 });
    await insertTestOperator(env.test.database.db, 'second_cashier', 'cashier', { password: 'password-2nd' });
    const login = await this.must({ authorization: '' }, 'POST', '/api/v1/auth/login', {
      username: 'second_cashier',
      password: 'password-2nd',
    });
    this.cashiers = [env.as('cashier'), { authorization: `Bearer ${login.token}` }, admin];

    const agency = async (kind: string, by: Headers, creditLimitFen = 0) => {
      const { id } = await this.must(admin, 'POST', '/api/v1/agencies', {
        name: `Agency ${kind}`,
        licenceNo: `L-${kind}`,
        paymentMode: kind,
        creditLimitFen,
      });
      for (const typeId of [T.adult, T.group])
        await this.must(admin, 'PUT', `/api/v1/agencies/${id}/types/${typeId}`, {
          priceFen: PRICES[typeId]! - 1_000,
        });
      this.agencies.push({ kind, id, by });
      return id as string;
    };
    const prepaid = await agency('prepaid', env.as('agency'));
    const key = await this.must(admin, 'POST', '/api/v1/channel-keys', {
      name: 'Partner',
      channel: 'agency',
      agencyId: prepaid,
      siteIds: ['park'],
      ratePerMinute: 60_000,
    });
    this.agencies.push({ kind: 'partner', id: prepaid, by: { 'x-api-key': key.secret } });
    await this.must(admin, 'POST', `/api/v1/agencies/${prepaid}/top-ups`, { amountFen: 50_000_000 });
    await this.must(admin, 'PUT', `/api/v1/agencies/${prepaid}/operators/${env.operators.agency.id}`);
    await agency('credit', admin, 50_000_000);
    await agency('window', admin);

    await this.must(admin, 'PUT', '/api/v1/points/rules/park', {
      enabled: true,
      pointsPerYuan: 1,
      redeemPointsPerYuan: 100,
      expiry: 'never',
    });
    const customer = await this.must(admin, 'POST', '/api/v1/customers', {
      siteId: 'park',
      name: '积分客户',
      phone: '13800138000',
    });
    this.customerId = customer.id;
    await this.must(admin, 'POST', `/api/v1/points/accounts/${customer.id}/adjustments`, {
      points: 5_000_000,
      reason: 'reconciliation test',
    });
  }

  /** Tenders for `total`: exact, cash with change, a card, mixed, or part in points. */
  private tenders(total: number, points: boolean) {
    const roundUp = (fen: number) => Math.ceil((fen + 1) / 10_000) * 10_000;
    switch (this.int(points ? 7 : 6)) {
      case 0:
        return [{ method: 'cash', amountFen: total }];
      case 1:
        return [{ method: 'cash', amountFen: roundUp(total) }];
      case 2:
        return [{ method: 'bank_card', amountFen: total }];
      case 3:
        return [{ method: this.random() < 0.5 ? 'wechat' : 'alipay', amountFen: total }];
      case 4: {
        const card = Math.floor(total / 2);
        return [
          { method: 'bank_card', amountFen: card },
          { method: 'cash', amountFen: roundUp(total - card) },
        ];
      }
      case 5: {
        const wechat = Math.floor(total / 3);
        return [
          { method: 'wechat', amountFen: wechat },
          { method: 'alipay', amountFen: total - wechat },
        ];
      }
      default: {
        const paidByPoints = Math.floor(total / 3);
        return [
          { method: 'points', amountFen: paidByPoints },
          { method: 'cash', amountFen: roundUp(total - paidByPoints) },
        ];
      }
    }
  }

  async sale(): Promise<void> {
    const lines = [];
    let total = 0;
    for (let i = 0, n = 1 + this.int(2); i < n; i++) {
      const typeId = this.pick([T.adult, T.premium, T.child, T.group])!;
      const visitDate = isoDateOfDay(this.today + this.int(3));
      if (typeId === T.group) {
        const persons = 10 + this.int(3);
        lines.push({ typeId, quantity: 1, persons, visitDate });
        total += PRICES[typeId]! * persons;
      } else {
        const quantity = 1 + this.int(3);
        lines.push({ typeId, quantity, visitDate });
        total += PRICES[typeId]! * quantity;
      }
    }
    const withPoints = this.random() < 0.2;
    const answer = await this.call(
      this.pick(this.cashiers)!,
      'POST',
      '/api/v1/sales',
      {
        siteId: 'park',
        windowId: this.pick(['W01', 'W02']),
        lines,
        payments: this.tenders(total, withPoints),
        ...(withPoints && { customerId: this.customerId }),
      },
      true,
    );
    if (!this.count('sale', answer)) return;
    for (const ticket of answer.body.tickets)
      this.sold.push({
        saleId: answer.body.id,
        ticketId: ticket.ticketId,
        typeId: ticket.typeId,
        visitDay: dayOfIsoDate(ticket.visitDate)!,
        live: true,
        upgraded: false,
      });
  }

  private liveTickets(): SoldTicket[] {
    return this.sold.filter((t) => t.live && t.visitDay >= this.today);
  }

  async refund(): Promise<void> {
    const first = this.pick(this.liveTickets());
    if (!first) return;
    const more = this.liveTickets().filter((t) => t.saleId === first.saleId && t !== first);
    const tickets = [first, ...(this.random() < 0.4 && more.length > 0 ? [more[0]!] : [])];
    const answer = await this.call(
      this.pick(this.cashiers)!,
      'POST',
      '/api/v1/refunds',
      { saleId: first.saleId, ticketIds: tickets.map((t) => t.ticketId), reason: 'changed plans' },
      true,
    );
    if (this.count('refund', answer)) for (const t of tickets) t.live = false;
  }

  async supplement(): Promise<void> {
    const cashier = this.pick(this.cashiers)!;
    const windowId = this.pick(['W01', 'W02'])!;
    const upgradable = this.liveTickets().filter((t) => t.typeId !== T.group && !t.upgraded);
    const ticket = this.pick(upgradable);
    if (!ticket) return;
    if (ticket.typeId !== T.premium && this.random() < 0.6) {
      const request = { kind: 'upgrade', ticketId: ticket.ticketId, windowId, toTypeId: T.premium };
      const quote = await this.call(cashier, 'POST', '/api/v1/supplements/quote', request);
      if (!this.count('upgrade-quote', quote)) return;
      const answer = await this.call(
        cashier,
        'POST',
        '/api/v1/supplements',
        { ...request, payments: this.tenders(quote.body.amountFen, false) },
        true,
      );
      if (!this.count('upgrade', answer)) return;
      ticket.live = false;
      this.sold.push({
        ...ticket,
        ticketId: answer.body.newTicketId,
        typeId: T.premium,
        live: true,
        upgraded: true,
      });
      return;
    }
    const amountFen = 500 + this.int(26) * 100;
    const answer = await this.call(
      cashier,
      'POST',
      '/api/v1/supplements',
      {
        kind: 'fee',
        ticketId: ticket.ticketId,
        windowId,
        reason: 'other',
        amountFen,
        payments: this.tenders(amountFen, false),
      },
      true,
    );
    this.count('fee', answer);
  }

  private orderLines() {
    const lines: { typeId: number; quantity: number }[] = [{ typeId: T.adult, quantity: 2 + this.int(14) }];
    if (this.random() < 0.4) lines.push({ typeId: T.group, quantity: 10 + this.int(5) });
    return lines;
  }

  async placeOrder(): Promise<void> {
    const admin = this.env.as('admin');
    const who = this.pick(['venue', 'prepaid', 'partner', 'credit', 'window'])!;
    const agency = this.agencies.find((a) => a.kind === who);
    const by = agency?.by ?? admin;
    const visitDay = this.today + this.int(4);
    const url = who === 'partner' ? '/api/channel/v1/bookings' : '/api/v1/group-orders';
    const answer = await this.call(by, 'POST', url, {
      siteId: 'park',
      reference: randomUUID(),
      visitDate: isoDateOfDay(visitDay),
      lines: this.orderLines(),
      ...(agency && by === admin && { agencyId: agency.id }),
    });
    if (!this.count('order', answer)) return;
    this.orders.push({
      id: answer.body.id,
      state: 'held',
      visitDay,
      paymentMode: answer.body.paymentMode,
      totalFen: answer.body.totalFen,
      by,
      partner: who === 'partner',
      tickets: [],
      used: false,
    });
  }

  private inState(...states: string[]): Order[] {
    return this.orders.filter((o) => states.includes(o.state));
  }

  private async orderStep(
    what: string,
    order: Order,
    by: Headers,
    method: string,
    path: string,
    payload?: object,
  ): Promise<boolean> {
    const partner = order.partner && (what === 'confirm' || what === 'cancel');
    const url = partner
      ? `/api/channel/v1/bookings/${order.id}${path}`
      : `/api/v1/group-orders/${order.id}${path}`;
    const answer = await this.call(partner ? order.by : by, method, url, payload ?? {});
    if (!this.count(partner ? `partner_${what}` : what, answer)) return false;
    // The partner's answer is the booking's lighter view: the order as the staff see it is read after it.
    if (partner)
      answer.body = await this.must(this.env.as('admin'), 'GET', `/api/v1/group-orders/${order.id}`);
    order.state = answer.body.state;
    order.totalFen = answer.body.totalFen;
    order.visitDay = dayOfIsoDate(answer.body.visitDate)!;
    if (answer.body.tickets?.length)
      order.tickets = answer.body.tickets.map((t: { ticketId: number; persons: number }) => ({
        ticketId: t.ticketId,
        persons: t.persons,
      }));
    return true;
  }

  async confirm(): Promise<void> {
    const order = this.pick(this.inState('held'));
    if (order) await this.orderStep('confirm', order, order.by, 'POST', '/confirm');
  }

  async modify(): Promise<void> {
    const order = this.pick(this.inState('held', 'confirmed'));
    if (!order) return;
    const change =
      this.random() < 0.7
        ? { lines: this.orderLines() }
        : { visitDate: isoDateOfDay(this.today + this.int(3)) };
    await this.orderStep('modify', order, this.env.as('admin'), 'PATCH', '', change);
  }

  async cancel(): Promise<void> {
    const order = this.pick(this.inState('held', 'confirmed'));
    if (order) await this.orderStep('cancel', order, order.by, 'POST', '/cancel', { reason: 'weather' });
  }

  async pickUp(chosen?: Order): Promise<void> {
    const order = chosen ?? this.pick(this.inState('confirmed').filter((o) => o.visitDay >= this.today));
    if (!order) return;
    await this.orderStep('pick_up', order, this.pick(this.cashiers)!, 'POST', '/pick-up', {
      windowId: this.pick(['W01', 'W02']),
      issue: this.random() < 0.5 ? 'group' : 'individual',
      ...(order.paymentMode === 'window' && { payments: this.tenders(order.totalFen, false) }),
    });
  }

  /** The gates let some of a picked-up group in: a group code partly, one-person tickets wholly. */
  async enter(chosen?: Order): Promise<void> {
    const order = chosen ?? this.pick(this.inState('picked_up').filter((o) => !o.used));
    if (!order) return;
    order.used = true;
    const { tickets } = this.env.container.services;
    await transaction(this.env.test.database.db, async (trx) => {
      for (const ticket of order.tickets) {
        if (this.random() < 0.4) continue;
        if (ticket.persons > 1)
          await tickets.change(trx, ticket.ticketId, 'use', {
            entriesUsed: 1 + this.int(ticket.persons - 1),
          });
        else await tickets.change(trx, ticket.ticketId, 'use', { status: 'used', entriesUsed: 1 });
      }
    });
    this.done.set('enter', (this.done.get('enter') ?? 0) + 1);
  }

  async close(chosen?: Order): Promise<void> {
    const order = chosen ?? this.pick(this.inState('picked_up').filter((o) => o.visitDay < this.today));
    if (!order) return;
    await this.orderStep('close', order, this.pick(this.cashiers)!, 'POST', '/close', {
      refundMethod: this.pick(['cash', 'bank_card', 'wechat', 'alipay']),
    });
  }

  /**
   * The end of the season: every confirmed order still to come is picked up, some of each group go in, and once
   * the last visit day is over every picked-up order is closed — so each run closes orders of every kind.
   */
  async finish(): Promise<void> {
    for (const order of this.inState('confirmed').filter((o) => o.visitDay >= this.today))
      await this.pickUp(order);
    for (const order of this.inState('picked_up').filter((o) => !o.used)) await this.enter(order);
    const last = Math.max(this.today, ...this.orders.map((o) => o.visitDay));
    this.env.clock = Math.max(this.env.clock, instantOf(last + 1, 60, 'Asia/Shanghai'));
    for (const order of this.inState('picked_up')) await this.close(order);
  }

  /** One operation, weighted towards what a park does most, then the clock moves on. */
  async step(): Promise<void> {
    const ops: [number, () => Promise<void>][] = [
      [30, () => this.sale()],
      [10, () => this.refund()],
      [8, () => this.supplement()],
      [10, () => this.placeOrder()],
      [9, () => this.confirm()],
      [4, () => this.modify()],
      [3, () => this.cancel()],
      [8, () => this.pickUp()],
      [5, () => this.enter()],
      [6, () => this.close()],
    ];
    let roll = this.int(ops.reduce((sum, [weight]) => sum + weight, 0));
    for (const [weight, op] of ops) {
      if (roll < weight) {
        await op();
        break;
      }
      roll -= weight;
    }
    this.env.clock += (1 + this.int(90)) * 60_000;
    if (this.random() < 0.02) this.env.clock += 10 * HOUR_MS;
  }
}
