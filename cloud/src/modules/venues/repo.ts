/** The venues module's SQL: sites, zones, windows and the gate registry. Callers pass a db or a transaction. */

import type { Selectable } from 'kysely';
import type { Connection } from '../../db/scoped.js';
import { deepFreeze } from '../../platform/deep-freeze.js';
import { ALL_SITES, coversAllSites, type SiteScope, siteCondition } from '../../platform/site-scope.js';
import { type AgePolicy, agePolicySchema } from './age-policy.js';
import { pagedList } from './paged-list.js';
import type { Gate, Page, PageQuery, Site, TicketWindow, Zone } from './schemas.js';
import { siteTable } from './site-table.js';
import {
  type GatesTable,
  type SitesTable,
  venueTables,
  type WindowsTable,
  type ZonesTable,
} from './tables.js';

type Db = Connection;

function siteOf(row: Selectable<SitesTable>): Site {
  return {
    id: row.id,
    name: { zh: row.name_zh, en: row.name_en },
    timezone: row.timezone,
    dailyCapacity: row.daily_capacity,
    // Written only through agePolicySchema, so parsing cannot fail short of manual edits to the database.
    agePolicy: row.age_policy === null ? null : policyOf(row.age_policy),
    autoCheckoutAt: row.auto_checkout_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * Every sale reads its site, so a policy text is parsed once and the frozen result shared (a handful of distinct
 * texts exist: one per site and edit).
 */
const policies = new Map<string, AgePolicy>();
const POLICY_CACHE_SIZE = 256;

function policyOf(text: string): AgePolicy {
  let policy = policies.get(text);
  if (!policy) {
    policy = deepFreeze(agePolicySchema.parse(JSON.parse(text)));
    if (policies.size >= POLICY_CACHE_SIZE) policies.delete(policies.keys().next().value!);
    policies.set(text, policy);
  }
  return policy;
}

function policyText(policy: AgePolicy | null): string | null {
  return policy === null ? null : JSON.stringify(policy);
}

export function listSites(db: Db, page: PageQuery, scope: SiteScope): Promise<Page<Site>> {
  return pagedList(
    venueTables(db).selectFrom('sites').selectAll().where(siteCondition(scope, 'id')),
    page,
    siteOf,
  );
}

// Sales read their site and window in every transaction: compiled once (db/precompiled.ts).
const siteById = venueTables.precompile<{ id: string }, Selectable<SitesTable>>((db, p) =>
  venueTables(db).selectFrom('sites').selectAll().where('id', '=', p.id),
);

/** The site, if it exists and is in `scope`. */
export async function findSite(db: Db, id: string, scope: SiteScope = ALL_SITES): Promise<Site | undefined> {
  const row = coversAllSites(scope)
    ? await siteById.first(db, { id })
    : await venueTables(db)
        .selectFrom('sites')
        .selectAll()
        .where('id', '=', id)
        .where(siteCondition(scope, 'id'))
        .executeTakeFirst();
  return row && siteOf(row);
}

export async function insertSite(db: Db, site: Site): Promise<void> {
  await venueTables(db)
    .insertInto('sites')
    .values({
      id: site.id,
      name_zh: site.name.zh,
      name_en: site.name.en,
      timezone: site.timezone,
      daily_capacity: site.dailyCapacity,
      age_policy: policyText(site.agePolicy),
      auto_checkout_at: site.autoCheckoutAt,
      created_at: site.createdAt,
      updated_at: site.updatedAt,
    })
    .execute();
}

export async function updateSite(db: Db, site: Site): Promise<void> {
  await venueTables(db)
    .updateTable('sites')
    .set({
      name_zh: site.name.zh,
      name_en: site.name.en,
      timezone: site.timezone,
      daily_capacity: site.dailyCapacity,
      age_policy: policyText(site.agePolicy),
      auto_checkout_at: site.autoCheckoutAt,
      updated_at: site.updatedAt,
    })
    .where('id', '=', site.id)
    .execute();
}

export async function deleteSite(db: Db, id: string): Promise<void> {
  await venueTables(db).deleteFrom('sites').where('id', '=', id).execute();
}

function zoneOf(row: Selectable<ZonesTable>): Zone {
  return {
    siteId: row.site_id,
    id: row.id,
    name: { zh: row.name_zh, en: row.name_en },
    capacity: row.capacity,
    active: row.active === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function zoneRow(zone: Zone): Selectable<ZonesTable> {
  return {
    site_id: zone.siteId,
    id: zone.id,
    name_zh: zone.name.zh,
    name_en: zone.name.en,
    capacity: zone.capacity,
    active: zone.active ? 1 : 0,
    created_at: zone.createdAt,
    updated_at: zone.updatedAt,
  };
}

function windowOf(row: Selectable<WindowsTable>): TicketWindow {
  return {
    siteId: row.site_id,
    id: row.id,
    name: { zh: row.name_zh, en: row.name_en },
    active: row.active === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function windowRow(window: TicketWindow): Selectable<WindowsTable> {
  return {
    site_id: window.siteId,
    id: window.id,
    name_zh: window.name.zh,
    name_en: window.name.en,
    active: window.active ? 1 : 0,
    created_at: window.createdAt,
    updated_at: window.updatedAt,
  };
}

function gateOf(row: Selectable<GatesTable>): Gate {
  return {
    id: row.id,
    siteId: row.site_id,
    zoneId: row.zone_id,
    direction: row.direction,
    kind: row.kind,
    name: { zh: row.name_zh, en: row.name_en },
    active: row.active === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function gateRow(gate: Gate): Selectable<GatesTable> {
  return {
    id: gate.id,
    site_id: gate.siteId,
    zone_id: gate.zoneId,
    direction: gate.direction,
    kind: gate.kind,
    name_zh: gate.name.zh,
    name_en: gate.name.en,
    active: gate.active ? 1 : 0,
    created_at: gate.createdAt,
    updated_at: gate.updatedAt,
  };
}

const zones = siteTable({ table: 'zones', key: ['site_id', 'id'], toEntity: zoneOf, toRow: zoneRow });

export function listZones(db: Db, siteId: string, page: PageQuery): Promise<Page<Zone>> {
  return zones.list(db, siteId, page);
}

export function findZone(db: Db, siteId: string, id: string): Promise<Zone | undefined> {
  return zones.find(db, { site_id: siteId, id });
}

export function insertZone(db: Db, zone: Zone): Promise<void> {
  return zones.insert(db, zone);
}

export function updateZone(db: Db, zone: Zone): Promise<void> {
  return zones.update(db, zone);
}

export function deleteZone(db: Db, siteId: string, id: string): Promise<void> {
  return zones.delete(db, { site_id: siteId, id });
}

const windows = siteTable({ table: 'windows', key: ['site_id', 'id'], toEntity: windowOf, toRow: windowRow });

export function listWindows(db: Db, siteId: string, page: PageQuery): Promise<Page<TicketWindow>> {
  return windows.list(db, siteId, page);
}

export function findWindow(db: Db, siteId: string, id: string): Promise<TicketWindow | undefined> {
  return windows.find(db, { site_id: siteId, id });
}

export function insertWindow(db: Db, window: TicketWindow): Promise<void> {
  return windows.insert(db, window);
}

export function updateWindow(db: Db, window: TicketWindow): Promise<void> {
  return windows.update(db, window);
}

export function deleteWindow(db: Db, siteId: string, id: string): Promise<void> {
  return windows.delete(db, { site_id: siteId, id });
}

/** Gate ids are unique installation-wide: a gate is found by its id alone. */
const gates = siteTable({ table: 'gates', key: ['id'], toEntity: gateOf, toRow: gateRow });

export function listGates(db: Db, siteId: string, page: PageQuery): Promise<Page<Gate>> {
  return gates.list(db, siteId, page);
}

export function findGate(db: Db, id: string): Promise<Gate | undefined> {
  return gates.find(db, { id });
}

export function insertGate(db: Db, gate: Gate): Promise<void> {
  return gates.insert(db, gate);
}

export function updateGate(db: Db, gate: Gate): Promise<void> {
  return gates.update(db, gate);
}

export function deleteGate(db: Db, id: string): Promise<void> {
  return gates.delete(db, { id });
}
