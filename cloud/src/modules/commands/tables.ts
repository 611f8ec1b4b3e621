/** Table types of the commands module (migration 20261125_185000); part of db/schema.ts's Database. */
import { ownedTables } from '../../db/scoped.js';
export interface CommandTables {
  gate_commands: GateCommandsTable;
  gate_command_results: GateCommandResultsTable;
}

/** The only way to query these tables (db/scoped.ts). */
export const commandTables = ownedTables<keyof CommandTables>();
export type CommandDb = ReturnType<typeof commandTables>;

export type CommandTargetKind = 'gate' | 'zone' | 'site' | 'all';
export type GateCommandResult = 'pending' | 'ok' | 'rejected' | 'error' | 'timeout';

export interface GateCommandsTable {
  /** Also the protocol's `commandId`. */
  id: string;
  action_kind: string;
  /** The protocol `action` object as JSON. */
  action_json: string;
  target_kind: CommandTargetKind;
  target_site_id: string | null;
  target_zone_id: string | null;
  target_gate_id: string | null;
  issued_by_id: string | null;
  issued_by_username: string | null;
  issued_at: number;
  expires_at: number;
  gate_count: number;
  /** When the last targeted gate's outcome became known; null while any is pending. */
  completed_at: number | null;
}

export interface GateCommandResultsTable {
  command_id: string;
  gate_id: string;
  site_id: string;
  zone_id: string;
  result: GateCommandResult;
  /** The gate's reason (rejected, error) or the cloud's (`publish_failed`); null for ok, pending and timeout. */
  reason: string | null;
  /** 0/1: whether the gate was online by its live status when the command was issued; null = never seen. */
  was_online: number | null;
  expires_at: number;
  /** Cloud clock when the ack arrived. */
  acked_at: number | null;
  /** The ack's own `at` (gate clock). */
  gate_at: number | null;
  /** acked_at − issued_at. */
  latency_ms: number | null;
  /** 0/1: the ack arrived after the result had already been set to timeout. */
  late: number;
}
