/**
 * The answer to a new sale, built from what its transaction just wrote (the same shape as the stored sale that
 * SalesService.get reads, tested) so the sale is not read back.
 */
import type { TicketRow } from '../tickets/reads.js';
import { ticketView } from '../tickets/reads.js';
import type { Sale } from './schemas.js';
import type { SoldSale } from './sold.js';

export function saleView(sold: SoldSale, issued: readonly TicketRow[]): Sale {
  const { order, cashier } = sold;
  return {
    id: sold.id,
    siteId: order.siteId,
    windowId: order.windowId,
    channel: order.channel,
    cashier: { id: cashier.id, username: cashier.username },
    totalFen: sold.totalFen,
    paidFen: sold.paidFen,
    changeFen: sold.changeFen,
    ticketCount: sold.ticketCount,
    persons: sold.persons,
    createdAt: sold.createdAt,
    customerId: order.customerId,
    lines: sold.lines.map((line) => ({
      lineNo: line.lineNo,
      typeId: line.type.typeId,
      typeVersion: line.type.version,
      typeName: line.type.name,
      // The order's text: the schema admits only canonical YYYY-MM-DD, so it is the visit day's own form.
      visitDate: line.visitDate,
      slot: line.slot && { id: line.slot.id, start: line.slot.startAt, end: line.slot.endAt },
      quantity: line.quantity,
      persons: line.personsPerTicket,
      amountFen: line.amountFen,
    })),
    payments: order.payments.map((payment) => ({ method: payment.method, amountFen: payment.amountFen })),
    tickets: issued
      .map((row) => {
        const { type } = sold.lines[row.sale_line! - 1]!;
        return ticketView(row, type.name, type.kind);
      })
      .sort((a, b) => a.saleLine! - b.saleLine! || a.ticketId - b.ticketId),
  };
}
