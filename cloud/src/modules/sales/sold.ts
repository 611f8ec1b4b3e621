/**
 * A sale as its transaction resolved it, before anything is written: each line with its type version, priced
 * tickets, capacity claim and validity, and the sale's totals. The rows (rows.ts), the audit entry (audit.ts) and the
 * answer (view.ts) are all built from it.
 */
import type { IdempotentRequest } from '../../db/idempotency.js';
import type { Cashier } from '../../platform/idempotent-reply.js';
import type { CapacityClaim } from '../capacity/service.js';
import type { Quote, TicketType } from '../ticket-types/schemas.js';
import type { IssueWindow } from '../ticket-types/validity.js';
import type { TicketToIssue } from '../tickets/service.js';
import type { SaleOrder } from './order.js';
import { settle } from './payments.js';

export interface PricedTicket {
  readonly quote: Quote;
  readonly holder: TicketToIssue['holder'];
  /** The stub's normalised code, for a pre-printed ticket. */
  readonly barcode: string | null;
  /** The IC card bound at the window (cards.ts), normalised. */
  readonly cardUid?: string | null;
}

export interface SoldLine {
  readonly lineNo: number;
  readonly type: TicketType;
  readonly visitDate: string;
  readonly visitDay: number;
  readonly quantity: number;
  readonly personsPerTicket: number;
  readonly amountFen: number;
  /** The card deposit (押金) charged with the line's cards, fen: part of the sale's total, not of the tickets' price. */
  readonly depositFen: number;
  readonly slot: CapacityClaim['slot'];
  readonly validFrom: number;
  readonly validTo: number;
  /** Validity from the first entry (ticket-types validity.ts), or null for a fixed window. */
  readonly activation: IssueWindow['activation'];
  readonly tickets: readonly PricedTicket[];
}

export interface SoldSale {
  readonly id: string;
  readonly order: SaleOrder;
  readonly cashier: Cashier;
  readonly request: IdempotentRequest;
  readonly createdAt: number;
  readonly lines: readonly SoldLine[];
  /** The tickets' amounts plus the card deposits. */
  readonly totalFen: number;
  /** The card deposits of the sale's lines, fen. */
  readonly depositFen: number;
  readonly paidFen: number;
  readonly changeFen: number;
  readonly ticketCount: number;
  readonly persons: number;
}

/**
 * The sale's totals over its lines; PAYMENT_MISMATCH when the payments do not settle the total, CHANGE_TOO_LARGE when
 * they would leave more than `maxChangeFen` of change.
 */
export function soldSale(
  sale: Omit<SoldSale, 'totalFen' | 'depositFen' | 'paidFen' | 'changeFen' | 'ticketCount' | 'persons'>,
  maxChangeFen: number,
): SoldSale {
  let totalFen = 0;
  let depositFen = 0;
  let ticketCount = 0;
  let persons = 0;
  for (const line of sale.lines) {
    totalFen += line.amountFen + line.depositFen;
    depositFen += line.depositFen;
    ticketCount += line.tickets.length;
    for (const ticket of line.tickets) persons += ticket.quote.persons;
  }
  const { paidFen, changeFen } = settle(totalFen, sale.order.payments, maxChangeFen);
  return { ...sale, totalFen, depositFen, paidFen, changeFen, ticketCount, persons };
}
