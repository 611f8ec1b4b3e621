/** Table types of the gate-config module (migration 20261125_186000); part of db/schema.ts's Database. */
import { ownedTables } from '../../db/scoped.js';
export interface GateConfigTables {
  gate_configs: GateConfigsTable;
}

/** The only way to query these tables (db/scoped.ts). */
export const gateConfigTables = ownedTables<keyof GateConfigTables>();
export type GateConfigDb = ReturnType<typeof gateConfigTables>;

export interface GateConfigsTable {
  gate_id: string;
  site_id: string;
  /** GateSettings JSON: the per-gate values; missing keys take the defaults. */
  settings_json: string;
  /** Version of the last config built for the gate; 0 before the first. */
  version: number;
  /** SHA-256 of the config content without its version; null before the first. */
  fingerprint: string | null;
  published_at: number | null;
  updated_at: number;
}
