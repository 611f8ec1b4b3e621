/**
 * What group orders tell the partner that placed an order through the channel API (`channel_key_id`): a
 * cancellation, a hold that lapsed unconfirmed (its places given back), money given back (a cancellation credit, the refund of unused persons at closing) and every
 * admission at a gate. Each is enqueued in the transaction of the change itself, so the partner hears of exactly
 * what committed. `BookingEvents` is the contract the composition root fills with the webhooks module's outbox
 * (WebhooksService.enqueue); an order placed in the console has no key and raises nothing.
 */
import type { Connection } from '../../db/scoped.js';
import { isoDateOfDay } from '../capacity/local-time.js';
import { type OctoStatus, octoStatusOf } from './partner-status.js';
import type { OrderRow } from './repo.js';

export type BookingEventType =
  | 'booking.redeemed'
  | 'booking.cancelled'
  | 'booking.refunded'
  | 'booking.expired';

export interface BookingEvents {
  /** Records the event in `trx` (the change's transaction); answers its id, unique per event. */
  enqueue(trx: Connection, event: { type: BookingEventType; keyId: string; data: unknown }): Promise<string>;
}

/** The booking as every event describes it, with what this event adds. */
export function bookingEventData(
  row: OrderRow,
  now: number,
  extra: Record<string, unknown>,
): Record<string, unknown> & { status: OctoStatus } {
  return {
    bookingId: row.id,
    reference: row.reference,
    siteId: row.site_id,
    visitDate: isoDateOfDay(row.visit_day),
    slotId: row.slot_id,
    headcount: row.headcount,
    state: row.state,
    status: octoStatusOf(
      {
        state: row.state,
        holdExpiresAt: row.hold_expires_at,
        headcount: row.headcount,
        personsAdmitted: row.persons_admitted,
      },
      now,
    ),
    personsRedeemed: row.persons_admitted,
    ...extra,
  };
}

/** Enqueues `type` for an order placed through the channel API; nothing for the console's orders. */
export async function notifyPartner(
  events: BookingEvents | undefined,
  trx: Connection,
  row: OrderRow,
  type: BookingEventType,
  now: number,
  extra: Record<string, unknown>,
): Promise<void> {
  if (!events || row.channel_key_id === null) return;
  await events.enqueue(trx, { type, keyId: row.channel_key_id, data: bookingEventData(row, now, extra) });
}
