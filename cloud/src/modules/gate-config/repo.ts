/** The gate-config module's SQL: what a gate's config is built from, and the per-gate settings and versions. */
import type { Selectable } from 'kysely';
import { type Connection, readModel } from '../../db/scoped.js';
import { type GateConfigsTable, gateConfigTables } from './tables.js';

type Db = Connection;
export type GateConfigRow = Selectable<GateConfigsTable>;

// The publisher reads these every second for every active gate: compiled once. The active gates and their time zone
// are the registry's read (venues/reads.ts); the config rows of active gates come by a join with the gates instead of
// a list of 500 ids built into each query, a read model declared here.
export { type ActiveGate, activeGatesWithTimeZone as activeGates } from '../venues/reads.js';

/** Read model: gate_configs (this module's) of the gates the registry (venues) holds active, or no longer holds. */
const configsOfGates = readModel<'gate_configs' | 'gates'>();

function configRowsQuery(db: ReturnType<typeof configsOfGates>) {
  return db
    .selectFrom('gate_configs')
    .innerJoin('gates', 'gates.id', 'gate_configs.gate_id')
    .selectAll('gate_configs')
    .where('gates.active', '=', 1);
}

const allActiveConfigRows = configsOfGates.precompile<Record<string, never>, GateConfigRow>((db) =>
  configRowsQuery(db),
);

const activeConfigRowsOfSite = configsOfGates.precompile<{ siteId: string }, GateConfigRow>((db, p) =>
  configRowsQuery(db).where('gates.site_id', '=', p.siteId),
);

/** The stored config rows of the active gates (of one site, or all), by gate id. */
export async function activeConfigRows(db: Db, siteId?: string): Promise<Map<string, GateConfigRow>> {
  const rows =
    siteId === undefined
      ? await allActiveConfigRows.rows(db, {})
      : await activeConfigRowsOfSite.rows(db, { siteId });
  return new Map(rows.map((row) => [row.gate_id, row]));
}

/**
 * Configs still retained on the broker (published, not cleared) for a gate that is no longer there: removed,
 * deactivated, or registered under another site than the topic the config went to.
 */
export const retiredConfigs = configsOfGates.precompile<
  Record<string, never>,
  { gate_id: string; site_id: string; version: number }
>((db) =>
  db
    .selectFrom('gate_configs')
    .leftJoin('gates', 'gates.id', 'gate_configs.gate_id')
    .select(['gate_configs.gate_id', 'gate_configs.site_id', 'gate_configs.version'])
    .where('gate_configs.published_at', 'is not', null)
    .where((eb) =>
      eb.or([
        eb('gates.id', 'is', null),
        eb('gates.active', '<>', 1),
        eb('gates.site_id', '<>', eb.ref('gate_configs.site_id')),
      ]),
    )
    .orderBy('gate_configs.gate_id'),
);

/**
 * Records that the gate's retained config was cleared: nothing published any more, and no fingerprint, so the gate
 * coming back gets a new version (its settings and version sequence stay). Only if no new version was written
 * meanwhile.
 */
export const markCleared = gateConfigTables.precompile<
  { gateId: string; version: number; now: number },
  never
>((db, p) =>
  db
    .updateTable('gate_configs')
    .set({ published_at: null, fingerprint: null, updated_at: p.now })
    .where('gate_id', '=', p.gateId)
    .where('version', '=', p.version)
    .where('published_at', 'is not', null),
);

export { publicKeys } from '../signing-keys/reads.js';
/** The registry's facts about the gate (venues/reads.ts). */
export { gateFacts as findGate } from '../venues/reads.js';

export async function configRow(db: Db, gateId: string): Promise<GateConfigRow | undefined> {
  return gateConfigTables(db)
    .selectFrom('gate_configs')
    .selectAll()
    .where('gate_id', '=', gateId)
    .executeTakeFirst();
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
  await gateConfigTables(db)
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
  const result = await gateConfigTables(db)
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
  await gateConfigTables(db)
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
