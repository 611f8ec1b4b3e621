import type { Generated } from 'kysely';
import { ownedTables } from '../../db/scoped.js';

/** Table types of the comm-log module (migration 20261125_182200); part of db/schema.ts's Database. */
export interface CommLogTables {
  comm_log: CommLogTable;
}

/** The only way to query these tables (db/scoped.ts). */
export const commLogTables = ownedTables<keyof CommLogTables>();
export type CommLogDb = ReturnType<typeof commLogTables>;

export interface CommLogTable {
  id: Generated<number>;
  /** Epoch ms, cloud clock. */
  at: number;
  direction: 'in' | 'out';
  site_id: string | null;
  gate_id: string | null;
  topic: string;
  channel: string | null;
  message_type: string | null;
  /** Payload bytes. */
  size: number;
  result: 'ok' | 'rejected';
  reason: string | null;
  latency_ms: number | null;
}
