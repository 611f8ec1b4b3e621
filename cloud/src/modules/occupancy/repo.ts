/** The occupancy module's SQL. Callers pass a db or a transaction. */
import type { Kysely, Selectable } from 'kysely';
import { precompile } from '../../db/precompiled.js';
import type { Database } from '../../db/schema.js';
import type { OccupancyAlertsTable, OccupancyCountersTable } from './tables.js';

type Db = Kysely<Database>;
export type CounterRow = Selectable<OccupancyCountersTable>;
export type AlertRow = Selectable<OccupancyAlertsTable>;

/** A site's time zone and in-park capacity with each zone's capacity: one row per zone (zone_id null: none). */
const occupancySettings = precompile<
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

const countersOfSiteDay = precompile<{ siteId: string; day: string }, CounterRow>((db, p) =>
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
const upsertCounterStatement = precompile<
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
  return db
    .selectFrom('occupancy_counters')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('day', '=', day)
    .execute();
}

export async function insertAlert(db: Db, alert: Omit<AlertRow, 'id'>): Promise<number> {
  const row = await db.insertInto('occupancy_alerts').values(alert).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function listAlerts(
  db: Db,
  filter: { siteId?: string; from?: number; to?: number; limit: number },
): Promise<AlertRow[]> {
  let query = db.selectFrom('occupancy_alerts').selectAll();
  if (filter.siteId !== undefined) query = query.where('site_id', '=', filter.siteId);
  if (filter.from !== undefined) query = query.where('at', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('at', '<', filter.to);
  return query.orderBy('at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
}

export async function siteCapacity(db: Db, siteId: string): Promise<number | null> {
  const row = await db
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
  await db
    .insertInto('site_occupancy_settings')
    .values({ site_id: siteId, capacity, updated_at: now })
    .onConflict((oc) => oc.column('site_id').doUpdateSet({ capacity, updated_at: now }))
    .execute();
}

export async function siteTimeZone(db: Db, siteId: string): Promise<string | undefined> {
  const row = await db.selectFrom('sites').select('timezone').where('id', '=', siteId).executeTakeFirst();
  return row?.timezone;
}

export async function sitesWithZones(
  db: Db,
  siteId?: string,
): Promise<{ id: string; timezone: string; zones: { id: string; capacity: number | null }[] }[]> {
  let sites = db.selectFrom('sites').select(['id', 'timezone']);
  let zones = db.selectFrom('zones').select(['site_id', 'id', 'capacity']).where('active', '=', 1);
  if (siteId !== undefined) {
    sites = sites.where('id', '=', siteId);
    zones = zones.where('site_id', '=', siteId);
  }
  const [siteRows, zoneRows] = await Promise.all([
    sites.orderBy('id').execute(),
    zones.orderBy('id').execute(),
  ]);
  return siteRows.map((site) => ({
    ...site,
    zones: zoneRows.filter((z) => z.site_id === site.id).map((z) => ({ id: z.id, capacity: z.capacity })),
  }));
}

export async function zoneCapacity(db: Db, siteId: string, zoneId: string): Promise<number | null> {
  const row = await db
    .selectFrom('zones')
    .select('capacity')
    .where('site_id', '=', siteId)
    .where('id', '=', zoneId)
    .executeTakeFirst();
  return row?.capacity ?? null;
}

export async function allSiteCapacities(db: Db): Promise<Map<string, number | null>> {
  const rows = await db.selectFrom('site_occupancy_settings').select(['site_id', 'capacity']).execute();
  return new Map(rows.map((r) => [r.site_id, r.capacity]));
}
