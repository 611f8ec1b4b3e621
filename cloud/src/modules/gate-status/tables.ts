/** Table types of the gate-status module (migration 20261125_182100); part of db/schema.ts's Database. */
import { ownedTables } from '../../db/scoped.js';
export interface GateStatusTables {
  gate_status: GateStatusTable;
}

/** The only way to query these tables (db/scoped.ts). */
export const gateStatusTables = ownedTables<keyof GateStatusTables>();
export type GateStatusDb = ReturnType<typeof gateStatusTables>;

/** Nullable columns stay null until the gate has reported them. Times are epoch ms on the cloud's clock. */
export interface GateStatusTable {
  gate_id: string;
  site_id: string;
  /** 0/1, from the retained state and the last will. */
  online: number;
  mode: string | null;
  /** 0/1. */
  deny_unauthorized: number | null;
  firmware: string | null;
  whitelist_version: number | null;
  config_version: number | null;
  /** When the current online/offline state began (the gate's `since`, or the cloud's receive time for a will). */
  since: number | null;
  last_seen_at: number;
  last_state_at: number | null;
  last_heartbeat_at: number | null;
  uptime_sec: number | null;
  scans: number | null;
  admits: number | null;
  denies: number | null;
  outbox_depth: number | null;
  /** JSON array of the devices and inputs the gate runs without (protocol `degraded`); '[]' when none. */
  degraded: string | null;
}
