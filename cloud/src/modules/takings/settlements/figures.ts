/**
 * A day's takings figures by every dimension a settlement reports (source, tender, channel, ticket type, window,
 * cashier, agency), worked out from the takings rollups (`takings_day_money`, `takings_day_items`) and the journal's
 * count of takings per source. Figures add up and subtract dimension by dimension, so a month is the sum of its days
 * and what arrived after a day closed is the live figures less what the day closed with. Every list is sorted by
 * its key and leaves out rows that are all zero, so equal figures are equal JSON.
 */
import type { TakingMethod, TakingSource } from '../contract.js';

export interface MoneyRow {
  readonly source: TakingSource;
  readonly channel: string;
  readonly method: TakingMethod;
  readonly windowId: string;
  readonly cashierId: string;
  readonly agencyId: string;
  readonly payments: number;
  readonly amountFen: number;
}

export interface ItemRow {
  readonly source: TakingSource;
  readonly channel: string;
  readonly typeId: number;
  readonly windowId: string;
  readonly cashierId: string;
  readonly agencyId: string;
  readonly tickets: number;
  readonly persons: number;
  readonly amountFen: number;
}

export interface Totals {
  takings: number;
  amountFen: number;
  tickets: number;
  persons: number;
}

export interface Figures {
  totals: Totals;
  bySource: { source: TakingSource; count: number; amountFen: number; tickets: number; persons: number }[];
  byTender: { method: TakingMethod; payments: number; amountFen: number }[];
  byChannel: { channel: string; amountFen: number; tickets: number; persons: number }[];
  byType: { typeId: number; tickets: number; persons: number; amountFen: number }[];
  byWindow: { windowId: string | null; amountFen: number; tickets: number; persons: number }[];
  byCashier: { cashierId: string | null; amountFen: number; tickets: number; persons: number }[];
  byAgency: { agencyId: string | null; amountFen: number; tickets: number; persons: number }[];
}

type Lists = Omit<Figures, 'totals'>;
type ListName = keyof Lists;

/** Each list's key field; the other fields are numbers that add up. */
const KEYS: { readonly [L in ListName]: keyof Lists[L][number] } = {
  bySource: 'source',
  byTender: 'method',
  byChannel: 'channel',
  byType: 'typeId',
  byWindow: 'windowId',
  byCashier: 'cashierId',
  byAgency: 'agencyId',
};
const LIST_NAMES = Object.keys(KEYS) as ListName[];

export function emptyFigures(): Figures {
  return {
    totals: { takings: 0, amountFen: 0, tickets: 0, persons: 0 },
    bySource: [],
    byTender: [],
    byChannel: [],
    byType: [],
    byWindow: [],
    byCashier: [],
    byAgency: [],
  };
}

/** '' in the rollups stands for "none" (no window, cashier or agency); the API says null. */
const orNull = (value: string) => (value === '' ? null : value);

/** The figures of one day's rollup rows and its count of takings per source. */
export function figuresOf(
  money: readonly MoneyRow[],
  items: readonly ItemRow[],
  counts: readonly { source: TakingSource; count: number }[],
): Figures {
  const acc = new Accumulator();
  for (const c of counts) acc.add('bySource', c.source, { count: c.count });
  for (const m of money) {
    const amount = { amountFen: m.amountFen };
    acc.add('bySource', m.source, amount);
    acc.add('byTender', m.method, { payments: m.payments, amountFen: m.amountFen });
    acc.add('byChannel', m.channel, amount);
    acc.add('byWindow', orNull(m.windowId), amount);
    acc.add('byCashier', orNull(m.cashierId), amount);
    acc.add('byAgency', orNull(m.agencyId), amount);
  }
  for (const i of items) {
    const heads = { tickets: i.tickets, persons: i.persons };
    acc.add('bySource', i.source, heads);
    acc.add('byType', i.typeId, { ...heads, amountFen: i.amountFen });
    acc.add('byChannel', i.channel, heads);
    acc.add('byWindow', orNull(i.windowId), heads);
    acc.add('byCashier', orNull(i.cashierId), heads);
    acc.add('byAgency', orNull(i.agencyId), heads);
  }
  return acc.figures();
}

/** a + b × sign, dimension by dimension. */
export function combine(a: Figures, b: Figures, sign: 1 | -1 = 1): Figures {
  const acc = new Accumulator();
  for (const [figures, factor] of [
    [a, 1],
    [b, sign],
  ] as const)
    for (const name of LIST_NAMES)
      for (const row of figures[name] as unknown as Record<string, unknown>[]) {
        const key = row[KEYS[name] as string] as string | number | null;
        const numbers: Record<string, number> = {};
        for (const [field, value] of Object.entries(row))
          if (field !== KEYS[name] && typeof value === 'number') numbers[field] = value * factor;
        acc.add(name, key, numbers);
      }
  return acc.figures();
}

export function sumFigures(all: readonly Figures[]): Figures {
  return all.reduce((sum, f) => combine(sum, f), emptyFigures());
}

export function isEmptyFigures(f: Figures): boolean {
  return LIST_NAMES.every((name) => f[name].length === 0);
}

const TEMPLATES: { readonly [L in ListName]: Record<string, number> } = {
  bySource: { count: 0, amountFen: 0, tickets: 0, persons: 0 },
  byTender: { payments: 0, amountFen: 0 },
  byChannel: { amountFen: 0, tickets: 0, persons: 0 },
  byType: { tickets: 0, persons: 0, amountFen: 0 },
  byWindow: { amountFen: 0, tickets: 0, persons: 0 },
  byCashier: { amountFen: 0, tickets: 0, persons: 0 },
  byAgency: { amountFen: 0, tickets: 0, persons: 0 },
};

class Accumulator {
  private readonly lists = new Map<ListName, Map<string | number | null, Record<string, number>>>();

  add(name: ListName, key: string | number | null, numbers: Record<string, number>): void {
    let list = this.lists.get(name);
    if (!list) {
      list = new Map();
      this.lists.set(name, list);
    }
    let row = list.get(key);
    if (!row) {
      row = { ...TEMPLATES[name] };
      list.set(key, row);
    }
    for (const [field, value] of Object.entries(numbers)) row[field] = (row[field] ?? 0) + value;
  }

  figures(): Figures {
    const out = emptyFigures() as unknown as Record<ListName, Record<string, unknown>[]> & { totals: Totals };
    for (const name of LIST_NAMES) {
      const list = this.lists.get(name) ?? new Map();
      out[name] = [...list.entries()]
        .filter(([, numbers]) => Object.values(numbers).some((n) => n !== 0))
        .sort(([a], [b]) => compareKeys(a, b))
        .map(([key, numbers]) => ({ [KEYS[name]]: key, ...numbers }));
    }
    const bySource = out.bySource as unknown as Figures['bySource'];
    out.totals = {
      takings: bySource.reduce((s, r) => s + r.count, 0),
      amountFen: bySource.reduce((s, r) => s + r.amountFen, 0),
      tickets: bySource.reduce((s, r) => s + r.tickets, 0),
      persons: bySource.reduce((s, r) => s + r.persons, 0),
    };
    return out as unknown as Figures;
  }
}

/** null first, numbers by value, text by code point (the same order on every machine). */
function compareKeys(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : 1;
}
