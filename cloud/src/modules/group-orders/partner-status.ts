/**
 * What a partner reads of an order: its status in OCTO's words (the channel API answers and its webhooks carry it),
 * derived from the order's state (states.ts), its hold and the persons the gates admitted. The mapping is stated
 * once here and documented in the channel API's OpenAPI text (channel/octo.ts):
 *
 *   held                       → ON_HOLD (EXPIRED once the hold has lapsed, before the sweep has run)
 *   confirmed                  → CONFIRMED
 *   picked_up                  → CONFIRMED, REDEEMED once every person has been admitted
 *   closed                     → REDEEMED when anyone was admitted, EXPIRED when nobody came
 *   cancelled                  → CANCELLED
 *   expired                    → EXPIRED
 */
import type { OrderState } from './states.js';

export const OCTO_STATUSES = ['ON_HOLD', 'CONFIRMED', 'CANCELLED', 'EXPIRED', 'REDEEMED'] as const;
export type OctoStatus = (typeof OCTO_STATUSES)[number];

export interface OrderForStatus {
  readonly state: OrderState;
  readonly holdExpiresAt: number | null;
  readonly headcount: number;
  readonly personsAdmitted: number;
}

export function octoStatusOf(order: OrderForStatus, now: number): OctoStatus {
  switch (order.state) {
    case 'held':
      return order.holdExpiresAt !== null && order.holdExpiresAt <= now ? 'EXPIRED' : 'ON_HOLD';
    case 'confirmed':
      return 'CONFIRMED';
    case 'picked_up':
      return order.personsAdmitted >= order.headcount ? 'REDEEMED' : 'CONFIRMED';
    case 'closed':
      return order.personsAdmitted > 0 ? 'REDEEMED' : 'EXPIRED';
    case 'cancelled':
      return 'CANCELLED';
    case 'expired':
      return 'EXPIRED';
  }
}
