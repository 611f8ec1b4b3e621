/**
 * Table types of the passages module (migrations 20261125_185100, 20261209_100000, 20261212_130000,
 * 20261213_110000); part of
 * db/schema.ts's Database.
 */
import { ownedTables } from '../../db/scoped.js';
export interface PassageTables {
  passage_events: PassageEventsTable;
  passage_hourly_entries: PassageHourlyEntriesTable;
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
  /** 1 when the exit's card recycler kept the card (protocol `cardRecycled`); 0 otherwise (migration 20261213_120001). */
  card_recycled?: number;
  /** Denial reason code; null for passages. */
  reason: string | null;
  code_hash: string | null;
  /**
   * A passage decided offline that the cloud would have refused at its scan time: the reason it would have given (a
   * protocol decision reason, e.g. USED, ENTRIES_EXHAUSTED, REFUNDED); null for every other event (migration
   * 20261213_110000).
   */
  conflict: string | null;
  /** Entries the passage used that its ticket's count no longer had; 0 otherwise. */
  overdraft: number;
}

/**
 * Entries (inward passages) per site, site-local day and hour, and ticket type: what the visitor figures, the
 * decision analysis and the hour × weekday heatmap read instead of millions of events. Added to in each ingestion
 * batch's transaction (hourly.ts); migration 20261212_130000 filled it from the events stored before.
 */
export interface PassageHourlyEntriesTable {
  site_id: string;
  /** Site-local day number (days since 1970-01-01 in the site's zone) of the passage's gate time. */
  day: number;
  /** Site-local hour of the day, 0–23. */
  hour: number;
  /** The ticket's type; 0 when the ticket is not known to the cloud. */
  type_id: number;
  /** Inward passages. */
  entries: number;
  /** Persons they let in (a group code's passage counts its headcount). */
  persons: number;
  /** Of those, persons who came in on a ticket admitting more than one person (团队人数). */
  group_persons: number;
}
