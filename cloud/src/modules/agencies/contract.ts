/**
 * What other modules ask of the agencies module (旅行社 / 分销商), and nothing more: group orders price their lines at
 * the agency's settlement prices, move money through the agency's ledger inside their own transaction, and limit an
 * agency operator to that agency's orders. The agencies service implements this; the composition root hands it to
 * the modules that need it, so they never read the agencies' tables.
 *
 * Every method that takes a `Connection` runs its statements in the caller's transaction: an order and its ledger
 * entry commit together or not at all.
 */
import type { Connection } from '../../db/scoped.js';
import type { AuditActor } from '../../platform/audit/record.js';

/** How an agency pays for its orders. Stable API values (stored), never renamed. */
export const AGENCY_PAYMENT_MODES = ['prepaid', 'credit', 'window'] as const;
/** 预存: each order deducts its settlement total, refused when the balance is short; 授信: up to a credit limit;
 * 现付: the group pays at the window when it picks its tickets up. */
export type AgencyPaymentMode = (typeof AGENCY_PAYMENT_MODES)[number];

export interface AgencyOrderLine {
  readonly typeId: number;
  /** The visit date, YYYY-MM-DD (venue local). */
  readonly visitDate: string;
}

export interface AgencyOrderTerms {
  readonly agencyId: string;
  readonly paymentMode: AgencyPaymentMode;
  /** One settlement price per line, in fen, in the order of the lines asked. */
  readonly unitPricesFen: readonly number[];
}

/** What a ledger movement that belongs to an order records. Amounts are positive fen. */
export interface OrderMoney {
  readonly agencyId: string;
  readonly orderId: string;
  readonly amountFen: number;
  /** Epoch ms of the movement (the caller's clock, so an order and its entry carry one time). */
  readonly at: number;
  /** Shown on the statement, e.g. the order's reference. */
  readonly note?: string;
  /** Who made the change: an operator, a partner's channel key, or the system (a sweep); shown as "by". */
  readonly actor?: AuditActor | null;
}

export interface AgencyAccounts {
  /**
   * The agency's terms for these lines. Refuses (AppError) an unknown agency (NOT_FOUND), one not active
   * (AGENCY_INACTIVE), and a type the agency is not authorised to sell (AGENCY_TYPE_NOT_AUTHORISED).
   */
  orderTerms(db: Connection, agencyId: string, lines: readonly AgencyOrderLine[]): Promise<AgencyOrderTerms>;

  /**
   * Debits the agency for an order (kind order_debit) or a fee (kind fee). Prepaid: refused with
   * AGENCY_BALANCE_SHORT when the balance would go below zero; credit: refused with AGENCY_CREDIT_EXCEEDED beyond the
   * limit; window mode: refused with AGENCY_PAYS_AT_WINDOW (orders of such agencies are paid at pick-up instead).
   * Decided by one conditional UPDATE, so parallel debits never overdraw.
   */
  debit(db: Connection, money: OrderMoney & { readonly kind: 'order_debit' | 'fee' }): Promise<void>;

  /** Credits the agency back: a cancelled order or a decrease (cancellation_credit), unused persons (refund_credit). */
  credit(
    db: Connection,
    money: OrderMoney & { readonly kind: 'cancellation_credit' | 'refund_credit' },
  ): Promise<void>;

  /** The agency an operator of the `agency` role acts for; null for the venue's own staff. */
  agencyOfOperator(operatorId: string): Promise<string | null>;
}
