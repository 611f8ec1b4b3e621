/** Table types for the hash-chained operation log (migration 20261125_180200); part of db/schema.ts's Database. */

import { ownedTables } from '../../db/scoped.js';
export interface AuditTables {
  audit_log: AuditLogTable;
  audit_chain_head: AuditChainHeadTable;
}

/** The only way to query these tables (db/scoped.ts). */
export const auditTables = ownedTables<keyof AuditTables>();
export type AuditDb = ReturnType<typeof auditTables>;

export interface AuditLogTable {
  /** 1, 2, 3, … without gaps; the chain order. */
  seq: number;
  /** Epoch ms. */
  at: number;
  /** Null for the system itself (start-up, CLI). */
  actor_id: string | null;
  actor_username: string | null;
  /** e.g. `operator.create`, `auth.login`. */
  action: string;
  /** e.g. `operator`, `role`, `setting`. */
  entity: string;
  entity_id: string | null;
  /** Canonical JSON (sorted keys) of the entity before / after the change; null when it did not exist. */
  before_json: string | null;
  after_json: string | null;
  ip: string | null;
  /** Hex SHA-256: the previous row's hash (64 zeros for the first row). */
  prev_hash: string;
  /** Hex SHA-256 of prev_hash followed by the canonical JSON of this row. */
  hash: string;
}

/** Exactly one row (id 1): the last appended seq and hash. */
export interface AuditChainHeadTable {
  id: number;
  seq: number;
  hash: string;
}
