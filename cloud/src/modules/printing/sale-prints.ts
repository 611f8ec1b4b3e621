/**
 * Sales and tickets as print models (modules/printing/model.ts), and the operation-log entry every ticket print
 * leaves. Printing reads no tables, so this is where a sale's rows meet the printer: the venue's zone formats every
 * date, holders arrive already masked (tickets store only the masked ID), and refunded or revoked tickets are never
 * printed — a printout of a dead credential would only mislead the visitor.
 *
 * Every ticket print is audited, not only reprints: each printout is one more valid copy of the same credential, and
 * the first print of a sale cannot be told apart from a later one without that log.
 */

import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { auditedTransaction, recordAudit } from '../../platform/audit/record.js';
import type { ChangeContext } from '../../platform/change-context.js';
import { AppError } from '../../platform/errors.js';
import type { Localized } from '../../platform/language.js';
import { ALL_SITES, type SiteScope } from '../../platform/site-scope.js';
import type { PaymentMethod, Sale } from '../sales/schemas.js';
import type { SalesService } from '../sales/service.js';
import type { TicketKind } from '../ticket-types/schemas.js';
import type { Ticket } from '../tickets/schemas.js';
import type { TicketsService } from '../tickets/service.js';
import type { Site } from '../venues/schemas.js';
import type { VenuesService } from '../venues/service.js';
import type {
  PaymentMethod as PrintPaymentMethod,
  ReceiptLine,
  ReceiptPrintModel,
  TicketPrintModel,
} from './model.js';

const PRINT_METHODS: Record<PaymentMethod, PrintPaymentMethod> = {
  cash: 'cash',
  bank_card: 'card',
  wechat: 'wechat',
  alipay: 'alipay',
  points: 'points',
};

const REPRINT: Localized = { 'zh-CN': '补打', en: 'reprinted' };
const PRINTABLE = new Set<Ticket['status']>(['active', 'used', 'not_activated']);

export type PrintFormat = 'pdf_stub' | 'pdf_a4' | 'escpos';

export interface SaleTicketPrint {
  readonly sale: Sale;
  readonly models: TicketPrintModel[];
}

export class SalePrints {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly sales: SalesService,
    private readonly tickets: TicketsService,
    private readonly venues: VenuesService,
    private readonly now: () => number = Date.now,
  ) {}

  /** The sale's printable tickets, or NOTHING_TO_PRINT when every one was refunded or revoked. */
  async ticketsOfSale(saleId: string, scope: SiteScope = ALL_SITES): Promise<SaleTicketPrint> {
    const sale = await this.sales.get(saleId, scope);
    const printable = sale.tickets.filter((ticket) => PRINTABLE.has(ticket.status));
    if (printable.length === 0) throw new AppError('NOTHING_TO_PRINT', { saleId });
    const { site, window } = await this.placeOf(sale);
    const printedAt = this.now();
    return {
      sale,
      models: printable.map((ticket) => ticketModel(ticket, site, sale.cashier.username, window, printedAt)),
    };
  }

  async receiptOf(saleId: string, scope: SiteScope = ALL_SITES): Promise<ReceiptPrintModel> {
    const sale = await this.sales.get(saleId, scope);
    const { site, window } = await this.placeOf(sale);
    return {
      timeZone: site.timezone,
      venueName: site.name,
      saleId: sale.id,
      soldAtMs: sale.createdAt,
      cashier: sale.cashier.username,
      window,
      lines: receiptLines(sale),
      totalFen: sale.totalFen,
      payments: sale.payments.map((p) => ({ method: PRINT_METHODS[p.method], amountFen: p.amountFen })),
      changeFen: sale.changeFen,
      printedAtMs: this.now(),
    };
  }

  /** One ticket again (lost or damaged printout); refused for a refunded or revoked ticket. */
  async ticket(
    ticketId: number,
    scope: SiteScope = ALL_SITES,
  ): Promise<{ ticket: Ticket; model: TicketPrintModel }> {
    const ticket = await this.tickets.get(ticketId, undefined, scope);
    if (!PRINTABLE.has(ticket.status))
      throw new AppError('TICKET_STATE_CONFLICT', { ticketId, status: ticket.status, action: REPRINT });
    const site = await this.venues.getSite(ticket.siteId);
    let cashier: string | null = null;
    let window: string | null = null;
    if (ticket.saleId !== null) {
      const sale = await this.sales.get(ticket.saleId);
      cashier = sale.cashier.username;
      window = (await this.placeOf(sale)).window;
    }
    return { ticket, model: ticketModel(ticket, site, cashier, window, this.now()) };
  }

  /**
   * Tickets issued without a sale (a group order's, picked up at a window) as print models, the dead ones left out;
   * NOTHING_TO_PRINT (naming `owner`) when none is left. `reference` is printed where a sale's tickets print the
   * sale: the group order's own reference, which the guide and the window staff know the group by.
   */
  async ticketsToPrint(
    tickets: readonly Ticket[],
    owner: string,
    place: {
      readonly cashier: string | null;
      readonly siteId: string;
      readonly windowId: string | null;
      readonly reference: string;
    },
  ): Promise<TicketPrintModel[]> {
    const printable = tickets.filter((ticket) => PRINTABLE.has(ticket.status));
    if (printable.length === 0) throw new AppError('NOTHING_TO_PRINT', { saleId: owner });
    const site = await this.venues.getSite(place.siteId);
    let window: string | null = place.windowId;
    if (place.windowId !== null)
      window = await this.venues.getWindow(place.siteId, place.windowId).then(
        (found) => found.name.zh,
        () => place.windowId,
      );
    const printedAt = this.now();
    return printable.map((ticket) => ({
      ...ticketModel(ticket, site, place.cashier, window, printedAt),
      saleId: place.reference,
    }));
  }

  /** The operation-log entry of a ticket print: which credentials now have one more paper copy. */
  async recordPrint(
    context: ChangeContext,
    what: {
      readonly saleId: string | null;
      /** Tickets of a group order: the entry is the order's. */
      readonly orderId?: string;
      readonly ticketIds: number[];
      readonly format: PrintFormat;
      readonly reprint: boolean;
    },
  ): Promise<void> {
    await auditedTransaction(this.db, (trx) =>
      recordAudit(
        trx,
        {
          actor: context.actor,
          ip: context.ip,
          action: what.reprint ? 'ticket.reprint' : 'ticket.print',
          entity: what.reprint ? 'ticket' : what.orderId !== undefined ? 'group_order' : 'sale',
          entityId: what.reprint ? (what.ticketIds[0] ?? null) : (what.orderId ?? what.saleId),
          after: {
            saleId: what.saleId,
            ...(what.orderId !== undefined && { orderId: what.orderId }),
            ticketIds: what.ticketIds,
            format: what.format,
          },
        },
        this.now(),
      ),
    );
  }

  private async placeOf(sale: Sale): Promise<{ site: Site; window: string | null }> {
    const site = await this.venues.getSite(sale.siteId);
    if (sale.windowId === null) return { site, window: null };
    try {
      return { site, window: (await this.venues.getWindow(sale.siteId, sale.windowId)).name.zh };
    } catch {
      // A window deleted since the sale: print its code rather than refuse the printout.
      return { site, window: sale.windowId };
    }
  }
}

function ticketModel(
  ticket: Ticket,
  site: Site,
  cashier: string | null,
  window: string | null,
  printedAt: number,
): TicketPrintModel {
  return {
    timeZone: site.timezone,
    venueName: site.name,
    ticketTypeName: ticket.typeName,
    kind: ticket.kind as TicketKind,
    pricePaidFen: ticket.priceFen,
    validity: { fromMs: ticket.validFrom, toMs: ticket.validTo },
    slot: ticket.slot && { fromMs: ticket.slot.start, toMs: ticket.slot.end },
    entries: ticket.entriesTotal === null ? null : ticket.entriesTotal - ticket.entriesUsed,
    persons: ticket.persons,
    holder: ticket.holder && { name: ticket.holder.name, maskedId: ticket.holder.idMasked },
    qrText: ticket.qrText,
    barcode: ticket.barcode,
    serial: String(ticket.ticketId),
    saleId: ticket.saleId ?? '—',
    cashier,
    window,
    printedAtMs: printedAt,
  };
}

/**
 * One receipt line per sale line and price: tickets of one line may differ in price (an age discount for one
 * holder), and a receipt shows unit prices that multiply out exactly.
 */
function receiptLines(sale: Sale): ReceiptLine[] {
  const lines: ReceiptLine[] = [];
  for (const line of sale.lines) {
    const prices = new Map<number, number>();
    for (const ticket of sale.tickets)
      if (ticket.saleLine === line.lineNo)
        prices.set(ticket.priceFen, (prices.get(ticket.priceFen) ?? 0) + 1);
    if (prices.size === 0) prices.set(Math.round(line.amountFen / line.quantity), line.quantity);
    for (const [unitPriceFen, quantity] of [...prices].sort((a, b) => b[0] - a[0]))
      lines.push({ name: line.typeName, quantity, unitPriceFen, amountFen: unitPriceFen * quantity });
  }
  return lines;
}
