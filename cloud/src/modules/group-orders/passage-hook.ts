/**
 * The passage → group order hook, run inside the passage ingestion transaction for every newly stored passage
 * (passages/service.ts; never for a replay, so a duplicated event counts nothing twice): an entry on a ticket an
 * order issued adds the persons it admitted to the ticket's and the order's `persons_admitted` — the passage's
 * `persons` (a group code admits its party in one pass), at least 1, never beyond the ticket's persons — and, for an
 * order placed through the channel API, enqueues `booking.redeemed` for its partner in the same transaction.
 *
 * The passages module knows nothing of orders: it runs the hooks the composition root gives it.
 */
import type { Connection } from '../../db/scoped.js';
import type { PassageHook, StoredEvent } from '../passages/service.js';
import { type BookingEvents, notifyPartner } from './partner-events.js';
import * as repo from './repo.js';

type Admissions = Map<number, repo.AdmissionTicket>;

function enteredTicketIds(events: readonly StoredEvent[]): number[] {
  const ids = new Set<number>();
  for (const event of events)
    if (event.kind === 'passage' && event.direction === 'in' && event.ticket_id !== null)
      ids.add(event.ticket_id);
  return [...ids];
}

async function admissionsOf(trx: Connection, events: readonly StoredEvent[]): Promise<Admissions> {
  const ids = enteredTicketIds(events);
  if (ids.length === 0) return new Map();
  return new Map((await repo.admissionTickets(trx, ids)).map((ticket) => [ticket.ticket_id, ticket]));
}

export function groupOrderPassageHook(events?: BookingEvents): PassageHook<Admissions> {
  return {
    name: 'group-orders',
    prepare: admissionsOf,
    async apply(trx, event, prepared): Promise<void> {
      if (event.kind !== 'passage' || event.direction !== 'in' || event.ticket_id === null) return;
      const admissions = prepared ?? (await admissionsOf(trx, [event]));
      const ticket = admissions.get(event.ticket_id);
      if (!ticket) return;
      const persons = Math.min(Math.max(1, event.persons), ticket.persons - ticket.persons_admitted);
      if (persons <= 0) return;
      const admitted = ticket.persons_admitted + persons;
      await repo.setAdmitted(trx, ticket.order_id, ticket.ticket_id, admitted);
      await repo.addOrderAdmitted(trx, ticket.order_id, persons);
      // Kept current for the batch's later passages of the same ticket.
      admissions.set(ticket.ticket_id, { ...ticket, persons_admitted: admitted });
      if (ticket.channel_key_id === null || !events) return;
      const order = await repo.findOrder(trx, ticket.order_id);
      if (!order) return;
      await notifyPartner(events, trx, order, 'booking.redeemed', event.received_at, {
        ticketId: ticket.ticket_id,
        lineNo: ticket.line_no,
        persons,
        gateId: event.gate_id,
        at: event.at,
        personsLeft: order.headcount - order.persons_admitted,
      });
    },
  };
}
