/**
 * The bench's data, made day by day from a seeded generator (the same on every run and engine): window, online and
 * OTA sales with one or two types and a split payment now and then, refunds at the windows, passages in and out over
 * the opening hours on a pool of tickets (group codes admitting 20). For each day it gives the journal's rows, the
 * day rollups and the hourly entries summed here in JS, by the rules the takings and passages modules follow — the
 * bench then checks them against a recomputation in SQL. The last day ("today") is handed out as takings and events
 * instead, for the bench to write through the production code.
 */
import type { TakingEntry, TakingMethod, TakingSource } from '../../src/modules/takings/contract.js';

export const SITE = 'bench';
export const WINDOWS = ['W1', 'W2', 'W3', 'W4', 'W5', 'W6'] as const;
/** Type ids 1–8: price per ticket (fen) and persons per ticket (type 8 is a group code of 20). */
export const TYPES = [
  { id: 1, priceFen: 12_000, persons: 1, weight: 0.4 },
  { id: 2, priceFen: 6_000, persons: 1, weight: 0.15 },
  { id: 3, priceFen: 8_000, persons: 1, weight: 0.12 },
  { id: 4, priceFen: 15_000, persons: 1, weight: 0.08 },
  { id: 5, priceFen: 20_000, persons: 1, weight: 0.07 },
  { id: 6, priceFen: 3_000, persons: 1, weight: 0.08 },
  { id: 7, priceFen: 5_000, persons: 1, weight: 0.05 },
  { id: 8, priceFen: 40_000, persons: 20, weight: 0.05 },
] as const;
const OFFSET_MS = 8 * 3_600_000; // Asia/Shanghai, no daylight saving time
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export interface Shape {
  readonly days: number;
  /** The last day (site-local day number): today. */
  readonly today: number;
  readonly sales: number;
  readonly refunds: number;
  readonly passages: number;
  readonly tickets: number;
  /** Operator ids of the 12 cashiers: cashier w works window w in the morning, w + 6 in the afternoon. */
  readonly cashiers: readonly string[];
}

export function shapeOf(scale: number, today: number, cashiers: readonly string[]): Shape {
  return {
    days: 730,
    today,
    sales: Math.round(2_000_000 * scale),
    refunds: Math.round(100_000 * scale),
    passages: Math.round(10_000_000 * scale),
    tickets: Math.max(200, Math.round(80_000 * scale)),
    cashiers,
  };
}

/** mulberry32: small, fast, seeded. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function pickType(r: number): (typeof TYPES)[number] {
  let acc = 0;
  for (const type of TYPES) {
    acc += type.weight;
    if (r < acc) return type;
  }
  return TYPES[0];
}

/** The type of pool ticket `id` (1-based): by the same weights, deterministically. */
export function typeOfTicket(id: number): (typeof TYPES)[number] {
  return pickType(((id * 2_654_435_761) % 4_294_967_296) / 4_294_967_296);
}

export type Row = unknown[];

export interface DayRows {
  readonly day: number;
  readonly takings: Row[];
  readonly payments: Row[];
  readonly items: Row[];
  readonly money: Row[];
  readonly itemRollup: Row[];
  readonly passages: Row[];
  readonly hourly: Row[];
  /** Today only: the takings to record through the takings service. */
  readonly entries: TakingEntry[];
}

/** How many of `total` fall on day index `i` of `days` (spread evenly, exactly `total` in all). */
const share = (total: number, days: number, i: number) =>
  Math.floor(((i + 1) * total) / days) - Math.floor((i * total) / days);

/** Opening-hours instant of a day: 8:00–18:00 local, busier in the late morning. */
function instantOn(day: number, r: number): number {
  const hours = 10 * (r < 0.5 ? r * 1.2 : 0.6 + (r - 0.5) * 0.8);
  return day * DAY_MS - OFFSET_MS + 8 * HOUR_MS + Math.floor(hours * HOUR_MS);
}

export class BenchData {
  private nextTaking = 1;
  private nextSale = 1;
  private nextRefund = 1;
  private nextEvent = 1;
  private readonly rand = random(20_261_207);

  constructor(private readonly shape: Shape) {}

  /** The days, oldest first; today's takings as entries. */
  *days(): Iterable<DayRows> {
    const first = this.shape.today - this.shape.days + 1;
    for (let i = 0; i < this.shape.days; i++) yield this.day(first + i, i);
  }

  private day(day: number, i: number): DayRows {
    const { shape } = this;
    const isToday = day === shape.today;
    const rows: DayRows = {
      day,
      takings: [],
      payments: [],
      items: [],
      money: [],
      itemRollup: [],
      passages: [],
      hourly: [],
      entries: [],
    };
    const money = new Map<string, Row>();
    const items = new Map<string, Row>();
    const add = (entry: TakingEntry) => {
      if (isToday) {
        rows.entries.push(entry);
        return;
      }
      const id = this.nextTaking++;
      const amount = entry.payments.reduce((n, p) => n + p.amountFen, 0);
      rows.takings.push([
        id,
        entry.source,
        entry.sourceId,
        entry.siteId,
        entry.day,
        entry.at,
        entry.channel,
        entry.windowId,
        entry.cashierId,
        null,
        entry.agencyId,
        amount,
        entry.items.reduce((n, it) => n + it.tickets, 0),
        entry.items.reduce((n, it) => n + it.persons, 0),
      ]);
      const w = entry.windowId ?? '';
      const c = entry.cashierId ?? '';
      for (const p of entry.payments) {
        rows.payments.push([id, p.method, p.amountFen]);
        const key = `${entry.source}|${entry.channel}|${p.method}|${w}|${c}`;
        const row = money.get(key) ?? [SITE, day, entry.source, entry.channel, p.method, w, c, '', 0, 0];
        row[8] = (row[8] as number) + 1;
        row[9] = (row[9] as number) + p.amountFen;
        money.set(key, row);
      }
      for (const it of entry.items) {
        rows.items.push([id, it.typeId, it.tickets, it.persons, it.amountFen]);
        const key = `${entry.source}|${entry.channel}|${it.typeId}|${w}|${c}`;
        const row = items.get(key) ?? [SITE, day, entry.source, entry.channel, it.typeId, w, c, '', 0, 0, 0];
        row[8] = (row[8] as number) + it.tickets;
        row[9] = (row[9] as number) + it.persons;
        row[10] = (row[10] as number) + it.amountFen;
        items.set(key, row);
      }
    };
    for (let n = share(shape.sales, shape.days, i); n > 0; n--) add(this.sale(day));
    for (let n = share(shape.refunds, shape.days, i); n > 0; n--) add(this.refund(day));
    rows.money.push(...money.values());
    rows.itemRollup.push(...items.values());
    this.passagesOf(day, share(shape.passages, shape.days, i), rows, !isToday);
    return rows;
  }

  private cashierAt(window: number, at: number): string {
    const hour = Math.floor(((((at + OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS);
    return this.shape.cashiers[window + (hour >= 13 ? 6 : 0)]!;
  }

  private sale(day: number): TakingEntry {
    const r = this.rand;
    const at = instantOn(day, r());
    const c = r();
    const channel = c < 0.6 ? 'window' : c < 0.85 ? 'online' : 'ota';
    const window = Math.floor(r() * WINDOWS.length);
    const lines = new Map<number, { typeId: number; tickets: number; persons: number; amountFen: number }>();
    for (let k = r() < 0.15 ? 2 : 1; k > 0; k--) {
      const type = pickType(r());
      const quantity = type.persons > 1 ? 1 : 1 + Math.floor(r() * 4);
      const line = lines.get(type.id) ?? { typeId: type.id, tickets: 0, persons: 0, amountFen: 0 };
      line.tickets += quantity;
      line.persons += quantity * type.persons;
      line.amountFen += quantity * type.priceFen;
      lines.set(type.id, line);
    }
    const total = [...lines.values()].reduce((n, l) => n + l.amountFen, 0);
    const m = r();
    const method: TakingMethod =
      channel === 'window'
        ? m < 0.2
          ? 'cash'
          : m < 0.3
            ? 'bank_card'
            : m < 0.75
              ? 'wechat'
              : 'alipay'
        : m < 0.6
          ? 'wechat'
          : 'alipay';
    const payments =
      channel === 'window' && r() < 0.05 && method !== 'cash'
        ? [
            { method: 'cash' as const, amountFen: Math.floor(total / 2) },
            { method, amountFen: total - Math.floor(total / 2) },
          ]
        : [{ method, amountFen: total }];
    const atWindow = channel === 'window';
    return {
      source: 'sale' as TakingSource,
      sourceId: `S${this.nextSale++}`,
      siteId: SITE,
      at,
      day,
      channel,
      windowId: atWindow ? WINDOWS[window]! : null,
      cashierId: atWindow ? this.cashierAt(window, at) : null,
      agencyId: null,
      payments,
      items: [...lines.values()],
    };
  }

  private refund(day: number): TakingEntry {
    const r = this.rand;
    const at = instantOn(day, r());
    const type = pickType(r());
    const tickets = type.persons > 1 ? 1 : 1 + Math.floor(r() * 2);
    const amountFen = Math.floor(tickets * type.priceFen * 0.9);
    const method: TakingMethod = r() < 0.3 ? 'cash' : 'wechat';
    return {
      source: 'refund',
      sourceId: `R${this.nextRefund++}`,
      siteId: SITE,
      at,
      day,
      channel: r() < 0.8 ? 'window' : 'online',
      // As refunds record them (refunds/takings.ts): the cashier, no window.
      windowId: null,
      cashierId: this.cashierAt(Math.floor(r() * WINDOWS.length), at),
      agencyId: null,
      payments: [{ method, amountFen: -amountFen }],
      items: [
        { typeId: type.id, tickets: -tickets, persons: -tickets * type.persons, amountFen: -amountFen },
      ],
    };
  }

  /** The day's passages (85 % entries) and, for earlier days, their hourly entries summed here. */
  private passagesOf(day: number, count: number, rows: DayRows, withHourly: boolean): void {
    const r = this.rand;
    const hourly = new Map<number, Row>();
    for (let n = 0; n < count; n++) {
      const at = instantOn(day, r());
      const ticketId = 1 + Math.floor(r() * this.shape.tickets);
      const type = typeOfTicket(ticketId);
      const inward = r() < 0.85;
      const persons = type.persons > 1 ? 1 + Math.floor(r() * type.persons) : 1;
      const gate = `G${1 + Math.floor(r() * 8)}`;
      rows.passages.push([
        `p${String(this.nextEvent++).padStart(10, '0')}`,
        'passage',
        SITE,
        'main',
        gate,
        ticketId,
        'qr',
        inward ? 'in' : 'out',
        persons,
        at,
        at + 500,
        0,
        null,
        null,
        0,
        null,
        null,
      ]);
      if (!withHourly || !inward) continue;
      const hour = Math.floor(((at + OFFSET_MS) % DAY_MS) / HOUR_MS);
      const key = hour * 100 + type.id;
      const row = hourly.get(key) ?? [SITE, day, hour, type.id, 0, 0, 0];
      row[4] = (row[4] as number) + 1;
      row[5] = (row[5] as number) + persons;
      if (type.persons > 1) row[6] = (row[6] as number) + persons;
      hourly.set(key, row);
    }
    rows.hourly.push(...hourly.values());
  }
}

/** Column names and PostgreSQL types of what the bench writes in bulk. */
export const COLUMNS = {
  takings: [
    ['id', 'bigint'],
    ['source', 'text'],
    ['source_id', 'text'],
    ['site_id', 'text'],
    ['day', 'integer'],
    ['at', 'bigint'],
    ['channel', 'text'],
    ['window_id', 'text'],
    ['cashier_id', 'text'],
    ['shift_id', 'text'],
    ['agency_id', 'text'],
    ['amount_fen', 'bigint'],
    ['tickets', 'integer'],
    ['persons', 'integer'],
  ],
  taking_payments: [
    ['taking_id', 'bigint'],
    ['method', 'text'],
    ['amount_fen', 'bigint'],
  ],
  taking_items: [
    ['taking_id', 'bigint'],
    ['type_id', 'integer'],
    ['tickets', 'integer'],
    ['persons', 'integer'],
    ['amount_fen', 'bigint'],
  ],
  takings_day_money: [
    ['site_id', 'text'],
    ['day', 'integer'],
    ['source', 'text'],
    ['channel', 'text'],
    ['method', 'text'],
    ['window_id', 'text'],
    ['cashier_id', 'text'],
    ['agency_id', 'text'],
    ['payments', 'integer'],
    ['amount_fen', 'bigint'],
  ],
  takings_day_items: [
    ['site_id', 'text'],
    ['day', 'integer'],
    ['source', 'text'],
    ['channel', 'text'],
    ['type_id', 'integer'],
    ['window_id', 'text'],
    ['cashier_id', 'text'],
    ['agency_id', 'text'],
    ['tickets', 'integer'],
    ['persons', 'integer'],
    ['amount_fen', 'bigint'],
  ],
  passage_events: [
    ['event_id', 'text'],
    ['kind', 'text'],
    ['site_id', 'text'],
    ['zone_id', 'text'],
    ['gate_id', 'text'],
    ['ticket_id', 'bigint'],
    ['credential_kind', 'text'],
    ['direction', 'text'],
    ['persons', 'integer'],
    ['at', 'bigint'],
    ['received_at', 'bigint'],
    ['decided_offline', 'integer'],
    ['entries_left', 'integer'],
    ['correlation_id', 'text'],
    ['unconfirmed', 'integer'],
    ['reason', 'text'],
    ['code_hash', 'text'],
  ],
  passage_hourly_entries: [
    ['site_id', 'text'],
    ['day', 'integer'],
    ['hour', 'integer'],
    ['type_id', 'integer'],
    ['entries', 'integer'],
    ['persons', 'integer'],
    ['group_persons', 'integer'],
  ],
} as const satisfies Record<string, readonly (readonly [string, string])[]>;
export type BulkTable = keyof typeof COLUMNS;
