/**
 * An order's lines priced: the venue's own orders at each type's `window` channel price, an agency's at its
 * settlement prices (agencies contract `orderTerms`), which also says how the agency pays. Either way the type's own
 * checks run through the ticket types' one price function (site, active, valid on the visit's weekday, a group
 * type's size range), so an order is refused for the same reasons a sale would be.
 *
 * Group orders are priced per person at the full price: the visitors are not known one by one when the order is
 * placed, so no age discounts apply (as for group tickets, ticket-types/pricing.ts).
 */
import type { Connection } from '../../db/scoped.js';
import { AppError } from '../../platform/errors.js';
import type { CivilDate } from '../../platform/identity/civil-date.js';
import type { AgencyAccounts, AgencyPaymentMode } from '../agencies/contract.js';
import { priceOf } from '../ticket-types/pricing.js';
import type { TicketType } from '../ticket-types/schemas.js';
import type { TicketTypesService } from '../ticket-types/service.js';

export interface LineToPrice {
  readonly typeId: number;
  readonly quantity: number;
}

export interface PricedLine {
  readonly lineNo: number;
  readonly type: TicketType;
  readonly quantity: number;
  readonly unitPriceFen: number;
  readonly amountFen: number;
}

export interface PricedOrder {
  readonly paymentMode: AgencyPaymentMode;
  readonly lines: readonly PricedLine[];
  readonly totalFen: number;
  readonly headcount: number;
}

export interface TermsDependencies {
  readonly ticketTypes: TicketTypesService;
  readonly agencies?: AgencyAccounts | undefined;
}

export interface OrderToPrice {
  readonly siteId: string;
  readonly agencyId: string | null;
  /** YYYY-MM-DD and its civil date. */
  readonly visitDate: string;
  readonly visitOn: CivilDate;
  readonly lines: readonly LineToPrice[];
}

/** The unit price of one person of `type`: its checks, then the price per person. */
function unitPrice(type: TicketType, order: OrderToPrice, quantity: number, agencyFen?: number): number {
  if (type.siteId !== order.siteId)
    throw new AppError('TICKET_TYPE_OTHER_SITE', { typeId: type.typeId, siteId: order.siteId });
  if (!type.active) throw new AppError('TICKET_TYPE_INACTIVE', { typeId: type.typeId });
  // An agency's settlement price stands in for the channel price; the type's other rules still apply.
  const version = agencyFen === undefined ? type : { ...type, prices: { agency: agencyFen } };
  const quote = priceOf(version, null, {
    channel: agencyFen === undefined ? 'window' : 'agency',
    visitDate: order.visitOn,
    ...(type.kind === 'group' && { persons: quantity }),
  });
  return quote.basePriceFen;
}

export async function priceOrder(
  deps: TermsDependencies,
  trx: Connection,
  order: OrderToPrice,
): Promise<PricedOrder> {
  const types: TicketType[] = [];
  for (const line of order.lines) types.push(await deps.ticketTypes.get(line.typeId, trx));
  let paymentMode: AgencyPaymentMode = 'window';
  let agencyPrices: readonly number[] | undefined;
  if (order.agencyId !== null) {
    if (!deps.agencies) throw new AppError('ORDER_AGENCIES_UNAVAILABLE');
    const terms = await deps.agencies.orderTerms(
      trx,
      order.agencyId,
      order.lines.map((line) => ({ typeId: line.typeId, visitDate: order.visitDate })),
    );
    paymentMode = terms.paymentMode;
    agencyPrices = terms.unitPricesFen;
  }
  const lines = order.lines.map((line, index): PricedLine => {
    const type = types[index]!;
    const unitPriceFen = unitPrice(type, order, line.quantity, agencyPrices?.[index]);
    return {
      lineNo: index + 1,
      type,
      quantity: line.quantity,
      unitPriceFen,
      amountFen: unitPriceFen * line.quantity,
    };
  });
  return {
    paymentMode,
    lines,
    totalFen: lines.reduce((sum, line) => sum + line.amountFen, 0),
    headcount: lines.reduce((sum, line) => sum + line.quantity, 0),
  };
}
