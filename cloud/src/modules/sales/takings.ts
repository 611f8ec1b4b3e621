/** What a window sale adds to the takings journal (modules/takings/contract.ts). */
import type { TakingEntry, TakingPayment } from '../takings/contract.js';
import type { SoldSale } from './sold.js';

/**
 * The money the sale kept, by method: the change handed back comes out of the cash tendered, so the payments sum to
 * the sale's total; tickets and persons per type from its lines.
 */
export function takingOfSale(sold: SoldSale, day: number): TakingEntry {
  const { order } = sold;
  const byMethod = new Map<TakingPayment['method'], number>();
  for (const payment of order.payments)
    byMethod.set(payment.method, (byMethod.get(payment.method) ?? 0) + payment.amountFen);
  if (sold.changeFen > 0) byMethod.set('cash', (byMethod.get('cash') ?? 0) - sold.changeFen);
  return {
    source: 'sale',
    sourceId: sold.id,
    siteId: order.siteId,
    at: sold.createdAt,
    day,
    channel: order.channel,
    windowId: order.windowId,
    cashierId: sold.cashier.id,
    agencyId: null,
    payments: [...byMethod]
      .filter(([, fen]) => fen !== 0)
      .map(([method, amountFen]) => ({ method, amountFen })),
    items: sold.lines.map((line) => ({
      typeId: line.type.typeId,
      tickets: line.quantity,
      persons: line.quantity * line.personsPerTicket,
      amountFen: line.amountFen,
    })),
  };
}
