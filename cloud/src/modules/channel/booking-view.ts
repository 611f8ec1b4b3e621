/** A group order as a partner reads it: the channel's booking, with its OCTO status (group-orders/partner-status.ts). */
import type { OctoStatus } from '../group-orders/partner-status.js';
import type { GroupOrderSummary } from '../group-orders/schemas.js';
import type { OrderCore } from '../group-orders/view.js';
import type { ChannelBooking, ChannelBookingSummary, Redemption } from './booking-schemas.js';

export function bookingSummaryOf(order: GroupOrderSummary, status: OctoStatus): ChannelBookingSummary {
  return {
    id: order.id,
    reference: order.reference,
    status,
    state: order.state,
    siteId: order.siteId,
    visitDate: order.visitDate,
    slotId: order.slotId,
    headcount: order.headcount,
    personsRedeemed: order.personsAdmitted,
    paymentMode: order.paymentMode,
    holdExpiresAt: order.state === 'held' ? order.holdExpiresAt : null,
    totalFen: order.totalFen,
    paidFen: order.paidFen,
    feeFen: order.feeFen,
    refundedFen: order.refundedFen,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
  };
}

export function bookingOf(order: OrderCore, status: OctoStatus): ChannelBooking {
  return {
    ...bookingSummaryOf(order, status),
    lines: order.lines.map((line) => ({
      lineNo: line.lineNo,
      typeId: line.typeId,
      quantity: line.quantity,
      unitPriceFen: line.unitPriceFen,
      amountFen: line.amountFen,
      personsRedeemed: line.personsAdmitted,
    })),
    guide: order.guide,
    visitors: order.visitors,
    visitorsDueAt: order.visitorsDueAt,
    cancelFreeUntil: order.policy.cancelFreeUntil,
  };
}

/** Persons may still enter while the order is held, confirmed or picked up (and its hold has not lapsed). */
const ADMISSIBLE: ReadonlySet<OctoStatus> = new Set(['ON_HOLD', 'CONFIRMED']);

export function redemptionOf(order: OrderCore, status: OctoStatus): Redemption {
  const open = ADMISSIBLE.has(status) || (status === 'REDEEMED' && order.state === 'picked_up');
  const lines = order.lines.map((line) => ({
    lineNo: line.lineNo,
    typeId: line.typeId,
    quantity: line.quantity,
    redeemed: line.personsAdmitted,
    left: open ? Math.max(0, line.quantity - line.personsAdmitted) : 0,
  }));
  return {
    bookingId: order.id,
    reference: order.reference,
    status,
    state: order.state,
    headcount: order.headcount,
    personsRedeemed: order.personsAdmitted,
    personsLeft: lines.reduce((sum, line) => sum + line.left, 0),
    lines,
  };
}
