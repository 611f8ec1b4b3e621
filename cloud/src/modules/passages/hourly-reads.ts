/**
 * What reports read of the hourly entries (hourly.ts): sums over a range of site-local days, grouped by any of site,
 * day, hour and ticket type, limited to the caller's sites. A statement of the passages module on its own table.
 */
import type { Connection } from '../../db/scoped.js';
import { type SiteScope, siteCondition } from '../../platform/site-scope.js';
import { passageTables } from './tables.js';

export const HOURLY_DIMENSIONS = ['site_id', 'day', 'hour', 'type_id'] as const;
export type HourlyDimension = (typeof HOURLY_DIMENSIONS)[number];

export interface HourlyFilter {
  /** Site-local day numbers, inclusive. */
  readonly fromDay: number;
  readonly toDay: number;
  readonly siteId?: string | undefined;
  readonly typeId?: number | undefined;
}

export type HourlySum<D extends HourlyDimension> = {
  readonly [K in D]: K extends 'site_id' ? string : number;
} & {
  readonly entries: number;
  readonly persons: number;
  readonly groupPersons: number;
};

/** Entries, persons and group persons over the filter, grouped by `dimensions` (none: one total, or nothing). */
export async function sumHourlyEntries<D extends HourlyDimension>(
  db: Connection,
  filter: HourlyFilter,
  dimensions: readonly D[],
  scope: SiteScope,
): Promise<HourlySum<D>[]> {
  let query = passageTables(db)
    .selectFrom('passage_hourly_entries')
    .where(siteCondition(scope, 'site_id'))
    .where('day', '>=', filter.fromDay)
    .where('day', '<=', filter.toDay);
  if (filter.siteId !== undefined) query = query.where('site_id', '=', filter.siteId);
  if (filter.typeId !== undefined) query = query.where('type_id', '=', filter.typeId);
  const rows = await query
    .select((eb) => [
      ...dimensions,
      eb.fn.sum<number>('entries').as('entries'),
      eb.fn.sum<number>('persons').as('persons'),
      eb.fn.sum<number>('group_persons').as('group_persons'),
    ])
    .$if(dimensions.length > 0, (q) => q.groupBy([...dimensions]))
    .execute();
  return rows
    .filter((row) => row.entries !== null)
    .map((found) => {
      const row = found as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const dimension of dimensions)
        out[dimension] = dimension === 'site_id' ? row[dimension] : Number(row[dimension]);
      out.entries = Number(row.entries);
      out.persons = Number(row.persons);
      out.groupPersons = Number(row.group_persons);
      return out as HourlySum<D>;
    });
}
