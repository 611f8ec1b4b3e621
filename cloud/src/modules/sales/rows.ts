/** The rows a sale writes: the sale, its lines and payments (repo.ts), and its tickets (TicketsService.issue). */
import { QR_FLAGS } from '@scenic/protocol';
import type { Insertable } from 'kysely';
import type { TicketToIssue } from '../tickets/service.js';
import type { SoldSale } from './sold.js';
import type { SaleLinesTable, SalePaymentsTable, SalesTable } from './tables.js';

export interface SaleRows {
  readonly sale: Insertable<SalesTable>;
  readonly lines: Insertable<SaleLinesTable>[];
  readonly payments: Insertable<SalePaymentsTable>[];
}

export function saleRows(sold: SoldSale): SaleRows {
  const { order, cashier, request } = sold;
  return {
    sale: {
      id: sold.id,
      site_id: order.siteId,
      window_id: order.windowId,
      channel: order.channel,
      cashier_id: cashier.id,
      cashier_username: cashier.username,
      idempotency_key: request.key,
      request_hash: request.hash,
      total_fen: sold.totalFen,
      paid_fen: sold.paidFen,
      change_fen: sold.changeFen,
      ticket_count: sold.ticketCount,
      persons: sold.persons,
      created_at: sold.createdAt,
      customer_id: order.customerId,
    },
    lines: sold.lines.map((line) => ({
      sale_id: sold.id,
      line_no: line.lineNo,
      type_id: line.type.typeId,
      type_version: line.type.version,
      visit_day: line.visitDay,
      slot_id: line.slot?.id ?? null,
      quantity: line.quantity,
      persons: line.personsPerTicket,
      amount_fen: line.amountFen,
    })),
    payments: order.payments.map((payment, seq) => ({
      sale_id: sold.id,
      seq: seq + 1,
      method: payment.method,
      amount_fen: payment.amountFen,
    })),
  };
}

/** A pre-printed stub the sale activates, and which of the tickets to issue it becomes. */
export interface StubToActivate {
  readonly code: string;
  readonly index: number;
  readonly typeId: number;
}

/** Every ticket of the sale in line order, and the stubs among them. */
export function ticketsToIssue(sold: SoldSale): { tickets: TicketToIssue[]; stubs: StubToActivate[] } {
  const tickets: TicketToIssue[] = [];
  const stubs: StubToActivate[] = [];
  for (const line of sold.lines) {
    const { type } = line;
    for (const ticket of line.tickets) {
      if (ticket.barcode) stubs.push({ code: ticket.barcode, index: tickets.length, typeId: type.typeId });
      tickets.push({
        siteId: sold.order.siteId,
        typeId: type.typeId,
        typeVersion: type.version,
        saleId: sold.id,
        saleLine: line.lineNo,
        visitDay: line.visitDay,
        validFrom: line.validFrom,
        validTo: line.validTo,
        activation: line.activation,
        entriesTotal: type.entries,
        persons: ticket.quote.persons,
        slot: line.slot,
        holder: ticket.holder,
        priceFen: ticket.quote.priceFen,
        flags:
          (ticket.quote.ageRule && ticket.quote.priceFen < ticket.quote.basePriceFen
            ? QR_FLAGS.CONCESSION
            : 0) | (type.kind === 'group' ? QR_FLAGS.GROUP : 0),
        barcode: ticket.barcode,
        cardUid: ticket.cardUid ?? null,
      });
    }
  }
  return { tickets, stubs };
}
