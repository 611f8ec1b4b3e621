/**
 * The money side of a refund, as pure functions: what one ticket gives back under its type version's refund policy,
 * and how a refund's total is handed back across the sale's payment methods. The service reads the rows and writes
 * the results; these decide.
 */
import type { CredentialStatus } from '@scenic/protocol';
import { AppError } from '../../platform/errors.js';
import type { Localized } from '../../platform/language.js';
import { instantOf } from '../capacity/local-time.js';
import { formatDateTime } from '../printing/format.js';
import type { PaymentMethod } from '../sales/schemas.js';
import type { RefundPolicy } from '../ticket-types/schemas.js';

const REFUNDED_ACTION: Localized = { 'zh-CN': '退票', en: 'refunded' };

export interface RefundableTicket {
  readonly ticketId: number;
  readonly status: CredentialStatus;
  readonly priceFen: number;
  readonly entriesTotal: number | null;
  readonly entriesUsed: number;
  readonly visitDay: number;
  readonly validTo: number;
}

export interface TicketRefund {
  readonly grossFen: number;
  readonly feeFen: number;
  readonly amountFen: number;
}

/**
 * What `ticket` refunds at `now`, or the stable error that says why it cannot be refunded. Checked from the most
 * definitive fact down: status, expiry, the type's refundable flag, use, then the deadline (relative to the visit
 * date, in the venue's zone).
 */
export function ticketRefund(
  ticket: RefundableTicket,
  policy: RefundPolicy,
  now: number,
  timeZone: string,
): TicketRefund {
  const { ticketId } = ticket;
  if (ticket.status === 'refunded') throw new AppError('TICKET_ALREADY_REFUNDED', { ticketId });
  if (ticket.status === 'used') throw new AppError('TICKET_USED', { ticketId });
  if (ticket.status !== 'active')
    throw new AppError('TICKET_STATE_CONFLICT', { ticketId, status: ticket.status, action: REFUNDED_ACTION });
  if (now >= ticket.validTo) throw new AppError('TICKET_EXPIRED', { ticketId });
  if (!policy.refundable) throw new AppError('REFUND_NOT_ALLOWED', { ticketId });
  const proRata = policy.proRata && ticket.entriesTotal !== null;
  if (ticket.entriesUsed > 0 && !proRata) throw new AppError('TICKET_USED', { ticketId });
  if (policy.deadline) {
    const deadline = instantOf(
      ticket.visitDay + policy.deadline.dayOffset,
      policy.deadline.minuteOfDay,
      timeZone,
    );
    if (now >= deadline)
      throw new AppError('REFUND_DEADLINE_PASSED', {
        ticketId,
        deadline: formatDateTime(deadline, timeZone),
      });
  }
  const total = ticket.entriesTotal;
  const grossFen =
    proRata && total !== null
      ? Math.floor((ticket.priceFen * Math.max(0, total - ticket.entriesUsed)) / total)
      : ticket.priceFen;
  // Rounded down: a fraction of a fen is never kept from the visitor.
  const fee =
    policy.fee.kind === 'fixed' ? policy.fee.fen : Math.floor((ticket.priceFen * policy.fee.permille) / 1000);
  const feeFen = Math.min(fee, grossFen);
  return { grossFen, feeFen, amountFen: grossFen - feeFen };
}

export interface MethodAmount {
  readonly method: PaymentMethod;
  readonly amountFen: number;
}

/**
 * How much may still go back by each method: what the sale took by it (cash less the change handed out) less what
 * earlier refunds of the sale already returned by it. In the order the sale listed the methods.
 */
export function refundableByMethod(
  paid: readonly MethodAmount[],
  changeFen: number,
  refundedBefore: readonly MethodAmount[],
): Map<PaymentMethod, number> {
  const left = new Map<PaymentMethod, number>();
  for (const p of paid) left.set(p.method, (left.get(p.method) ?? 0) + p.amountFen);
  if (left.has('cash')) left.set('cash', left.get('cash')! - changeFen);
  for (const r of refundedBefore) left.set(r.method, (left.get(r.method) ?? 0) - r.amountFen);
  return left;
}

/**
 * The refund's payments: the cashier's choice, checked against what each method may still return, or by default the
 * original methods in order with cash last (cash is the one the counter can always hand out, so it takes the rest).
 */
export function refundPayments(
  totalFen: number,
  left: ReadonlyMap<PaymentMethod, number>,
  chosen: readonly MethodAmount[] | undefined,
): MethodAmount[] {
  const mismatch = (zh: string, en: string) =>
    new AppError('REFUND_PAYMENT_MISMATCH', { amount: totalFen, reason: { 'zh-CN': zh, en } });
  if (chosen !== undefined) {
    const sum = chosen.reduce((s, p) => s + p.amountFen, 0);
    if (sum !== totalFen) throw mismatch(`合计 ${sum} 分`, `they sum to ${sum} fen`);
    const byMethod = new Map<PaymentMethod, number>();
    for (const p of chosen) byMethod.set(p.method, (byMethod.get(p.method) ?? 0) + p.amountFen);
    for (const [method, amount] of byMethod)
      if (amount > (left.get(method) ?? 0))
        throw mismatch(
          `${method} 最多可退 ${Math.max(0, left.get(method) ?? 0)} 分`,
          `at most ${Math.max(0, left.get(method) ?? 0)} fen can go back by ${method}`,
        );
    return [...byMethod].map(([method, amountFen]) => ({ method, amountFen }));
  }
  const order: PaymentMethod[] = [...left.keys()].filter((m) => m !== 'cash');
  if (left.has('cash')) order.push('cash');
  const payments: MethodAmount[] = [];
  let rest = totalFen;
  for (const method of order) {
    const take = Math.min(rest, Math.max(0, left.get(method)!));
    if (take > 0) payments.push({ method, amountFen: take });
    rest -= take;
  }
  if (rest > 0) throw mismatch('原支付已不足以退款', 'the sale’s payments cannot cover it');
  return payments;
}

/**
 * The part of a ticket's refund that returns upgrade money: the ticket's price is what the sale took plus what its
 * upgrades took, and the refund (after pro rata and fee) is shared between them in that proportion, the sale's part
 * rounded down. Never more than the upgrades took.
 */
export function supplementShare(amountFen: number, priceFen: number, upgradeFen: number): number {
  if (upgradeFen <= 0 || priceFen <= 0) return 0;
  const saleFen = Math.max(0, priceFen - upgradeFen);
  return Math.min(upgradeFen, amountFen - Math.floor((amountFen * saleFen) / priceFen));
}

/** Sums amounts per method, keeping the order in which each method first appears. */
export function sumByMethod(amounts: readonly MethodAmount[]): Map<PaymentMethod, number> {
  const sums = new Map<PaymentMethod, number>();
  for (const a of amounts) sums.set(a.method, (sums.get(a.method) ?? 0) + a.amountFen);
  return sums;
}

export interface RefundPayment extends MethodAmount {
  /** Of amountFen, what returns supplement payments. */
  readonly supplementFen: number;
}

/**
 * A refund's payments when it returns sale money and upgrade money: each comes out of its own pool, so no method
 * ever gives back more than the sale and the refunded tickets' upgrades took by it.
 * - By default the supplement share goes back by the upgrades' methods and the rest by the sale's (each as
 *   `refundPayments` orders them: original methods in order, cash last).
 * - When the cashier chooses the methods, each method may give back up to what is left of it in both pools; it is
 *   booked against the supplement pool first, since that pool belongs to these tickets alone.
 */
export function splitRefundPayments(
  totalFen: number,
  supplementFen: number,
  saleLeft: ReadonlyMap<PaymentMethod, number>,
  supplementLeft: ReadonlyMap<PaymentMethod, number>,
  chosen: readonly MethodAmount[] | undefined,
): RefundPayment[] {
  if (chosen !== undefined) {
    const both = new Map(saleLeft);
    for (const [method, amount] of supplementLeft) both.set(method, (both.get(method) ?? 0) + amount);
    return refundPayments(totalFen, both, chosen).map((p) => ({
      ...p,
      supplementFen: Math.min(p.amountFen, Math.max(0, supplementLeft.get(p.method) ?? 0)),
    }));
  }
  const fromSupplements = supplementFen > 0 ? refundPayments(supplementFen, supplementLeft, undefined) : [];
  const fromSale = refundPayments(totalFen - supplementFen, saleLeft, undefined);
  const rows = new Map<PaymentMethod, { amountFen: number; supplementFen: number }>();
  for (const p of fromSupplements) rows.set(p.method, { amountFen: p.amountFen, supplementFen: p.amountFen });
  for (const p of fromSale) {
    const row = rows.get(p.method) ?? { amountFen: 0, supplementFen: 0 };
    rows.set(p.method, { ...row, amountFen: row.amountFen + p.amountFen });
  }
  return [...rows].map(([method, row]) => ({ method, ...row }));
}
