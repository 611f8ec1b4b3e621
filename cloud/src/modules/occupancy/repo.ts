/** The occupancy module's SQL (counters, alerts, in-park capacities). Callers pass a db or a transaction. */

import type { Selectable } from 'kysely';
import { type Connection, readModel } from '../../db/scoped.js';
import { type SiteScope, siteCondition } from '../../platform/site-scope.js';
import {
  type AutoCheckoutRunsTable,
  type OccupancyAlertsTable,
  type OccupancyCountersTable,
  occupancyTables,
} from './tables.js';

type Db = Connection;
export type CounterRow = Selectable<OccupancyCountersTable>;
export type AlertRow = Selectable<OccupancyAlertsTable>;
export type CheckoutRunRow = Selectable<AutoCheckoutRunsTable>;

/**
 * Read model, on the passage path: a site's time zone and zones (venues) with its in-park capacity (this module's),
 * one row per zone (zone_id null: none), in one statement where per owner it would be two round trips.
 */
const siteWithZones = readModel<'sites' | 'zones' | 'site_occupancy_settings'>();

const occupancySettings = siteWithZones.precompile<
  { siteId: string },
  { timezone: string; site_capacity: number | null; zone_id: string | null; zone_capacity: number | null }
>((db, p) =>
  db
    .selectFrom('sites')
    .leftJoin('site_occupancy_settings', 'site_occupancy_settings.site_id', 'sites.id')
    .leftJoin('zones', 'zones.site_id', 'sites.id')
    .select([
      'sites.timezone',
      'site_occupancy_settings.capacity as site_capacity',
      'zones.id as zone_id',
      'zones.capacity as zone_capacity',
    ])
    .where('sites.id', '=', p.siteId),
);

export interface SiteOccupancySettings {
  readonly timeZone: string;
  readonly siteCapacity: number | null;
  /** Every zone of the site, active or not (a passage counts wherever its gate stands). */
  readonly zoneCapacity: ReadonlyMap<string, number | null>;
}

/** undefined when the site does not exist. */
export async function occupancySettingsOf(
  db: Db,
  siteId: string,
): Promise<SiteOccupancySettings | undefined> {
  const rows = await occupancySettings.rows(db, { siteId });
  const first = rows[0];
  if (!first) return undefined;
  const zoneCapacity = new Map<string, number | null>();
  for (const row of rows) if (row.zone_id !== null) zoneCapacity.set(row.zone_id, row.zone_capacity);
  return { timeZone: first.timezone, siteCapacity: first.site_capacity, zoneCapacity };
}

const countersOfSiteDay = occupancyTables.precompile<{ siteId: string; day: string }, CounterRow>((db, p) =>
  db.selectFrom('occupancy_counters').selectAll().where('site_id', '=', p.siteId).where('day', '=', p.day),
);

/** The site's and its zones' counters of one day, keyed by zone_id ('' = the whole site). */
export async function countersOfSiteDayByZone(
  db: Db,
  siteId: string,
  day: string,
): Promise<Map<string, CounterRow>> {
  const rows = await countersOfSiteDay.rows(db, { siteId, day });
  return new Map(rows.map((row) => [row.zone_id, row]));
}

/**
 * Writes a counter's new figures, creating the row if it is not there yet. The caller read the row in the same
 * transaction (SQLite: under the write lock; PostgreSQL: serializable, so a concurrent writer makes one of the two
 * transactions fail and retry), so writing absolute values loses no concurrent change.
 */
const upsertCounterStatement = occupancyTables.precompile<
  {
    siteId: string;
    zoneId: string;
    day: string;
    entries: number;
    exits: number;
    inside: number;
    clamped: number;
    level: number;
    updatedAt: number;
  },
  never
>((db, p) =>
  db
    .insertInto('occupancy_counters')
    .values({
      site_id: p.siteId,
      zone_id: p.zoneId,
      day: p.day,
      entries: p.entries,
      exits: p.exits,
      inside: p.inside,
      clamped: p.clamped,
      level: p.level,
      updated_at: p.updatedAt,
    })
    .onConflict((oc) =>
      oc.columns(['site_id', 'zone_id', 'day']).doUpdateSet((eb) => ({
        entries: eb.ref('excluded.entries'),
        exits: eb.ref('excluded.exits'),
        inside: eb.ref('excluded.inside'),
        clamped: eb.ref('excluded.clamped'),
        level: eb.ref('excluded.level'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    ),
);

export async function upsertCounter(db: Db, row: CounterRow): Promise<void> {
  await upsertCounterStatement.rows(db, {
    siteId: row.site_id,
    zoneId: row.zone_id,
    day: row.day,
    entries: row.entries,
    exits: row.exits,
    inside: row.inside,
    clamped: row.clamped,
    level: row.level,
    updatedAt: row.updated_at,
  });
}

export async function countersOfDay(db: Db, siteId: string, day: string): Promise<CounterRow[]> {
  return occupancyTables(db)
    .selectFrom('occupancy_counters')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('day', '=', day)
    .execute();
}

export async function insertAlert(db: Db, alert: Omit<AlertRow, 'id'>): Promise<number> {
  const row = await occupancyTables(db)
    .insertInto('occupancy_alerts')
    .values(alert)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function listAlerts(
  db: Db,
  filter: { siteId?: string; from?: number; to?: number; limit: number },
  scope: SiteScope,
): Promise<AlertRow[]> {
  let query = occupancyTables(db)
    .selectFrom('occupancy_alerts')
    .selectAll()
    .where(siteCondition(scope, 'site_id'));
  if (filter.siteId !== undefined) query = query.where('site_id', '=', filter.siteId);
  if (filter.from !== undefined) query = query.where('at', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('at', '<', filter.to);
  return query.orderBy('at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
}

export async function siteCapacity(db: Db, siteId: string): Promise<number | null> {
  const row = await occupancyTables(db)
    .selectFrom('site_occupancy_settings')
    .select('capacity')
    .where('site_id', '=', siteId)
    .executeTakeFirst();
  return row?.capacity ?? null;
}

export async function setSiteCapacity(
  db: Db,
  siteId: string,
  capacity: number | null,
  now: number,
): Promise<void> {
  await occupancyTables(db)
    .insertInto('site_occupancy_settings')
    .values({ site_id: siteId, capacity, updated_at: now })
    .onConflict((oc) => oc.column('site_id').doUpdateSet({ capacity, updated_at: now }))
    .execute();
}

export { sitesWithAutoCheckout, sitesWithZones, siteTimeZone, zoneCapacity } from '../venues/reads.js';

export async function allSiteCapacities(db: Db): Promise<Map<string, number | null>> {
  const rows = await occupancyTables(db)
    .selectFrom('site_occupancy_settings')
    .select(['site_id', 'capacity'])
    .execute();
  return new Map(rows.map((r) => [r.site_id, r.capacity]));
}

// On the passage path (once per site and occupancy day in a batch): compiled once.
const lastCheckoutOfDayStatement = occupancyTables.precompile<
  { siteId: string; day: string },
  { at: number | null }
>((db, p) =>
  db
    .selectFrom('auto_checkout_runs')
    .select((eb) => eb.fn.max('at').as('at'))
    .where('site_id', '=', p.siteId)
    .where('occupancy_day', '=', p.day),
);

/** The instant of the latest automatic check-out that set this occupancy day's counters; null = none. */
export async function lastCheckoutOfDay(db: Db, siteId: string, day: string): Promise<number | null> {
  const row = await lastCheckoutOfDayStatement.first(db, { siteId, day });
  return row?.at === null || row?.at === undefined ? null : Number(row.at);
}

export async function findCheckoutRun(
  db: Db,
  siteId: string,
  day: string,
): Promise<CheckoutRunRow | undefined> {
  return occupancyTables(db)
    .selectFrom('auto_checkout_runs')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('day', '=', day)
    .executeTakeFirst();
}

export async function insertCheckoutRun(db: Db, run: CheckoutRunRow): Promise<void> {
  await occupancyTables(db).insertInto('auto_checkout_runs').values(run).execute();
}

/** The site's latest runs, newest first. */
export async function listCheckoutRuns(db: Db, siteId: string, limit: number): Promise<CheckoutRunRow[]> {
  return occupancyTables(db)
    .selectFrom('auto_checkout_runs')
    .selectAll()
    .where('site_id', '=', siteId)
    .orderBy('day', 'desc')
    .limit(limit)
    .execute();
}

/**
 * Read model: the stored passages (the passages module's), which the automatic check-out reads once a run to keep
 * inside the persons who came in after its instant; the passages module imports this one (ingestion moves the
 * counters), so the statement is declared here rather than imported from it.
 */
const sitePassages = readModel<'passage_events'>();

/** The site's passages after `after` (exclusive), in time order: zone, ticket, direction, persons and time. */
export async function sitePassagesAfter(
  db: Db,
  siteId: string,
  after: number,
): Promise<
  { zone_id: string; ticket_id: number | null; direction: 'in' | 'out'; persons: number; at: number }[]
> {
  const rows = await sitePassages(db)
    .selectFrom('passage_events')
    .select(['zone_id', 'ticket_id', 'direction', 'persons', 'at'])
    .where('site_id', '=', siteId)
    .where('kind', '=', 'passage')
    .where('at', '>', after)
    .orderBy('at')
    .orderBy('event_id')
    .execute();
  return rows.map((row) => ({
    ...row,
    ticket_id: row.ticket_id === null ? null : Number(row.ticket_id),
    persons: Number(row.persons),
    at: Number(row.at),
  }));
}
