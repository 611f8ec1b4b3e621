/** Table types of the passages module (migrations 20261125_185100, 20261209_100000); part of db/schema.ts's Database. */
import { ownedTables } from '../../db/scoped.js';
export interface PassageTables {
  passage_events: PassageEventsTable;
}

/** The only way to query these tables (db/scoped.ts). */
export const passageTables = ownedTables<keyof PassageTables>();
export type PassageDb = ReturnType<typeof passageTables>;

export interface PassageEventsTable {
  /** The gate's eventId: applied at most once. */
  event_id: string;
  kind: 'passage' | 'denial';
  site_id: string;
  zone_id: string;
  gate_id: string;
  /** null for a denial whose credential could not be resolved. */
  ticket_id: number | null;
  credential_kind: string | null;
  direction: 'in' | 'out';
  /** Persons who went through; 0 for a denial. */
  persons: number;
  /** Gate clock, epoch ms. */
  at: number;
  /** Cloud clock, epoch ms. */
  received_at: number;
  /** 0/1 for passages; null for denials. */
  decided_offline: number | null;
  entries_left: number | null;
  correlation_id: string | null;
  /**
   * 1 for a passage the gate could not confirm (it restarted between the turnstile's release and its passage sensor,
   * protocol `unconfirmed`); 0 otherwise (migration 20261209_100000).
   */
  unconfirmed: number;
  /** Denial reason code; null for passages. */
  reason: string | null;
  code_hash: string | null;
}
