/**
 * The passage → reservation hook, run inside the passage ingestion transaction for every newly stored passage (never
 * for a replay): a passage that follows an online validation confirms that validation's reservation (same gate and
 * correlationId), which then stops counting as open; a NO_PASSAGE denial ends the gate's open holds of its ticket. It runs before the tickets hook, which counts the entry in
 * `entries_used` in the same transaction, so the entry is counted exactly once either way.
 */
import type { PassageHook } from '../passages/service.js';
import { reservationTables } from './tables.js';

// Run for every stored passage: compiled once (db/precompiled.ts) rather than built per event.
const confirmReservation = reservationTables.precompile<
  { gateId: string; correlationId: string; eventId: string; at: number },
  never
>((db, p) =>
  db
    .updateTable('ticket_reservations')
    .set({ confirmed_at: p.at, event_id: p.eventId })
    .where('gate_id', '=', p.gateId)
    .where('correlation_id', '=', p.correlationId)
    .where('confirmed_at', 'is', null),
);

// A gate's NO_PASSAGE: nobody went through after its admit, so what it held for the ticket ends now.
const releaseReservations = reservationTables.precompile<
  { gateId: string; ticketId: number; at: number },
  never
>((db, p) =>
  db
    .updateTable('ticket_reservations')
    .set({ expires_at: p.at })
    .where('ticket_id', '=', p.ticketId)
    .where('gate_id', '=', p.gateId)
    .where('confirmed_at', 'is', null)
    .where('expires_at', '>', p.at),
);

export function reservationPassageHook(): PassageHook {
  return {
    name: 'reservations',
    async apply(trx, event): Promise<void> {
      // The denial names no correlationId, but a gate decides one scan at a time: every hold it still has open for
      // the ticket is the admit nobody used. Without this a group code's hold — kept for the group's whole pass —
      // would refuse the guide's next scan for minutes.
      if (event.kind === 'denial' && event.reason === 'NO_PASSAGE' && event.ticket_id !== null) {
        await releaseReservations.changed(trx, {
          gateId: event.gate_id,
          ticketId: event.ticket_id,
          at: event.received_at,
        });
        return;
      }
      if (event.kind !== 'passage' || event.ticket_id === null || event.correlation_id === null) return;
      await confirmReservation.changed(trx, {
        gateId: event.gate_id,
        correlationId: event.correlation_id,
        eventId: event.event_id,
        at: event.received_at,
      });
    },
  };
}
