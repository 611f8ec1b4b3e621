/**
 * What a sale and its refunds ask of the customers' points (积分), and nothing more. The points module implements it;
 * the composition root hands it to the sales and refunds services, so neither reads the points' or the customers'
 * tables, and the points module depends on sales (for this contract), never the other way round.
 *
 * Every method runs its statements in the caller's transaction (`db`): a sale and its points commit together or not
 * at all, and so do a refund and its reversal.
 */
import type { Connection } from '../../db/scoped.js';
import type { AuditActor } from '../../platform/audit/record.js';
import type { SiteScope } from '../../platform/site-scope.js';

export interface LoyaltySale {
  readonly saleId: string;
  readonly siteId: string;
  readonly customerId: string;
  /** The sale's venue-local day number (date multipliers). */
  readonly day: number;
  readonly at: number;
  /** What each ticket type of the sale cost, fen (points per type). */
  readonly lines: readonly { readonly typeId: number; readonly amountFen: number }[];
  readonly totalFen: number;
  /** What the `points` payments cover, fen: deducted from the customer's balance, and earning nothing. */
  readonly pointsFen: number;
  readonly actor: AuditActor | null;
  /** The operator's sites: a customer of a site out of them is not found. */
  readonly sites: SiteScope;
}

export interface LoyaltyOutcome {
  readonly pointsRedeemed: number;
  readonly pointsEarned: number;
}

export interface LoyaltyRefund {
  readonly saleId: string;
  readonly refundId: string;
  /** The sale's total, fen: what its accrual was earned on. */
  readonly saleTotalFen: number;
  /** The refunded tickets' prices, fen: their share of the accrual is taken back. */
  readonly ticketsFen: number;
  /** What the refund gives back by `points`, fen: those points return to the customer. */
  readonly pointsFen: number;
  readonly at: number;
  readonly actor: AuditActor | null;
}

export interface RefundPoints {
  readonly pointsReversed: number;
  readonly pointsReturned: number;
}

export interface SaleLoyalty {
  /**
   * Checks the customer (NOT_FOUND, or CUSTOMER_OTHER_SITE for a customer of another site), deducts the points that
   * pay `pointsFen` (POINTS_NOT_ACCEPTED when the site takes none, POINTS_INSUFFICIENT when the balance is short:
   * one conditional UPDATE, so parallel sales never overdraw) and accrues what the rest of the sale earns.
   */
  onSale(db: Connection, sale: LoyaltySale): Promise<LoyaltyOutcome>;

  /** Takes back the refunded tickets' share of the sale's accrual and returns the points the refund gives back. */
  onRefund(db: Connection, refund: LoyaltyRefund): Promise<RefundPoints>;
}
