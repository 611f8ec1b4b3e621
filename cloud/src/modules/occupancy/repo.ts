/** The occupancy module's SQL. Callers pass a db or a transaction. */
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { OccupancyAlertsTable, OccupancyCountersTable } from './tables.js';

type Db = Kysely<Database>;
export type CounterRow = Selectable<OccupancyCountersTable>;
export type AlertRow = Selectable<OccupancyAlertsTable>;
export interface CounterKey {
  readonly siteId: string;
  /** '' = the whole site. */
  readonly zoneId: string;
  readonly day: string;
}

/** The counter row, created at zero first if missing (insert-or-ignore, so two first events never collide). */
export async function counterForUpdate(db: Db, key: CounterKey, now: number): Promise<CounterRow> {
  await db
    .insertInto('occupancy_counters')
    .values({
      site_id: key.siteId,
      zone_id: key.zoneId,
      day: key.day,
      entries: 0,
      exits: 0,
      inside: 0,
      clamped: 0,
      level: 0,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(['site_id', 'zone_id', 'day']).doNothing())
    .execute();
  return db
    .selectFrom('occupancy_counters')
    .selectAll()
    .where('site_id', '=', key.siteId)
    .where('zone_id', '=', key.zoneId)
    .where('day', '=', key.day)
    .executeTakeFirstOrThrow();
}

export async function saveCounter(db: Db, row: CounterRow): Promise<void> {
  const { site_id, zone_id, day, ...changes } = row;
  await db
    .updateTable('occupancy_counters')
    .set(changes)
    .where('site_id', '=', site_id)
    .where('zone_id', '=', zone_id)
    .where('day', '=', day)
    .execute();
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
