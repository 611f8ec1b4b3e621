/**
 * The printing service: what other modules call. It reads no tables; callers pass print models (model.ts).
 *
 * How the sales module maps an issued ticket to a TicketPrintModel:
 *   timeZone        the venue's IANA zone (venues.time_zone)
 *   venueName       venue name { zh, en };  ticketTypeName: the type's name { zh, en };  kind: the type's kind
 *   pricePaidFen    what was charged for this ticket after age / group discounts (integer fen)
 *   validity        the ticket's valid_from / valid_to epoch ms, `toMs` exclusive (the same numbers as in the QR)
 *   slot            the booked timed-entry slot { fromMs, toMs } or null
 *   entries         entries granted for count cards; null otherwise
 *   persons         persons admitted by a group ticket; null otherwise
 *   holder          real-name tickets: { name, maskedId } with the ID masked *before* it reaches printing, e.g.
 *                   first 6 + `********` + last 4 — the full ID must never be printed
 *   qrText          the protocol QR credential text exactly as encoded (122 chars; may start with a space — do not
 *                   trim); barcode: the 12-digit code for pre-printed / barcode tickets; either or both
 *   serial          the ticket id as text;  saleId, cashier (display name), window (name), printedAtMs (now)
 * and a sale to a ReceiptPrintModel: one line per ticket type (quantity, unit price, amount), totalFen = sum of line
 * amounts, discountFen for a whole-sale discount, payments by method, changeFen for cash handed back.
 *
 * Routes to add in the sales module once the tickets table exists (permission: the one that reads sales), each
 * calling one function here; the byte output goes out with `reply.type(...).send(buffer)`:
 *   GET /api/v1/sales/:id/tickets.pdf?page=stub|a4   application/pdf           renderTicketsPdf
 *   GET /api/v1/sales/:id/receipt.pdf                application/pdf           renderReceiptPdf
 *   GET /api/v1/sales/:id/escpos?what=tickets|receipt application/octet-stream  renderTicketsEscPos / renderReceiptEscPos
 * Reprints should be written to the operation log (a reprinted ticket is a second valid copy of the same credential).
 */
import { renderTicketEscPos } from './escpos.js';
import type { TicketPrintModel } from './model.js';

export { renderTicketEscPos } from './escpos.js';
export type * from './model.js';
export { renderTicketsPdf, type TicketPage, type TicketPdfOptions } from './pdf-ticket.js';
export { renderReceiptEscPos, renderReceiptPdf } from './receipt.js';

/** Several slips in one stream, each ending in its own cut, for the window printer. */
export function renderTicketsEscPos(tickets: TicketPrintModel[]): Buffer {
  return Buffer.concat(tickets.map(renderTicketEscPos));
}
