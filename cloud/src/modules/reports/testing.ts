/**
 * Fixtures for the reports' suites: two sites (park in Asia/Shanghai with the tickets module's types and windows
 * W01, W02; lake with its own type), cashiers, an agency; random takings recorded through the takings service, and
 * the summary recomputed from the journal rows in JS (what the rollups must agree with).
 */
import fc from 'fast-check';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { transaction } from '../../db/transaction.js';
import { seedRoles } from '../../platform/auth/roles-seed.js';
import { insertTestOperator } from '../../platform/auth/testing.js';
import { TAKING_METHODS, type TakingEntry, type TakingSource } from '../takings/contract.js';
import { TakingsService } from '../takings/service.js';
import { TicketTypesService } from '../ticket-types/service.js';
import { SYSTEM_CONTEXT, seedVenue, TYPES } from '../tickets/testing.js';
import { VenuesService } from '../venues/service.js';
import { dateOf, monthOf } from './period.js';
import type { SummaryDimension, SummaryFigures } from './summary.js';

export const LAKE_TYPE = 201;

export interface ReportsFixture {
  readonly cashiers: readonly string[];
  readonly agencyId: string;
}

/** park (W01, W02, the TYPES), lake (LW1, type 201), two cashiers, one agency. */
export async function seedReportsVenue(db: Kysely<Database>): Promise<ReportsFixture> {
  await seedVenue(db);
  const venues = new VenuesService(db);
  await venues.createWindow(
    'park',
    { id: 'W02', name: { zh: '二号窗口', en: 'Window 2' }, active: true },
    SYSTEM_CONTEXT,
  );
  await venues.createSite(
    {
      id: 'lake',
      name: { zh: '湖区', en: 'Lake' },
      timezone: 'Asia/Shanghai',
      dailyCapacity: null,
      agePolicy: [],
    },
    SYSTEM_CONTEXT,
  );
  await venues.createWindow(
    'lake',
    { id: 'LW1', name: { zh: '湖区窗口', en: 'Lake window' }, active: true },
    SYSTEM_CONTEXT,
  );
  await new TicketTypesService(db, venues).create(
    {
      typeId: LAKE_TYPE,
      siteId: 'lake',
      code: 'LAKE',
      name: { zh: '游船票', en: 'Boat' },
      kind: 'single',
      prices: { window: 3_000 },
    },
    SYSTEM_CONTEXT,
  );
  await seedRoles(db);
  const cashiers = [
    await insertTestOperator(db, 'cash_li', 'cashier', { displayName: '李收银' }),
    await insertTestOperator(db, 'cash_wang', 'cashier', { displayName: '王收银' }),
  ];
  const agencyId = 'agency-1';
  await db
    .insertInto('agencies')
    .values({
      id: agencyId,
      name: '春秋旅行社',
      licence_no: 'L-0001',
      contacts_json: '[]',
      status: 'active',
      payment_mode: 'prepaid',
      credit_limit_fen: 0,
      balance_fen: 0,
      ledger_seq: 0,
      last_entry_at: 0,
      created_at: 0,
      updated_at: 0,
    })
    .execute();
  return { cashiers, agencyId };
}

/** Records the takings in one transaction each, as the money-moving services do. */
export async function recordTakings(db: Kysely<Database>, entries: readonly TakingEntry[]): Promise<void> {
  const takings = new TakingsService();
  for (const entry of entries) await transaction(db, (trx) => takings.record(trx, entry));
}

/** Random takings over days `firstDay`…`firstDay + days − 1` of park and lake. */
export function takingsArbitrary(
  fixture: ReportsFixture,
  firstDay: number,
  days: number,
  count: { minLength: number; maxLength: number },
): fc.Arbitrary<TakingEntry[]> {
  const parkTypes = [TYPES.adult, TYPES.realName, TYPES.group];
  const taking = fc
    .record({
      source: fc.constantFrom<TakingSource>('sale', 'sale', 'sale', 'refund', 'supplement', 'order'),
      lake: fc.boolean(),
      day: fc.integer({ min: firstDay, max: firstDay + days - 1 }),
      channel: fc.constantFrom('window', 'online', 'ota', 'agency'),
      window: fc.constantFrom<string | null>('W01', 'W02', null),
      cashier: fc.constantFrom<number | null>(0, 1, null),
      agency: fc.boolean(),
      methods: fc.uniqueArray(fc.constantFrom(...TAKING_METHODS), { minLength: 0, maxLength: 2 }),
      amounts: fc.array(fc.integer({ min: 1, max: 50_000 }), { minLength: 2, maxLength: 2 }),
      items: fc.array(
        fc.record({
          type: fc.integer({ min: 0, max: 2 }),
          tickets: fc.integer({ min: 0, max: 5 }),
          persons: fc.integer({ min: 1, max: 3 }),
          amountFen: fc.integer({ min: 0, max: 30_000 }),
        }),
        { minLength: 0, maxLength: 3 },
      ),
      // Money without tickets (a fee), or a ticket line whose money differs from the payments.
      feeOnly: fc.boolean(),
      n: fc.integer({ min: 0, max: 1_000_000_000 }),
    })
    .map(({ source, lake, day, channel, window, cashier, agency, methods, amounts, items, feeOnly, n }) => {
      const sign = source === 'refund' ? -1 : 1;
      const siteId = lake ? 'lake' : 'park';
      const entry: TakingEntry = {
        source,
        sourceId: `src-${day}-${n}`,
        siteId,
        at: day * 86_400_000 - 8 * 3_600_000 + 36_000_000,
        day,
        channel,
        windowId: window === null ? null : lake ? 'LW1' : window,
        cashierId: cashier === null ? null : fixture.cashiers[cashier]!,
        agencyId: agency ? fixture.agencyId : null,
        payments: methods.map((method, m) => ({ method, amountFen: sign * amounts[m]! })),
        items: feeOnly
          ? []
          : items.map((item) => ({
              typeId: lake ? LAKE_TYPE : parkTypes[item.type]!,
              tickets: sign * item.tickets,
              persons: sign * item.tickets * item.persons,
              amountFen: sign * item.amountFen,
            })),
      };
      return entry;
    });
  return fc.array(taking, count);
}

type Key = string;
export type Figures = Record<TakingSource, { tickets: number; persons: number; amountFen: number }>;

/** The journal as stored: every taking with its payments and items. */
export async function journal(db: Kysely<Database>) {
  const takings = await db.selectFrom('takings').selectAll().orderBy('id').execute();
  const payments = await db.selectFrom('taking_payments').selectAll().execute();
  const items = await db.selectFrom('taking_items').selectAll().execute();
  return takings.map((t) => ({
    ...t,
    id: Number(t.id),
    day: Number(t.day),
    amount_fen: Number(t.amount_fen),
    tickets: Number(t.tickets),
    persons: Number(t.persons),
    payments: payments
      .filter((p) => Number(p.taking_id) === Number(t.id))
      .map((p) => ({ method: p.method, amountFen: Number(p.amount_fen) })),
    items: items
      .filter((i) => Number(i.taking_id) === Number(t.id))
      .map((i) => ({
        typeId: Number(i.type_id),
        tickets: Number(i.tickets),
        persons: Number(i.persons),
        amountFen: Number(i.amount_fen),
      })),
  }));
}
export type JournalRow = Awaited<ReturnType<typeof journal>>[number];

export interface JournalFilter {
  fromDay: number;
  toDay: number;
  siteId?: string;
  typeId?: number;
  method?: string;
  channel?: string;
  windowId?: string;
  cashierId?: string;
  agencyId?: string;
  source?: string;
}

/** The takings the history's filter keeps, recomputed in JS. */
export function journalMatches(row: JournalRow, f: JournalFilter): boolean {
  return (
    row.day >= f.fromDay &&
    row.day <= f.toDay &&
    (f.siteId === undefined || row.site_id === f.siteId) &&
    (f.channel === undefined || row.channel === f.channel) &&
    (f.windowId === undefined || row.window_id === f.windowId) &&
    (f.cashierId === undefined || row.cashier_id === f.cashierId) &&
    (f.agencyId === undefined || row.agency_id === f.agencyId) &&
    (f.source === undefined || row.source === f.source) &&
    (f.method === undefined || row.payments.some((p) => p.method === f.method)) &&
    (f.typeId === undefined || row.items.some((i) => i.typeId === f.typeId))
  );
}

const emptyFigures = (): Figures => ({
  sale: { tickets: 0, persons: 0, amountFen: 0 },
  refund: { tickets: 0, persons: 0, amountFen: 0 },
  supplement: { tickets: 0, persons: 0, amountFen: 0 },
  order: { tickets: 0, persons: 0, amountFen: 0 },
});

function dimensionValue(
  d: SummaryDimension,
  row: JournalRow,
  extra: { method?: string; typeId?: number | null },
) {
  switch (d) {
    case 'day':
      return dateOf(row.day);
    case 'month':
      return monthOf(row.day);
    case 'type':
      return extra.typeId ?? null;
    case 'method':
      return extra.method ?? null;
    case 'channel':
      return row.channel;
    case 'window':
      return row.window_id === null ? null : `${row.site_id}/${row.window_id}`;
    case 'cashier':
      return row.cashier_id;
    case 'agency':
      return row.agency_id;
    case 'source':
      return row.source;
  }
}

/**
 * The summary's groups recomputed from the journal, by the same rules (method groups: payments; type groups:
 * items, and each taking's money beyond its items in the "no type" group; otherwise taking money and tickets),
 * with the filter applied to the rows of each kind as the rollups apply it. Keys: JSON of the group's ids.
 */
export function recomputeSummary(
  rows: readonly JournalRow[],
  dimensions: readonly SummaryDimension[],
  f: JournalFilter,
): Map<Key, Figures> {
  const byType = dimensions.includes('type') || f.typeId !== undefined;
  const byMethod = dimensions.includes('method') || f.method !== undefined;
  const groups = new Map<Key, Figures>();
  const add = (
    row: JournalRow,
    extra: { method?: string; typeId?: number | null },
    figure: { tickets: number; persons: number; amountFen: number },
  ) => {
    const key = JSON.stringify(dimensions.map((d) => dimensionValue(d, row, extra)));
    const figures = groups.get(key) ?? emptyFigures();
    const target = figures[row.source];
    target.tickets += figure.tickets;
    target.persons += figure.persons;
    target.amountFen += figure.amountFen;
    groups.set(key, figures);
  };
  const { method: _m, typeId: _t, ...plain } = f;
  for (const row of rows) {
    if (!journalMatches(row, plain)) continue;
    if (byMethod) {
      for (const p of row.payments)
        if (f.method === undefined || p.method === f.method)
          add(row, { method: p.method }, { tickets: 0, persons: 0, amountFen: p.amountFen });
    } else if (byType) {
      for (const i of row.items)
        if (f.typeId === undefined || i.typeId === f.typeId) add(row, { typeId: i.typeId }, i);
      if (f.typeId === undefined) {
        const rest =
          row.payments.reduce((n, p) => n + p.amountFen, 0) - row.items.reduce((n, i) => n + i.amountFen, 0);
        if (rest !== 0) add(row, { typeId: null }, { tickets: 0, persons: 0, amountFen: rest });
      }
    } else {
      add(
        row,
        {},
        {
          tickets: row.items.reduce((n, i) => n + i.tickets, 0),
          persons: row.items.reduce((n, i) => n + i.persons, 0),
          amountFen: row.payments.reduce((n, p) => n + p.amountFen, 0),
        },
      );
    }
  }
  return groups;
}

/** A summary's figures as the per-source signed sums (refunds back to negative), to compare with recomputed ones. */
export function signedFigures(f: SummaryFigures): Figures {
  const n = (x: number | null) => x ?? 0;
  return {
    sale: { tickets: n(f.sales.tickets), persons: n(f.sales.persons), amountFen: f.sales.amountFen },
    refund: {
      tickets: 0 - n(f.refunds.tickets),
      persons: 0 - n(f.refunds.persons),
      amountFen: 0 - f.refunds.amountFen,
    },
    supplement: {
      tickets: n(f.supplements.tickets),
      persons: n(f.supplements.persons),
      amountFen: f.supplements.amountFen,
    },
    order: { tickets: n(f.orders.tickets), persons: n(f.orders.persons), amountFen: f.orders.amountFen },
  };
}
