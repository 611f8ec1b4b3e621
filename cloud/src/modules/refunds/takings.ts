/** What a refund takes out of the takings journal (modules/takings/contract.ts). */
import type { Sale } from '../sales/schemas.js';
import type { TakingEntry } from '../takings/contract.js';
import type { Ticket } from '../tickets/schemas.js';
import type { RefundPayment } from './policy.js';

export interface RefundTaking {
  readonly refundId: string;
  readonly sale: Sale;
  readonly cashierId: string;
  /** The window the money left at, when the refund names one (its shift is found from it). */
  readonly windowId: string | null;
  readonly at: number;
  readonly day: number;
  readonly tickets: readonly { ticket: Ticket; money: { amountFen: number } }[];
  readonly payments: readonly RefundPayment[];
}

/**
 * The money handed back (negative, by method) on the day and at the cashier where it left the till — not on the
 * sale's day — and each ticket taken back with what it returned; what the fee kept stays in the sale's figures.
 */
export function takingOfRefund(refund: RefundTaking): TakingEntry {
  const byType = new Map<number, { tickets: number; persons: number; amountFen: number }>();
  for (const { ticket, money } of refund.tickets) {
    const item = byType.get(ticket.typeId) ?? { tickets: 0, persons: 0, amountFen: 0 };
    item.tickets -= 1;
    item.persons -= ticket.persons;
    item.amountFen -= money.amountFen;
    byType.set(ticket.typeId, item);
  }
  return {
    source: 'refund',
    sourceId: refund.refundId,
    siteId: refund.sale.siteId,
    at: refund.at,
    day: refund.day,
    channel: refund.sale.channel,
    windowId: refund.windowId,
    cashierId: refund.cashierId,
    agencyId: null,
    payments: refund.payments
      .filter((p) => p.amountFen !== 0)
      .map((p) => ({ method: p.method, amountFen: -p.amountFen })),
    items: [...byType].map(([typeId, item]) => ({ typeId, ...item })),
  };
}
