/** Table types of online-validation reservations (migration 20261125_186100); part of db/schema.ts's Database. */
import { ownedTables } from '../../db/scoped.js';
export interface ReservationTables {
  ticket_reservations: TicketReservationsTable;
}

/** The only way to query these tables (db/scoped.ts). */
export const reservationTables = ownedTables<keyof ReservationTables>();
export type ReservationDb = ReturnType<typeof reservationTables>;

export interface TicketReservationsTable {
  gate_id: string;
  /** The validate_request's correlationId, which the gate repeats in the passage event. */
  correlation_id: string;
  site_id: string;
  ticket_id: number;
  direction: 'in' | 'out';
  /** 1 when the admission consumes an entry. */
  consumes: number;
  /** Cloud clock, epoch ms. */
  at: number;
  expires_at: number;
  confirmed_at: number | null;
  event_id: string | null;
  /** What the admit answered (migration 20261210_140000): a repeated request is answered the same. */
  entries_left: number | null;
}
