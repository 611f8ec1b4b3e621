/**
 * How many persons of an order's codes went in. A group code counts its entries in persons (protocol credential
 * record): each passage uses its headcount, so entriesUsed is the persons redeemed — 25 of a group of 30 is 25, and
 * the code still admits the other 5 until the order is closed. A one-person ticket is redeemed once it was used.
 * Codes with unlimited entries are not counted by the gates' passages (entriesUsed stays 0), as before.
 */
import type { Ticket } from '../tickets/schemas.js';

type Counted = Pick<Ticket, 'persons' | 'entriesUsed' | 'status'>;

/** Persons of this code who went in. */
export function personsRedeemed(ticket: Counted): number {
  return Math.min(ticket.persons, ticket.entriesUsed);
}

/** Persons of this code who may still go in: none once the code is no longer active (used, withdrawn, replaced). */
export function personsLeft(ticket: Counted): number {
  return ticket.status === 'active' ? ticket.persons - personsRedeemed(ticket) : 0;
}

export interface LineRedemption {
  /** Persons on the line's codes. */
  readonly persons: number;
  readonly redeemed: number;
  readonly left: number;
}

/** Per order line (by line number): persons issued, redeemed and still admissible. */
export function redemptionByLine(
  tickets: readonly { readonly lineNo: number; readonly ticket: Counted }[],
): Map<number, LineRedemption> {
  const byLine = new Map<number, LineRedemption>();
  for (const { lineNo, ticket } of tickets) {
    const sum = byLine.get(lineNo) ?? { persons: 0, redeemed: 0, left: 0 };
    byLine.set(lineNo, {
      persons: sum.persons + ticket.persons,
      redeemed: sum.redeemed + personsRedeemed(ticket),
      left: sum.left + personsLeft(ticket),
    });
  }
  return byLine;
}
