/**
 * The takings contract (营业收入流水): every module that moves money or issues or takes back tickets for money — window
 * sales, refunds, supplements (补票), group orders — records one taking in the transaction of the change, through this
 * interface (the composition root hands the takings service to them). Reports, shift and day settlements and the
 * live figures are all read from what is recorded here, so they agree with one another by construction; a
 * recomputation from the owners' raw rows is what the property tests check them against.
 *
 * Signs: money in is positive, money out (a refund, an agency credit) negative; tickets issued positive, taken back
 * negative. A taking may carry only money (a fee, a cancellation credit) or only tickets.
 */
import type { Connection } from '../../db/scoped.js';

/** Where a taking comes from; its `sourceId` is that row's id (a sale id, a refund id, …). */
export const TAKING_SOURCES = ['sale', 'refund', 'supplement', 'order'] as const;
export type TakingSource = (typeof TAKING_SOURCES)[number];

/**
 * How the money moved. The window's tenders, customer points (积分抵扣), and an agency's prepaid or credit account
 * (预存/授信: no cash changes hands at the venue).
 */
export const TAKING_METHODS = ['cash', 'bank_card', 'wechat', 'alipay', 'points', 'agency_account'] as const;
export type TakingMethod = (typeof TAKING_METHODS)[number];

export interface TakingPayment {
  readonly method: TakingMethod;
  /** Signed fen: in positive, out negative. */
  readonly amountFen: number;
}

export interface TakingItem {
  readonly typeId: number;
  /** Signed: tickets issued positive, taken back negative. */
  readonly tickets: number;
  /** Persons those tickets admit (a group ticket admits many), signed like `tickets`. */
  readonly persons: number;
  /** The tickets' share of the money, signed fen. */
  readonly amountFen: number;
}

export interface TakingEntry {
  readonly source: TakingSource;
  readonly sourceId: string;
  readonly siteId: string;
  /** When the money moved (epoch ms); its business day is this instant's day in the site's zone (`day`). */
  readonly at: number;
  /** The site-local day number of `at` (days since 1970-01-01 in the site's zone), computed by the caller's clock. */
  readonly day: number;
  /** `window` for the ticket window, `agency` for group orders placed by an agency operator, `channel_api` … */
  readonly channel: string;
  readonly windowId: string | null;
  /** The operator who took or paid the money; null for what partners and the system do (agency debits, expiries). */
  readonly cashierId: string | null;
  readonly agencyId: string | null;
  readonly payments: readonly TakingPayment[];
  readonly items: readonly TakingItem[];
}

export interface TakingsRecorder {
  /** Records the taking in the caller's transaction: the journal rows and the day rollups, or nothing. */
  record(conn: Connection, entry: TakingEntry): Promise<void>;
}
