/**
 * What a group order adds to the takings journal (modules/takings/contract.ts), one taking (source `order`, the
 * order's id) per change that moves money or tickets, recorded in that change's transaction.
 *
 * Recognition rule — money counts when it moves, tickets when they are issued or taken back:
 * - Money of an order paid from its agency's account (预存/授信, method `agency_account`, no window or cashier: no
 *   till is involved) counts on the day of each ledger movement: the debit at confirm (+), the difference at a modify
 *   of a confirmed order (+ debit / − credit), the credit back (−) and the fee (+) at cancel, the credit for unused
 *   persons at close (−).
 * - Money of an order paid at the window counts at pick-up (the tenders by method, the change handed back taken out
 *   of the cash, at the window and cashier of the pick-up) and at close (the unused persons' refund paid out by the
 *   close's method, negative, by the closing operator).
 * - Tickets count at pick-up, when they are issued (per type: tickets, persons, and their prices as the amount) and
 *   at close, when the unused persons are withdrawn (per type: −1 ticket for a ticket nobody used, 0 for a group code
 *   partly used and closed, −the unused persons, −what their refund gave back). Holding, confirming and modifying
 *   an order issue nothing, and a cancelled or expired order never had tickets: no items.
 * So for every order, over its life: Σ money = what the agency or the window actually paid, net (ledger debits −
 * credits; tenders − change − refunds paid out), and Σ item persons = persons issued − unused persons withdrawn at
 * close. For an order that was picked up, Σ item amounts = Σ money too (both are its total less the unused refund);
 * a cancelled order's fee is money without tickets. An agency's money and its order's tickets may fall on different
 * days (confirmed today, picked up on the visit day).
 *
 * Not takings: an agency's top-ups (充值) and balance adjustments (agencies module, ledger kinds `topup` and
 * `adjustment`) are deposits and corrections of a prepaid balance, not sales; the money they stand for is counted
 * when an order spends it. They are never recorded here.
 *
 * Channel: `channel_api` for an order a partner placed with a channel API key (`channel_key_id`), `agency` for an
 * agency's order placed in the console (by its operator or the venue's staff for it), `window` for the venue's own
 * order.
 */
import type { TakingEntry, TakingItem, TakingPayment } from '../takings/contract.js';
import type * as repo from './repo.js';

type Order = Pick<repo.OrderRow, 'id' | 'site_id' | 'agency_id' | 'channel_key_id'>;

/** When and on which site-local day a change moved the money (the change's clock). */
export interface TakingTime {
  readonly at: number;
  readonly day: number;
}

export function orderChannel(order: Pick<repo.OrderRow, 'agency_id' | 'channel_key_id'>): string {
  if (order.channel_key_id !== null) return 'channel_api';
  return order.agency_id !== null ? 'agency' : 'window';
}

function entryOf(
  order: Order,
  time: TakingTime,
  till: { windowId: string | null; cashierId: string | null },
  payments: readonly TakingPayment[],
  items: readonly TakingItem[],
): TakingEntry {
  return {
    source: 'order',
    sourceId: order.id,
    siteId: order.site_id,
    at: time.at,
    day: time.day,
    channel: orderChannel(order),
    windowId: till.windowId,
    cashierId: till.cashierId,
    agencyId: order.agency_id,
    payments: payments.filter((p) => p.amountFen !== 0),
    items,
  };
}

/**
 * Movements of the agency's account for one change, signed as takings: a debit (the agency pays) positive, a credit
 * (money back to it) negative. Several movements of one change (a cancellation's credit and fee) are one taking.
 */
export function agencyAccountTaking(
  order: Order,
  time: TakingTime,
  signedFen: readonly number[],
): TakingEntry {
  return entryOf(
    order,
    time,
    { windowId: null, cashierId: null },
    signedFen.map((amountFen) => ({ method: 'agency_account', amountFen })),
    [],
  );
}

export interface IssuedTicket {
  readonly typeId: number;
  readonly persons: number;
  readonly priceFen: number;
}

/** Tickets per type, in the order the types first appear. */
function byType<T>(
  rows: readonly T[],
  typeOf: (row: T) => number,
  add: (item: TakingItem, row: T) => TakingItem,
) {
  const items = new Map<number, TakingItem>();
  for (const row of rows) {
    const typeId = typeOf(row);
    items.set(typeId, add(items.get(typeId) ?? { typeId, tickets: 0, persons: 0, amountFen: 0 }, row));
  }
  return [...items.values()];
}

/**
 * Pick-up: the tickets issued, and for an order paid at the window its tenders net of the change (nothing for one
 * paid from the agency's account: that money counted when it was debited).
 */
export function pickUpTaking(
  order: Order,
  time: TakingTime,
  pickUp: {
    readonly windowId: string;
    readonly cashierId: string | null;
    readonly tendered: readonly { method: TakingPayment['method']; amountFen: number }[];
    readonly changeFen: number;
    readonly issued: readonly IssuedTicket[];
  },
): TakingEntry {
  const byMethod = new Map<TakingPayment['method'], number>();
  for (const p of pickUp.tendered) byMethod.set(p.method, (byMethod.get(p.method) ?? 0) + p.amountFen);
  if (pickUp.changeFen > 0) byMethod.set('cash', (byMethod.get('cash') ?? 0) - pickUp.changeFen);
  return entryOf(
    order,
    time,
    { windowId: pickUp.windowId, cashierId: pickUp.cashierId },
    [...byMethod].map(([method, amountFen]) => ({ method, amountFen })),
    byType(
      pickUp.issued,
      (t) => t.typeId,
      (item, t) => ({
        ...item,
        tickets: item.tickets + 1,
        persons: item.persons + t.persons,
        amountFen: item.amountFen + t.priceFen,
      }),
    ),
  );
}

export interface WithdrawnTicket {
  readonly typeId: number;
  /** Nobody used it: the ticket itself is taken back (a partly used group code stays issued, closed as used). */
  readonly unused: boolean;
  readonly unusedPersons: number;
  readonly refundFen: number;
}

/**
 * Close: the unused persons taken back per type, with what their refund gave back; the refund itself leaves by the
 * agency's account or, for an order paid at the window, by the close's method at the closing operator.
 */
export function closeTaking(
  order: Order & Pick<repo.OrderRow, 'payment_mode'>,
  time: TakingTime,
  close: {
    readonly cashierId: string | null;
    readonly refundMethod: Exclude<TakingPayment['method'], 'points' | 'agency_account'>;
    readonly withdrawn: readonly WithdrawnTicket[];
  },
): TakingEntry {
  const refundFen = close.withdrawn.reduce((sum, t) => sum + t.refundFen, 0);
  const byWindow = order.payment_mode === 'window';
  return entryOf(
    order,
    time,
    { windowId: null, cashierId: byWindow ? close.cashierId : null },
    [{ method: byWindow ? close.refundMethod : 'agency_account', amountFen: -refundFen }],
    byType(
      close.withdrawn,
      (t) => t.typeId,
      (item, t) => ({
        ...item,
        tickets: item.tickets - (t.unused ? 1 : 0),
        persons: item.persons - t.unusedPersons,
        amountFen: item.amountFen - t.refundFen,
      }),
    ),
  );
}
