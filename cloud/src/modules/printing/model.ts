/**
 * What the printing module prints, independent of the tickets and sales tables: the caller (the sales module) maps
 * its rows to these shapes, so printing never reads the database and a table change never breaks a printout.
 * Money is integer fen, times are epoch milliseconds formatted in `timeZone` (the venue's IANA zone), texts are
 * printed as given (overlong ones are wrapped and cut with an ellipsis, never overflowing the stub).
 */
import type { TicketKind } from '../ticket-types/schemas.js';

export interface BilingualText {
  zh: string;
  en: string;
}

/** Validity like the QR credential's: `fromMs` inclusive, `toMs` exclusive. */
export interface PrintPeriod {
  fromMs: number;
  toMs: number;
}

export interface TicketPrintModel {
  /** IANA zone of the venue, e.g. `Asia/Shanghai`; every time on the ticket is shown in it. */
  timeZone: string;
  venueName: BilingualText;
  ticketTypeName: BilingualText;
  kind: TicketKind;
  /** What the visitor paid for this ticket, in fen (12000 → ¥120.00). */
  pricePaidFen: number;
  validity: PrintPeriod;
  /** Timed-entry slot (分时预约), when the ticket has one. */
  slot?: PrintPeriod | null;
  /** Entries granted (count cards, 次卡); omitted or null for unlimited / single-entry types, where it is not printed. */
  entries?: number | null;
  /** Persons admitted (group tickets); printed when above 1. */
  persons?: number | null;
  /** Real-name tickets: the holder's name and the ID already masked by the caller (e.g. `110105********123X`). */
  holder?: { name: string; maskedId: string } | null;
  /** Protocol QR credential text (122 base45 chars, may start with a space): printed verbatim, never trimmed. */
  qrText?: string | null;
  /** Pre-printed / issued 1D code (12 digits), printed as Code128 with its digits underneath. */
  barcode?: string | null;
  /** Ticket serial shown to staff (票号); a ticket id as decimal text is fine. */
  serial: string;
  saleId: string;
  cashier?: string | null;
  window?: string | null;
  printedAtMs: number;
}

export type PaymentMethod =
  | 'cash'
  | 'wechat'
  | 'alipay'
  | 'unionpay'
  | 'card'
  | 'voucher'
  | 'points'
  | 'other';

export interface ReceiptLine {
  /** Usually the ticket type name. */
  name: BilingualText;
  quantity: number;
  unitPriceFen: number;
  /** quantity × unit price less any discount on this line; printed as given. */
  amountFen: number;
}

export interface ReceiptPayment {
  method: PaymentMethod;
  amountFen: number;
}

export interface ReceiptPrintModel {
  timeZone: string;
  venueName: BilingualText;
  saleId: string;
  soldAtMs: number;
  cashier?: string | null;
  window?: string | null;
  lines: ReceiptLine[];
  /** Sum of line amounts. */
  totalFen: number;
  /** Discount on the whole sale, when any (shown as a negative line). */
  discountFen?: number;
  payments: ReceiptPayment[];
  /** Cash handed back (找零); omitted or 0 when none. */
  changeFen?: number;
  /** A free-text footer, e.g. the venue's phone number or refund policy. */
  footer?: string | null;
  printedAtMs: number;
}
