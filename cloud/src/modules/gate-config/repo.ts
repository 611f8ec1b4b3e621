/** The gate-config module's SQL: what a gate's config is built from, and the per-gate settings and versions. */
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { GateConfigsTable } from './tables.js';

type Db = Kysely<Database>;
export type GateConfigRow = Selectable<GateConfigsTable>;

/** Gates are few enough per site that building all of a site's configs at once is the cheap path. */
export async function activeGates(db: Db, siteId?: string) {
  let query = db
    .selectFrom('gates')
    .innerJoin('sites', 'sites.id', 'gates.site_id')
    .select(['gates.id', 'gates.site_id', 'gates.zone_id', 'gates.direction', 'sites.timezone'])
    .where('gates.active', '=', 1);
  if (siteId !== undefined) query = query.where('gates.site_id', '=', siteId);
  return query.orderBy('gates.site_id').orderBy('gates.id').execute();
}

export async function findGate(db: Db, gateId: string) {
  return db
    .selectFrom('gates')
    .select(['id', 'site_id', 'active'])
    .where('id', '=', gateId)
    .executeTakeFirst();
}

/** Newest first: with more keys than a config holds, the oldest (long retired) ones drop out. */
export async function publicKeys(db: Db, limit: number) {
  return db
    .selectFrom('signing_keys')
    .select(['key_id', 'public_key'])
    .orderBy('created_at', 'desc')
    .orderBy('key_id', 'desc')
    .limit(limit)
    .execute();
}

export async function configRows(db: Db, gateIds: readonly string[]): Promise<Map<string, GateConfigRow>> {
  if (gateIds.length === 0) return new Map();
  const rows = await db.selectFrom('gate_configs').selectAll().where('gate_id', 'in', gateIds).execute();
  return new Map(rows.map((row) => [row.gate_id, row]));
}

export async function configRow(db: Db, gateId: string): Promise<GateConfigRow | undefined> {
  return db.selectFrom('gate_configs').selectAll().where('gate_id', '=', gateId).executeTakeFirst();
}

/**
 * Moves the gate's config from `fromVersion` to `fromVersion + 1` with the new fingerprint; false when another writer
 * (another cloud instance) moved it first. The row is created at version 0 on first use.
 */
export async function bumpVersion(
  db: Db,
  gate: { gateId: string; siteId: string },
  fromVersion: number,
  fingerprint: string,
  now: number,
): Promise<boolean> {
  await db
    .insertInto('gate_configs')
    .values({
      gate_id: gate.gateId,
      site_id: gate.siteId,
      settings_json: '{}',
      version: 0,
      fingerprint: null,
      published_at: null,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('gate_id').doNothing())
    .execute();
  const result = await db
    .updateTable('gate_configs')
    .set({ version: fromVersion + 1, fingerprint, site_id: gate.siteId, published_at: now, updated_at: now })
    .where('gate_id', '=', gate.gateId)
    .where('version', '=', fromVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function saveSettings(
  db: Db,
  gate: { gateId: string; siteId: string },
  settingsJson: string,
  now: number,
): Promise<void> {
  await db
    .insertInto('gate_configs')
    .values({
      gate_id: gate.gateId,
      site_id: gate.siteId,
      settings_json: settingsJson,
      version: 0,
      fingerprint: null,
      published_at: null,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('gate_id').doUpdateSet({ settings_json: settingsJson, updated_at: now }))
    .execute();
}
