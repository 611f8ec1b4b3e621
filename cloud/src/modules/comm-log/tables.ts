import type { Generated } from 'kysely';
import { ownedTables } from '../../db/scoped.js';

/** Table types of the comm-log module (migrations 20261125_182200, 20261209_100200); part of db/schema.ts's Database. */
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
  /** Messages this row stands for: 1, or a minute's repeats of one rejection (see `repeat_key`). */
  count: Generated<number>;
  /**
   * Set on rejected rows only: direction, site, gate, reason, channel and minute (comm-log/writer.ts). Unique, so the repeats of one rejection
   * within a minute add to one row (its `at` is the first one's, `size` the bytes of all) instead of one row each.
   */
  repeat_key: string | null;
}
