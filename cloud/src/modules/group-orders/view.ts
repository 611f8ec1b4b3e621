/** An order's rows as the API answers them. */
import type { Connection } from '../../db/scoped.js';
import { isoDateOfDay } from '../capacity/local-time.js';
import type { TicketsService } from '../tickets/service.js';
import { cancelFreeUntil, cancellationFee } from './policy.js';
import { redemptionByLine } from './redemption.js';
import * as repo from './repo.js';
import type { GroupOrder, GroupOrderSummary } from './schemas.js';

export function summaryOf(row: repo.OrderRow, timeZone: string): GroupOrderSummary {
  return {
    id: row.id,
    siteId: row.site_id,
    agencyId: row.agency_id,
    reference: row.reference,
    visitDate: isoDateOfDay(row.visit_day),
    slotId: row.slot_id,
    headcount: row.headcount,
    guide: { name: row.guide_name, phone: row.guide_phone },
    state: row.state,
    paymentMode: row.payment_mode,
    holdExpiresAt: row.hold_expires_at,
    visitorsDueAt: row.visitors_due_at,
    totalFen: row.total_fen,
    paidFen: row.paid_fen,
    changeFen: row.change_fen,
    feeFen: row.fee_fen,
    refundedFen: row.refunded_fen,
    policy: {
      cancelFreeUntil: cancelFreeUntil(row.visit_day, timeZone, row.cancel_free_hours),
      cancelFeePermille: row.cancel_fee_permille,
      unusedRefundPermille: row.unused_refund_permille,
    },
    issueMode: row.issue_mode,
    windowId: row.window_id,
    createdBy: { id: row.created_by_id, username: row.created_by_username },
    channelKeyId: row.channel_key_id,
    personsAdmitted: row.persons_admitted,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A line as the partner's answer shows it: without the redemption detail of picked-up codes. */
export type OrderCoreLine = Omit<GroupOrder['lines'][number], 'redemption'>;

/**
 * The order as a partner's answer needs it (channel/booking-view.ts): the summary, its lines with the persons
 * admitted on each, and its visitors — not the payments, tickets and state log of the whole view. `GroupOrder`
 * is one too.
 */
export type OrderCore = GroupOrderSummary & {
  readonly lines: readonly OrderCoreLine[];
  readonly visitors: GroupOrder['visitors'];
};

/** What the caller's transaction already knows of the order, so it is not read back. */
export interface KnownRows {
  readonly lines?: readonly repo.LineRow[];
  readonly visitors?: readonly Pick<repo.VisitorRow, 'type_id' | 'name' | 'id_masked'>[];
}

/**
 * The partner's view of the order: at most two reads (lines, visitors) and none for what `known` holds; the
 * tickets are read for the persons admitted per line only once the gates admitted somebody (the order's
 * `persons_admitted` is the sum over its tickets, so 0 there means 0 on every line).
 */
export async function orderCore(
  db: Connection,
  row: repo.OrderRow,
  timeZone: string,
  known: KnownRows = {},
): Promise<OrderCore> {
  const [lines, visitors, issued] = await Promise.all([
    known.lines ?? repo.linesOf(db, row.id),
    known.visitors ?? repo.visitorsOf(db, row.id),
    row.persons_admitted > 0 ? repo.ticketsOf(db, row.id) : [],
  ]);
  const admittedByLine = new Map<number, number>();
  for (const t of issued)
    admittedByLine.set(t.line_no, (admittedByLine.get(t.line_no) ?? 0) + t.persons_admitted);
  return {
    ...summaryOf(row, timeZone),
    lines: lines.map((line) => ({
      lineNo: line.line_no,
      typeId: line.type_id,
      typeVersion: line.type_version,
      quantity: line.quantity,
      unitPriceFen: line.unit_price_fen,
      amountFen: line.amount_fen,
      personsAdmitted: admittedByLine.get(line.line_no) ?? 0,
    })),
    visitors: visitors.map((v) => ({ typeId: v.type_id, name: v.name, idMasked: v.id_masked })),
  };
}

/** Which view an order change answers with: the whole order (console) or the partner's (channel API). */
export type OrderViewKind = 'full' | 'partner';
export type ViewOf<K extends OrderViewKind> = K extends 'partner' ? OrderCore : GroupOrder;

/**
 * The whole order: its summary with lines, visitors (ID masked), payments, tickets and state log, and what cancelling
 * it at `now` would cost (the same rule the cancellation applies), so a cashier sees the fee before confirming.
 */
export async function orderView(
  db: Connection,
  tickets: TicketsService,
  row: repo.OrderRow,
  timeZone: string,
  now: number,
): Promise<GroupOrder> {
  const [lines, visitors, payments, issued, transitions] = await Promise.all([
    repo.linesOf(db, row.id),
    repo.visitorsOf(db, row.id),
    repo.paymentsOf(db, row.id),
    repo.ticketsOf(db, row.id),
    repo.transitionsOf(db, row.id),
  ]);
  const byId = new Map(
    (
      await tickets.byIds(
        issued.map((t) => t.ticket_id),
        db,
      )
    ).map((ticket) => [ticket.ticketId, ticket]),
  );
  const admittedByLine = new Map<number, number>();
  for (const t of issued)
    admittedByLine.set(t.line_no, (admittedByLine.get(t.line_no) ?? 0) + t.persons_admitted);
  const redemption = redemptionByLine(
    issued.flatMap((t) => {
      const ticket = byId.get(t.ticket_id);
      return ticket ? [{ lineNo: t.line_no, ticket }] : [];
    }),
  );
  const summary = summaryOf(row, timeZone);
  const cancellable = row.state === 'held' || row.state === 'confirmed';
  return {
    ...summary,
    cancelFeeFen: cancellable
      ? cancellationFee(
          {
            paidFen: row.paid_fen,
            freeUntil: summary.policy.cancelFreeUntil,
            feePermille: row.cancel_fee_permille,
          },
          now,
        )
      : null,
    lines: lines.map((line) => ({
      lineNo: line.line_no,
      typeId: line.type_id,
      typeVersion: line.type_version,
      quantity: line.quantity,
      unitPriceFen: line.unit_price_fen,
      amountFen: line.amount_fen,
      personsAdmitted: admittedByLine.get(line.line_no) ?? 0,
      redemption: issued.length === 0 ? null : (redemption.get(line.line_no) ?? null),
    })),
    visitors: visitors.map((v) => ({ typeId: v.type_id, name: v.name, idMasked: v.id_masked })),
    payments: payments.map((p) => ({ kind: p.kind, method: p.method, amountFen: p.amount_fen, at: p.at })),
    tickets: issued.flatMap((t) => {
      const ticket = byId.get(t.ticket_id);
      return ticket ? [ticket] : [];
    }),
    transitions: transitions.map((t) => ({
      seq: t.seq,
      action: t.action as GroupOrder['transitions'][number]['action'],
      from: t.from_state,
      to: t.to_state,
      at: t.at,
      actor: { id: t.actor_id, username: t.actor_username },
      details: JSON.parse(t.details_json) as Record<string, unknown>,
    })),
  };
}
