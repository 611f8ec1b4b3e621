/**
 * What reports may read of the takings (销售历史查询, 销售汇总表, 决策分析): the journal listed with filters and keyset
 * paging, its totals over a filter, and sums of the day rollups grouped by any of their dimensions. Statements of the
 * takings module, typed on its tables only, run on any connection (db/scoped.ts); every one is limited to the
 * caller's sites (`siteCondition`). Days are site-local day numbers, as the journal stores them.
 */
import { type ExpressionBuilder, sql } from 'kysely';
import type { Connection } from '../../db/scoped.js';
import { type SiteScope, siteCondition } from '../../platform/site-scope.js';
import type { TakingMethod, TakingSource } from './contract.js';
import { type TakingDb, type TakingTables, takingTables } from './tables.js';

/** A filter over the journal or the rollups: each given field must match; days inclusive. */
export interface TakingFilter {
  readonly fromDay: number;
  readonly toDay: number;
  readonly siteId?: string | undefined;
  readonly source?: TakingSource | undefined;
  readonly channel?: string | undefined;
  readonly windowId?: string | undefined;
  readonly cashierId?: string | undefined;
  readonly agencyId?: string | undefined;
  /** The journal: takings with a payment by this method. Money rollup: that method's rows. */
  readonly method?: TakingMethod | undefined;
  /** The journal: takings with tickets or money of this type. Items rollup: that type's rows. */
  readonly typeId?: number | undefined;
}

export interface TakingLine {
  readonly id: number;
  readonly source: TakingSource;
  readonly sourceId: string;
  readonly siteId: string;
  readonly day: number;
  readonly at: number;
  readonly channel: string;
  readonly windowId: string | null;
  readonly cashierId: string | null;
  readonly shiftId: string | null;
  readonly agencyId: string | null;
  readonly amountFen: number;
  readonly tickets: number;
  readonly persons: number;
  readonly payments: { method: TakingMethod; amountFen: number }[];
  readonly items: { typeId: number; tickets: number; persons: number; amountFen: number }[];
}

type JournalBuilder = ExpressionBuilder<TakingTables, 'takings'>;

function journalWhere(filter: TakingFilter, scope: SiteScope) {
  return (eb: JournalBuilder) => {
    const conditions = [
      siteCondition(scope, 'takings.site_id'),
      eb('takings.day', '>=', filter.fromDay),
      eb('takings.day', '<=', filter.toDay),
    ];
    if (filter.siteId !== undefined) conditions.push(eb('takings.site_id', '=', filter.siteId));
    if (filter.source !== undefined) conditions.push(eb('takings.source', '=', filter.source));
    if (filter.channel !== undefined) conditions.push(eb('takings.channel', '=', filter.channel));
    if (filter.windowId !== undefined) conditions.push(eb('takings.window_id', '=', filter.windowId));
    if (filter.cashierId !== undefined) conditions.push(eb('takings.cashier_id', '=', filter.cashierId));
    if (filter.agencyId !== undefined) conditions.push(eb('takings.agency_id', '=', filter.agencyId));
    if (filter.method !== undefined) {
      const method = filter.method;
      conditions.push(
        eb.exists(
          eb
            .selectFrom('taking_payments')
            .select('taking_payments.taking_id')
            .whereRef('taking_payments.taking_id', '=', 'takings.id')
            .where('taking_payments.method', '=', method),
        ),
      );
    }
    if (filter.typeId !== undefined) {
      const typeId = filter.typeId;
      conditions.push(
        eb.exists(
          eb
            .selectFrom('taking_items')
            .select('taking_items.taking_id')
            .whereRef('taking_items.taking_id', '=', 'takings.id')
            .where('taking_items.type_id', '=', typeId),
        ),
      );
    }
    return eb.and(conditions);
  };
}

/**
 * Up to `limit` takings of the filter, newest first by id (the journal's insertion order), strictly before `beforeId`
 * when given: keyset paging that stays stable while takings keep arriving. Each with its payments and items.
 */
export async function listTakings(
  db: Connection,
  filter: TakingFilter,
  page: { readonly beforeId?: number | undefined; readonly limit: number },
  scope: SiteScope,
): Promise<TakingLine[]> {
  const tables = takingTables(db);
  let query = tables.selectFrom('takings').selectAll().where(journalWhere(filter, scope));
  if (page.beforeId !== undefined) query = query.where('takings.id', '<', page.beforeId);
  const rows = await query.orderBy('takings.id', 'desc').limit(page.limit).execute();
  if (rows.length === 0) return [];
  const ids = rows.map((row) => Number(row.id));
  const [payments, items] = await Promise.all([
    tables
      .selectFrom('taking_payments')
      .select(['taking_id', 'method', 'amount_fen'])
      .where('taking_id', 'in', ids)
      .execute(),
    tables
      .selectFrom('taking_items')
      .select(['taking_id', 'type_id', 'tickets', 'persons', 'amount_fen'])
      .where('taking_id', 'in', ids)
      .orderBy('type_id')
      .execute(),
  ]);
  const paymentsOf = groupBy(payments, (p) => Number(p.taking_id));
  const itemsOf = groupBy(items, (i) => Number(i.taking_id));
  return rows.map((row) => {
    const id = Number(row.id);
    return {
      id,
      source: row.source,
      sourceId: row.source_id,
      siteId: row.site_id,
      day: Number(row.day),
      at: Number(row.at),
      channel: row.channel,
      windowId: row.window_id,
      cashierId: row.cashier_id,
      shiftId: row.shift_id,
      agencyId: row.agency_id,
      amountFen: Number(row.amount_fen),
      tickets: Number(row.tickets),
      persons: Number(row.persons),
      payments: (paymentsOf.get(id) ?? []).map((p) => ({
        method: p.method,
        amountFen: Number(p.amount_fen),
      })),
      items: (itemsOf.get(id) ?? []).map((i) => ({
        typeId: Number(i.type_id),
        tickets: Number(i.tickets),
        persons: Number(i.persons),
        amountFen: Number(i.amount_fen),
      })),
    };
  });
}

function groupBy<T>(rows: readonly T[], key: (row: T) => number): Map<number, T[]> {
  const map = new Map<number, T[]>();
  for (const row of rows) {
    const list = map.get(key(row));
    if (list) list.push(row);
    else map.set(key(row), [row]);
  }
  return map;
}

export interface JournalTotals {
  /** Per source: how many takings, their money, tickets and persons. */
  readonly bySource: {
    source: TakingSource;
    takings: number;
    amountFen: number;
    tickets: number;
    persons: number;
  }[];
  /** The matching takings' payments per method (only the filter's method when it names one). */
  readonly byMethod: { method: TakingMethod; payments: number; amountFen: number }[];
}

/** Totals of every taking of the filter (not one page): two aggregate statements over the journal. */
export async function takingsTotals(
  db: Connection,
  filter: TakingFilter,
  scope: SiteScope,
): Promise<JournalTotals> {
  const tables = takingTables(db);
  const [sources, methods] = await Promise.all([
    tables
      .selectFrom('takings')
      .where(journalWhere(filter, scope))
      .select((eb) => [
        'takings.source',
        eb.fn.countAll<number>().as('takings'),
        eb.fn.sum<number>('takings.amount_fen').as('amount'),
        eb.fn.sum<number>('takings.tickets').as('tickets'),
        eb.fn.sum<number>('takings.persons').as('persons'),
      ])
      .groupBy('takings.source')
      .execute(),
    tables
      .selectFrom('taking_payments')
      .innerJoin('takings', 'takings.id', 'taking_payments.taking_id')
      .where(journalWhere(filter, scope))
      .$if(filter.method !== undefined, (q) => q.where('taking_payments.method', '=', filter.method!))
      .select((eb) => [
        'taking_payments.method',
        eb.fn.countAll<number>().as('payments'),
        eb.fn.sum<number>('taking_payments.amount_fen').as('amount'),
      ])
      .groupBy('taking_payments.method')
      .execute(),
  ]);
  return {
    bySource: sources.map((row) => ({
      source: row.source,
      takings: Number(row.takings),
      amountFen: Number(row.amount),
      tickets: Number(row.tickets),
      persons: Number(row.persons),
    })),
    byMethod: methods.map((row) => ({
      method: row.method,
      payments: Number(row.payments),
      amountFen: Number(row.amount),
    })),
  };
}

/** Dimensions of the money rollup a sum may be grouped by. */
export const MONEY_DIMENSIONS = [
  'site_id',
  'day',
  'source',
  'channel',
  'method',
  'window_id',
  'cashier_id',
  'agency_id',
] as const;
export type MoneyDimension = (typeof MONEY_DIMENSIONS)[number];

/** Dimensions of the items rollup a sum may be grouped by. */
export const ITEM_DIMENSIONS = [
  'site_id',
  'day',
  'source',
  'channel',
  'type_id',
  'window_id',
  'cashier_id',
  'agency_id',
] as const;
export type ItemDimension = (typeof ITEM_DIMENSIONS)[number];

/** A group's key: the dimensions asked for, '' dimensions (none recorded) as null, days and types as numbers. */
export type GroupKey<D extends string> = {
  readonly [K in D]: K extends 'day' | 'type_id' ? number : string | null;
};

export type MoneySum<D extends MoneyDimension> = GroupKey<D> & {
  /** Takings with a payment by the row's method(s): a split payment counts once per method. */
  readonly payments: number;
  readonly amountFen: number;
};

export type ItemSum<D extends ItemDimension> = GroupKey<D> & {
  readonly tickets: number;
  readonly persons: number;
  readonly amountFen: number;
};

type RollupTable = 'takings_day_money' | 'takings_day_items';

function rollupWhere(
  table: RollupTable,
  filter: Omit<TakingFilter, 'method' | 'typeId'> & { method?: string; typeId?: number },
  scope: SiteScope,
) {
  // The rollups store an absent dimension as ''; a filter names a real one, so plain equality is right.
  return (eb: ExpressionBuilder<Pick<TakingTables, RollupTable>, RollupTable>) => {
    const ref = (column: string) => sql.ref(`${table}.${column}`);
    const conditions = [
      siteCondition(scope, `${table}.site_id`),
      sql<boolean>`${ref('day')} >= ${filter.fromDay}`,
      sql<boolean>`${ref('day')} <= ${filter.toDay}`,
    ];
    const equal = (column: string, value: string | number | undefined) => {
      if (value !== undefined) conditions.push(sql<boolean>`${ref(column)} = ${value}`);
    };
    equal('site_id', filter.siteId);
    equal('source', filter.source);
    equal('channel', filter.channel);
    equal('window_id', filter.windowId);
    equal('cashier_id', filter.cashierId);
    equal('agency_id', filter.agencyId);
    if (table === 'takings_day_money') equal('method', filter.method);
    else equal('type_id', filter.typeId);
    return eb.and(conditions);
  };
}

function keyOf(row: Record<string, unknown>, dimensions: readonly string[]): Record<string, unknown> {
  const key: Record<string, unknown> = {};
  for (const dimension of dimensions) {
    const value = row[dimension];
    if (dimension === 'day' || dimension === 'type_id') key[dimension] = Number(value);
    else key[dimension] = value === '' ? null : value;
  }
  return key;
}

/** Money of the day rollup over the filter (its `typeId` is ignored: money has no type), grouped by `dimensions`. */
export async function sumDayMoney<D extends MoneyDimension>(
  db: Connection,
  filter: TakingFilter,
  dimensions: readonly D[],
  scope: SiteScope,
): Promise<MoneySum<D>[]> {
  const { typeId: _ignored, ...rest } = filter;
  const rows = await (takingTables(db) as TakingDb)
    .selectFrom('takings_day_money')
    .where(rollupWhere('takings_day_money', rest, scope))
    .select((eb) => [
      ...dimensions.map((d) => `takings_day_money.${d}` as const),
      eb.fn.sum<number>('takings_day_money.payments').as('payments'),
      eb.fn.sum<number>('takings_day_money.amount_fen').as('amount'),
    ])
    .$if(dimensions.length > 0, (q) => q.groupBy(dimensions.map((d) => `takings_day_money.${d}` as const)))
    .execute();
  return rows
    .filter((row) => row.payments !== null)
    .map(
      (row) =>
        ({
          ...keyOf(row, dimensions),
          payments: Number(row.payments),
          amountFen: Number(row.amount),
        }) as MoneySum<D>,
    );
}

/** Tickets, persons and money by type of the day rollup over the filter (its `method` is ignored), grouped. */
export async function sumDayItems<D extends ItemDimension>(
  db: Connection,
  filter: TakingFilter,
  dimensions: readonly D[],
  scope: SiteScope,
): Promise<ItemSum<D>[]> {
  const { method: _ignored, ...rest } = filter;
  const rows = await (takingTables(db) as TakingDb)
    .selectFrom('takings_day_items')
    .where(rollupWhere('takings_day_items', rest, scope))
    .select((eb) => [
      ...dimensions.map((d) => `takings_day_items.${d}` as const),
      eb.fn.sum<number>('takings_day_items.tickets').as('tickets'),
      eb.fn.sum<number>('takings_day_items.persons').as('persons'),
      eb.fn.sum<number>('takings_day_items.amount_fen').as('amount'),
    ])
    .$if(dimensions.length > 0, (q) => q.groupBy(dimensions.map((d) => `takings_day_items.${d}` as const)))
    .execute();
  return rows
    .filter((row) => row.tickets !== null)
    .map(
      (row) =>
        ({
          ...keyOf(row, dimensions),
          tickets: Number(row.tickets),
          persons: Number(row.persons),
          amountFen: Number(row.amount),
        }) as ItemSum<D>,
    );
}
