/**
 * The passage → ticket hook, run inside the passage ingestion transaction for every newly stored passage (never for
 * a replay, so a duplicated event changes nothing):
 *   - a passage that follows an online validation confirms that validation's reservation (same gate and
 *     correlationId), which then stops counting — the entry is now in `entries_used`, so it is counted once;
 *   - an admitted entry of a ticket with a limited number of entries uses one: `entries_used` + 1, never beyond
 *     `entries_total`, and an active ticket whose entries are all used becomes `used` (a single ticket on its first
 *     entry, a count card at its last); each change appends the ticket's feed row in the same transaction, so gates
 *     learn it from the next delta;
 *   - exits, passes (unlimited entries) and tickets of another site change nothing on the ticket.
 * Anti-passback and per-day counts read the passages themselves (`passage_events`, indexed by ticket and time) plus
 * the open reservations, so no separate per-ticket state is kept.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { PassageHook, StoredEvent } from '../passages/service.js';
import { confirmReservation, findTicketRow } from './repo.js';
import type { TicketsService } from './service.js';

export function ticketPassageHook(tickets: TicketsService): PassageHook {
  return {
    name: 'tickets',
    async apply(trx: Transaction<Database>, event: StoredEvent): Promise<void> {
      if (event.kind !== 'passage' || event.ticket_id === null) return;
      if (event.correlation_id !== null)
        await confirmReservation(trx, event.gate_id, event.correlation_id, event.event_id, event.received_at);
      if (event.direction !== 'in') return;
      const row = await findTicketRow(trx, event.ticket_id);
      if (!row || row.site_id !== event.site_id || row.entries_total === null) return;
      if (row.entries_used >= row.entries_total) return;
      const entriesUsed = row.entries_used + 1;
      const finished = entriesUsed >= row.entries_total && row.status === 'active';
      await tickets.change(trx, row.id, 'use', { entriesUsed, ...(finished && { status: 'used' as const }) });
    },
  };
}
