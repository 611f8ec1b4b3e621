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
import { precompile } from '../../db/precompiled.js';
import type { Database } from '../../db/schema.js';
import type { PassageHook, StoredEvent } from '../passages/service.js';
import type { TicketsService } from './service.js';
import type { TicketsTable } from './tables.js';

// Run for every stored passage: compiled once (db/precompiled.ts) rather than built per event.
const confirmReservation = precompile<
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

const entriesOfTicket = precompile<
  { id: number },
  Pick<TicketsTable, 'id' | 'site_id' | 'status' | 'entries_total' | 'entries_used'>
>((db, p) =>
  db
    .selectFrom('tickets')
    .select(['id', 'site_id', 'status', 'entries_total', 'entries_used'])
    .where('id', '=', p.id),
);

export function ticketPassageHook(tickets: TicketsService): PassageHook {
  return {
    name: 'tickets',
    async apply(trx: Transaction<Database>, event: StoredEvent): Promise<void> {
      if (event.kind !== 'passage' || event.ticket_id === null) return;
      if (event.correlation_id !== null)
        await confirmReservation.changed(trx, {
          gateId: event.gate_id,
          correlationId: event.correlation_id,
          eventId: event.event_id,
          at: event.received_at,
        });
      if (event.direction !== 'in') return;
      const row = await entriesOfTicket.first(trx, { id: event.ticket_id });
      if (!row || row.site_id !== event.site_id || row.entries_total === null) return;
      if (row.entries_used >= row.entries_total) return;
      const entriesUsed = row.entries_used + 1;
      const finished = entriesUsed >= row.entries_total && row.status === 'active';
      await tickets.change(trx, row.id, 'use', { entriesUsed, ...(finished && { status: 'used' as const }) });
    },
  };
}
