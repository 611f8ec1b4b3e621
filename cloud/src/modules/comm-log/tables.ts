import type { Generated } from 'kysely';

/** Table types of the comm-log module (migration 20261125_182200); part of db/schema.ts's Database. */
export interface CommLogTables {
  comm_log: CommLogTable;
}

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
