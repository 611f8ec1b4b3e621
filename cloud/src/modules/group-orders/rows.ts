/** A new order's row and its lines, built from the priced request; and what its `create` transition records. */
import type { GroupOrderPolicy } from '../../config.js';
import type { AuditActor } from '../../platform/audit/record.js';
import type { CapacityClaim } from '../capacity/service.js';
import type * as repo from './repo.js';
import type { CreateGroupOrder } from './schemas.js';
import type { PricedOrder } from './terms.js';

export interface NewOrder {
  readonly id: string;
  readonly input: CreateGroupOrder;
  readonly agencyId: string | null;
  readonly referenceScope: string;
  readonly hash: string;
  readonly visitDay: number;
  readonly claim: CapacityClaim;
  readonly priced: PricedOrder;
  readonly policy: GroupOrderPolicy;
  readonly visitorsDueAt: number | null;
  readonly actor: AuditActor;
  /** The channel API key placing it, when a partner does. */
  readonly channelKeyId: string | null;
  readonly now: number;
}

/** Held, with nothing paid, and the policy of today's settings copied onto it. */
export function newOrderRow(order: NewOrder): repo.OrderRow {
  const { input, claim, priced, policy, now } = order;
  return {
    id: order.id,
    site_id: input.siteId,
    agency_id: order.agencyId,
    reference_scope: order.referenceScope,
    reference: input.reference,
    request_hash: order.hash,
    visit_day: order.visitDay,
    slot_id: claim.slot?.id ?? null,
    slot_start: claim.slot?.startAt ?? null,
    slot_end: claim.slot?.endAt ?? null,
    headcount: priced.headcount,
    guide_name: input.guide?.name ?? null,
    guide_phone: input.guide?.phone ?? null,
    state: 'held',
    payment_mode: priced.paymentMode,
    hold_expires_at: now + policy.holdMinutes * 60_000,
    visitors_due_at: order.visitorsDueAt,
    total_fen: priced.totalFen,
    paid_fen: 0,
    change_fen: 0,
    fee_fen: 0,
    refunded_fen: 0,
    cancel_free_hours: policy.cancelFreeHours,
    cancel_fee_permille: policy.cancelFeePermille,
    unused_refund_permille: policy.unusedRefundPermille,
    issue_mode: null,
    window_id: null,
    created_by_id: order.actor.id ?? 'system',
    created_by_username: order.actor.username,
    channel_key_id: order.channelKeyId,
    persons_admitted: 0,
    created_at: now,
    updated_at: now,
  };
}

export function lineRows(orderId: string, priced: PricedOrder) {
  return priced.lines.map((line) => ({
    order_id: orderId,
    line_no: line.lineNo,
    type_id: line.type.typeId,
    type_version: line.type.version,
    quantity: line.quantity,
    unit_price_fen: line.unitPriceFen,
    amount_fen: line.amountFen,
  }));
}

export function hasRealName(priced: PricedOrder): boolean {
  return priced.lines.some((line) => line.type.realName === 'per_ticket');
}

/** The `create` transition's details: what was asked and what it came to (never the visitors' ID numbers). */
export function createDetails(row: repo.OrderRow, priced: PricedOrder): Record<string, unknown> {
  return {
    reference: row.reference,
    visitDay: row.visit_day,
    slotId: row.slot_id,
    headcount: row.headcount,
    totalFen: row.total_fen,
    paymentMode: row.payment_mode,
    holdExpiresAt: row.hold_expires_at,
    lines: priced.lines.map((l) => ({
      typeId: l.type.typeId,
      quantity: l.quantity,
      unitPriceFen: l.unitPriceFen,
    })),
  };
}
