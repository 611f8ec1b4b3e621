/**
 * Test support for the takings reconciliation (reconcile.test.ts): the journal and its rollups read back, and the
 * same figures worked out again from the owners' own rows — sales, refunds, supplements, group orders, the agency
 * ledger and the tickets — so that a taking recorded wrongly, twice, or not at all, or a rollup that drifted from
 * its journal, shows as a difference. Tests may read every table through the database handle; production code never
 * does this.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import { clockOf } from '../../capacity/local-time.js';

const ZONE = 'Asia/Shanghai';
export const dayOf = (at: number): number => clockOf(ZONE).dayNumber(at);

/** One group of takings: a source row's movements of one day at one till (or none). */
export interface TakingGroup {
  source: string;
  sourceId: string;
  day: number;
  channel: string;
  windowId: string | null;
  cashierId: string | null;
  agencyId: string | null;
  money: Record<string, number>;
  items: Record<string, { tickets: number; persons: number; amountFen: number }>;
}

type Key = Omit<TakingGroup, 'money' | 'items'>;

class Groups {
  private readonly groups = new Map<string, TakingGroup>();

  private group(key: Key): TakingGroup {
    const id = JSON.stringify([
      key.source,
      key.sourceId,
      key.day,
      key.channel,
      key.windowId,
      key.cashierId,
      key.agencyId,
    ]);
    let group = this.groups.get(id);
    if (!group) {
      group = { ...key, money: {}, items: {} };
      this.groups.set(id, group);
    }
    return group;
  }

  money(key: Key, method: string, amountFen: number): void {
    const money = this.group(key).money;
    money[method] = (money[method] ?? 0) + amountFen;
  }

  item(key: Key, typeId: number, tickets: number, persons: number, amountFen: number): void {
    const items = this.group(key).items;
    const item = items[typeId] ?? { tickets: 0, persons: 0, amountFen: 0 };
    items[typeId] = {
      tickets: item.tickets + tickets,
      persons: item.persons + persons,
      amountFen: item.amountFen + amountFen,
    };
  }

  /** Sorted, with every zero left out (a movement that nets to nothing is no taking). */
  result(): TakingGroup[] {
    const out: TakingGroup[] = [];
    for (const group of this.groups.values()) {
      const money = Object.fromEntries(Object.entries(group.money).filter(([, fen]) => fen !== 0));
      const items = Object.fromEntries(
        Object.entries(group.items).filter(
          ([, i]) => i.tickets !== 0 || i.persons !== 0 || i.amountFen !== 0,
        ),
      );
      if (Object.keys(money).length > 0 || Object.keys(items).length > 0)
        out.push({ ...group, money, items });
    }
    return out.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  }
}

const n = (value: unknown): number => Number(value);

/** The journal as recorded, grouped like the recomputation (supplements' window left out: no owner row has it). */
export async function journalGroups(db: Kysely<Database>): Promise<TakingGroup[]> {
  const takings = await db.selectFrom('takings').selectAll().execute();
  const payments = await db.selectFrom('taking_payments').selectAll().execute();
  const items = await db.selectFrom('taking_items').selectAll().execute();
  const keyOf = new Map<number, Key>();
  for (const t of takings)
    keyOf.set(n(t.id), {
      source: t.source,
      sourceId: t.source_id,
      day: n(t.day),
      channel: t.channel,
      windowId: t.source === 'supplement' ? null : t.window_id,
      cashierId: t.cashier_id,
      agencyId: t.agency_id,
    });
  const groups = new Groups();
  for (const p of payments) groups.money(keyOf.get(n(p.taking_id))!, p.method, n(p.amount_fen));
  for (const i of items)
    groups.item(keyOf.get(n(i.taking_id))!, n(i.type_id), n(i.tickets), n(i.persons), n(i.amount_fen));
  return groups.result();
}

/** The same groups worked out from the owners' rows alone. */
export async function ownerGroups(
  db: Kysely<Database>,
  unusedRefundPermille: number,
): Promise<TakingGroup[]> {
  const groups = new Groups();
  const ticketRows = await db
    .selectFrom('tickets')
    .select(['id', 'type_id', 'persons', 'price_fen', 'entries_used', 'status'])
    .execute();
  const tickets = new Map(ticketRows.map((t) => [n(t.id), t]));

  const sales = await db.selectFrom('sales').selectAll().execute();
  const salesById = new Map(sales.map((s) => [s.id, s]));
  const saleKey = (s: (typeof sales)[number]): Key => ({
    source: 'sale',
    sourceId: s.id,
    day: dayOf(n(s.created_at)),
    channel: s.channel,
    windowId: s.window_id,
    cashierId: s.cashier_id,
    agencyId: null,
  });
  for (const s of sales) if (n(s.change_fen) > 0) groups.money(saleKey(s), 'cash', -n(s.change_fen));
  for (const p of await db.selectFrom('sale_payments').selectAll().execute())
    groups.money(saleKey(salesById.get(p.sale_id)!), p.method, n(p.amount_fen));
  for (const l of await db.selectFrom('sale_lines').selectAll().execute())
    groups.item(
      saleKey(salesById.get(l.sale_id)!),
      n(l.type_id),
      n(l.quantity),
      n(l.quantity) * n(l.persons),
      n(l.amount_fen),
    );

  const refunds = new Map((await db.selectFrom('refunds').selectAll().execute()).map((r) => [r.id, r]));
  const refundKey = (id: string): Key => {
    const r = refunds.get(id)!;
    return {
      source: 'refund',
      sourceId: id,
      day: dayOf(n(r.created_at)),
      channel: salesById.get(r.sale_id)!.channel,
      windowId: null,
      cashierId: r.cashier_id,
      agencyId: null,
    };
  };
  for (const p of await db.selectFrom('refund_payments').selectAll().execute())
    groups.money(refundKey(p.refund_id), p.method, -n(p.amount_fen));
  for (const t of await db.selectFrom('refund_tickets').selectAll().execute()) {
    const ticket = tickets.get(n(t.ticket_id))!;
    groups.item(refundKey(t.refund_id), n(ticket.type_id), -1, -n(ticket.persons), -n(t.amount_fen));
  }

  const supplements = new Map(
    (await db.selectFrom('supplements').selectAll().execute()).map((s) => [s.id, s]),
  );
  const supplementKey = (id: string): Key => {
    const s = supplements.get(id)!;
    return {
      source: 'supplement',
      sourceId: id,
      day: dayOf(n(s.created_at)),
      channel: 'window',
      windowId: null,
      cashierId: s.cashier_id,
      agencyId: null,
    };
  };
  for (const s of supplements.values()) {
    if (n(s.change_fen) > 0) groups.money(supplementKey(s.id), 'cash', -n(s.change_fen));
    // The money belongs to the type of the ticket it bought: an upgrade's new one, else the ticket's own.
    const ticket = tickets.get(n(s.new_ticket_id ?? s.ticket_id))!;
    groups.item(supplementKey(s.id), n(ticket.type_id), 0, 0, n(s.amount_fen));
  }
  for (const p of await db.selectFrom('supplement_payments').selectAll().execute())
    groups.money(supplementKey(p.supplement_id), p.method, n(p.amount_fen));

  await orderGroups(db, groups, tickets, unusedRefundPermille);
  return groups.result();
}

type TicketFacts = {
  type_id: number;
  persons: number;
  price_fen: number;
  entries_used: number;
  status: string;
};

async function orderGroups(
  db: Kysely<Database>,
  groups: Groups,
  tickets: ReadonlyMap<number, TicketFacts>,
  permille: number,
): Promise<void> {
  const orders = new Map((await db.selectFrom('group_orders').selectAll().execute()).map((o) => [o.id, o]));
  const transitions = await db
    .selectFrom('group_order_transitions')
    .select(['order_id', 'action', 'at', 'actor_id'])
    .where('action', 'in', ['pick_up', 'close'])
    .execute();
  const when = new Map(transitions.map((t) => [`${t.order_id}/${t.action}`, t]));
  const base = (id: string, at: number) => {
    const o = orders.get(id)!;
    const channel = o.channel_key_id !== null ? 'channel_api' : o.agency_id !== null ? 'agency' : 'window';
    return { source: 'order', sourceId: id, day: dayOf(at), channel, agencyId: o.agency_id };
  };
  for (const row of await db
    .selectFrom('agency_ledger')
    .selectAll()
    .where('order_id', 'is not', null)
    .execute())
    groups.money(
      { ...base(row.order_id!, n(row.at)), windowId: null, cashierId: null },
      'agency_account',
      -n(row.amount_fen),
    );
  for (const p of await db.selectFrom('group_order_payments').selectAll().execute()) {
    const o = orders.get(p.order_id)!;
    if (p.kind === 'payment') {
      const pickUp = when.get(`${p.order_id}/pick_up`)!;
      groups.money(
        { ...base(p.order_id, n(p.at)), windowId: o.window_id, cashierId: pickUp.actor_id },
        p.method,
        n(p.amount_fen),
      );
    } else {
      const close = when.get(`${p.order_id}/close`)!;
      groups.money(
        { ...base(p.order_id, n(p.at)), windowId: null, cashierId: close.actor_id },
        p.method,
        -n(p.amount_fen),
      );
    }
  }
  for (const o of orders.values()) {
    const pickUp = when.get(`${o.id}/pick_up`);
    if (pickUp && n(o.change_fen) > 0)
      groups.money(
        { ...base(o.id, n(pickUp.at)), windowId: o.window_id, cashierId: pickUp.actor_id },
        'cash',
        -n(o.change_fen),
      );
  }
  for (const t of await db.selectFrom('group_order_tickets').selectAll().execute()) {
    const o = orders.get(t.order_id)!;
    const ticket = tickets.get(n(t.ticket_id))!;
    const pickUp = when.get(`${o.id}/pick_up`)!;
    groups.item(
      { ...base(o.id, n(pickUp.at)), windowId: o.window_id, cashierId: pickUp.actor_id },
      n(ticket.type_id),
      1,
      n(ticket.persons),
      n(ticket.price_fen),
    );
    const close = when.get(`${o.id}/close`);
    if (!close) continue;
    // Closing withdrew every person who had not gone in; a ticket nobody used was taken back whole.
    const unused = n(ticket.persons) - Math.min(n(ticket.persons), n(ticket.entries_used));
    if (unused === 0) continue;
    const refund = Math.floor(
      (Math.floor((n(ticket.price_fen) * unused) / n(ticket.persons)) * permille) / 1000,
    );
    groups.item(
      {
        ...base(o.id, n(close.at)),
        windowId: null,
        cashierId: o.payment_mode === 'window' ? close.actor_id : null,
      },
      n(ticket.type_id),
      ticket.status === 'refunded' ? -1 : 0,
      -unused,
      -refund,
    );
  }
}

const dim = (v: string | null): string => v ?? '';

/** takings_day_money as stored, and as summed again from the journal (payments = takings with that method). */
export async function moneyRollups(db: Kysely<Database>) {
  const stored = (await db.selectFrom('takings_day_money').selectAll().execute()).map((r) => ({
    key: [r.site_id, r.day, r.source, r.channel, r.method, r.window_id, r.cashier_id, r.agency_id].join('|'),
    payments: n(r.payments),
    amountFen: n(r.amount_fen),
  }));
  const rows = await db
    .selectFrom('taking_payments')
    .innerJoin('takings', 'takings.id', 'taking_payments.taking_id')
    .select([
      'takings.id',
      'site_id',
      'day',
      'source',
      'channel',
      'method',
      'window_id',
      'cashier_id',
      'agency_id',
      'taking_payments.amount_fen',
    ])
    .execute();
  const sums = new Map<string, { takings: Set<number>; amountFen: number }>();
  for (const r of rows) {
    const key = [
      r.site_id,
      r.day,
      r.source,
      r.channel,
      r.method,
      dim(r.window_id),
      dim(r.cashier_id),
      dim(r.agency_id),
    ].join('|');
    const sum = sums.get(key) ?? { takings: new Set<number>(), amountFen: 0 };
    sum.takings.add(n(r.id));
    sum.amountFen += n(r.amount_fen);
    sums.set(key, sum);
  }
  const recomputed = [...sums].map(([key, s]) => ({ key, payments: s.takings.size, amountFen: s.amountFen }));
  const sort = <T extends { key: string }>(list: T[]) => list.sort((x, y) => (x.key < y.key ? -1 : 1));
  return { stored: sort(stored), recomputed: sort(recomputed) };
}

/** takings_day_items as stored, and as summed again from the journal. */
export async function itemRollups(db: Kysely<Database>) {
  const stored = (await db.selectFrom('takings_day_items').selectAll().execute()).map((r) => ({
    key: [r.site_id, r.day, r.source, r.channel, r.type_id, r.window_id, r.cashier_id, r.agency_id].join('|'),
    tickets: n(r.tickets),
    persons: n(r.persons),
    amountFen: n(r.amount_fen),
  }));
  const rows = await db
    .selectFrom('taking_items')
    .innerJoin('takings', 'takings.id', 'taking_items.taking_id')
    .select([
      'site_id',
      'day',
      'source',
      'channel',
      'type_id',
      'window_id',
      'cashier_id',
      'agency_id',
      'taking_items.tickets',
      'taking_items.persons',
      'taking_items.amount_fen',
    ])
    .execute();
  const sums = new Map<string, { tickets: number; persons: number; amountFen: number }>();
  for (const r of rows) {
    const key = [
      r.site_id,
      r.day,
      r.source,
      r.channel,
      r.type_id,
      dim(r.window_id),
      dim(r.cashier_id),
      dim(r.agency_id),
    ].join('|');
    const sum = sums.get(key) ?? { tickets: 0, persons: 0, amountFen: 0 };
    sums.set(key, {
      tickets: sum.tickets + n(r.tickets),
      persons: sum.persons + n(r.persons),
      amountFen: sum.amountFen + n(r.amount_fen),
    });
  }
  const recomputed = [...sums].map(([key, s]) => ({ key, ...s }));
  const sort = <T extends { key: string }>(list: T[]) => list.sort((x, y) => (x.key < y.key ? -1 : 1));
  return { stored: sort(stored), recomputed: sort(recomputed) };
}
