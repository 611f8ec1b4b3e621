/**
 * What other modules may read of the venue registry (sites, zones, gates), for work that runs inside their own
 * transactions or on their hot paths: the statements are the venues module's, typed on its tables only, and take
 * any connection or transaction (db/scoped.ts). Changing the registry goes through VenuesService.
 */

import type { Connection } from '../../db/scoped.js';
import { ALL_SITES, coversAllSites, type SiteScope, siteCondition } from '../../platform/site-scope.js';
import { type GatesTable, venueTables } from './tables.js';

/** A gate as the registry has it. */
export interface GateFacts {
  readonly id: string;
  readonly site_id: string;
  readonly zone_id: string;
  readonly direction: GatesTable['direction'];
  readonly active: number;
}

const gateById = venueTables.precompile<{ id: string }, GateFacts>((db, p) =>
  db.selectFrom('gates').select(['id', 'site_id', 'zone_id', 'direction', 'active']).where('id', '=', p.id),
);

/** The gate, active or not; undefined when the registry does not know it or its site is out of `scope`. */
export function gateFacts(
  db: Connection,
  gateId: string,
  scope: SiteScope = ALL_SITES,
): Promise<GateFacts | undefined> {
  if (coversAllSites(scope)) return gateById.first(db, { id: gateId });
  return venueTables(db)
    .selectFrom('gates')
    .select(['id', 'site_id', 'zone_id', 'direction', 'active'])
    .where('id', '=', gateId)
    .where(siteCondition(scope, 'site_id'))
    .executeTakeFirst();
}

/** Where each of these gates stands; gates not in the registry are missing from the map. */
export async function gatesByIds(db: Connection, ids: readonly string[]): Promise<Map<string, GateFacts>> {
  const distinct = [...new Set(ids)];
  const rows =
    distinct.length === 1
      ? await gateById.rows(db, { id: distinct[0]! })
      : await venueTables(db)
          .selectFrom('gates')
          .select(['id', 'site_id', 'zone_id', 'direction', 'active'])
          .where('id', 'in', distinct)
          .execute();
  return new Map(rows.map((row) => [row.id, row]));
}

/** Active gates of one gate, zone, site or every site, ordered by site and id. */
export function activeGates(
  db: Connection,
  filter: { gateId?: string; siteId?: string; zoneId?: string } = {},
): Promise<{ id: string; site_id: string; zone_id: string }[]> {
  let query = venueTables(db)
    .selectFrom('gates')
    .select(['id', 'site_id', 'zone_id'])
    .where('active', '=', 1);
  if (filter.gateId !== undefined) query = query.where('id', '=', filter.gateId);
  if (filter.siteId !== undefined) query = query.where('site_id', '=', filter.siteId);
  if (filter.zoneId !== undefined) query = query.where('zone_id', '=', filter.zoneId);
  return query.orderBy('site_id').orderBy('id').execute();
}

/** An active gate with its site's time zone (what a gate's config is built from). */
export interface ActiveGate {
  id: string;
  site_id: string;
  zone_id: string;
  direction: GatesTable['direction'];
  timezone: string;
  /** The site's automatic check-out, "HH:MM"; null = none. */
  auto_checkout_at: string | null;
}

// The gate-config publisher reads these every second for every active gate: compiled once.
function activeGatesQuery(db: ReturnType<typeof venueTables>) {
  return db
    .selectFrom('gates')
    .innerJoin('sites', 'sites.id', 'gates.site_id')
    .select([
      'gates.id',
      'gates.site_id',
      'gates.zone_id',
      'gates.direction',
      'sites.timezone',
      'sites.auto_checkout_at',
    ])
    .where('gates.active', '=', 1);
}
const allActiveGates = venueTables.precompile<Record<string, never>, ActiveGate>((db) =>
  activeGatesQuery(db).orderBy('gates.site_id').orderBy('gates.id'),
);
const activeGatesOfSite = venueTables.precompile<{ siteId: string }, ActiveGate>((db, p) =>
  activeGatesQuery(db).where('gates.site_id', '=', p.siteId).orderBy('gates.id'),
);

/** Active gates (of one site, or all) with their site's time zone, by site and id. */
export function activeGatesWithTimeZone(db: Connection, siteId?: string): Promise<ActiveGate[]> {
  return siteId === undefined ? allActiveGates.rows(db, {}) : activeGatesOfSite.rows(db, { siteId });
}

export async function siteExists(db: Connection, siteId: string): Promise<boolean> {
  return (await siteTimeZone(db, siteId)) !== undefined;
}

/** The site's IANA time zone; undefined for an unknown site. */
export async function siteTimeZone(db: Connection, siteId: string): Promise<string | undefined> {
  const row = await venueTables(db)
    .selectFrom('sites')
    .select('timezone')
    .where('id', '=', siteId)
    .executeTakeFirst();
  return row?.timezone;
}

/** What a site's clock needs: its IANA time zone and its automatic check-out time ("HH:MM", or null). */
export async function siteClockSettings(
  db: Connection,
  siteId: string,
): Promise<{ timezone: string; auto_checkout_at: string | null } | undefined> {
  return venueTables(db)
    .selectFrom('sites')
    .select(['timezone', 'auto_checkout_at'])
    .where('id', '=', siteId)
    .executeTakeFirst();
}

/** Sites (one, or all in `scope`) with their IANA time zone, by id; empty for an unknown site or one out of scope. */
export function siteTimeZones(
  db: Connection,
  siteId?: string,
  scope: SiteScope = ALL_SITES,
): Promise<{ id: string; timezone: string }[]> {
  let sites = venueTables(db)
    .selectFrom('sites')
    .select(['id', 'timezone'])
    .where(siteCondition(scope, 'id'));
  if (siteId !== undefined) sites = sites.where('id', '=', siteId);
  return sites.orderBy('id').execute();
}

/** Like siteTimeZones, with each site's name in both languages (what a screen heads its figures with). */
export function namedSites(
  db: Connection,
  siteId?: string,
  scope: SiteScope = ALL_SITES,
): Promise<{ id: string; timezone: string; name_zh: string; name_en: string }[]> {
  let sites = venueTables(db)
    .selectFrom('sites')
    .select(['id', 'timezone', 'name_zh', 'name_en'])
    .where(siteCondition(scope, 'id'));
  if (siteId !== undefined) sites = sites.where('id', '=', siteId);
  return sites.orderBy('id').execute();
}

export async function zoneExists(db: Connection, siteId: string, zoneId: string): Promise<boolean> {
  const row = await venueTables(db)
    .selectFrom('zones')
    .select('id')
    .where('site_id', '=', siteId)
    .where('id', '=', zoneId)
    .executeTakeFirst();
  return row !== undefined;
}

/** The zone's capacity; null when it has none or is unknown. */
export async function zoneCapacity(db: Connection, siteId: string, zoneId: string): Promise<number | null> {
  const row = await venueTables(db)
    .selectFrom('zones')
    .select('capacity')
    .where('site_id', '=', siteId)
    .where('id', '=', zoneId)
    .executeTakeFirst();
  return row?.capacity ?? null;
}

/** Sites (one, or all) with their time zone and active zones' capacities, by id. */
export async function sitesWithZones(
  db: Connection,
  siteId?: string,
  scope: SiteScope = ALL_SITES,
): Promise<{ id: string; timezone: string; zones: { id: string; capacity: number | null }[] }[]> {
  const venues = venueTables(db);
  let sites = venues.selectFrom('sites').select(['id', 'timezone']).where(siteCondition(scope, 'id'));
  let zones = venues
    .selectFrom('zones')
    .select(['site_id', 'id', 'capacity'])
    .where('active', '=', 1)
    .where(siteCondition(scope, 'site_id'));
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

/** Gate ids of one site (active or not), by id. */
export async function gateIdsOfSite(db: Connection, siteId: string): Promise<string[]> {
  const rows = await venueTables(db)
    .selectFrom('gates')
    .select('id')
    .where('site_id', '=', siteId)
    .orderBy('id')
    .execute();
  return rows.map((row) => row.id);
}

/** The ids among `ids` that name no site. */
export async function unknownSiteIds(db: Connection, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const found = new Set(
    (await venueTables(db).selectFrom('sites').select('id').where('id', 'in', ids).execute()).map(
      (r) => r.id,
    ),
  );
  return ids.filter((id) => !found.has(id));
}

/** The sites that have an automatic check-out, with their zone and its time ("HH:MM"). */
export async function sitesWithAutoCheckout(
  db: Connection,
): Promise<{ id: string; timezone: string; auto_checkout_at: string }[]> {
  const rows = await venueTables(db)
    .selectFrom('sites')
    .select(['id', 'timezone', 'auto_checkout_at'])
    .where('auto_checkout_at', 'is not', null)
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ id: row.id, timezone: row.timezone, auto_checkout_at: row.auto_checkout_at! }));
}
