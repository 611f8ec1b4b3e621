/**
 * Split payments at the window: one amount per method, typed as yuan and read as integer fen (parseYuan), settled
 * by the API's rule (cloud/src/modules/sales/payments.ts): the payments cover the total exactly, except that cash may
 * exceed it and the excess is change — so the change is always less than the cash taken.
 *
 * Cash starts "automatic": until the cashier types into it, it is whatever the other methods leave to pay, so the
 * usual sale (all cash, exact) is one key, and "WeChat 100, the rest in cash" is F8, 100, Enter. A method's amount
 * that was never touched is filled with what is left to pay when the cashier goes to it.
 */
import type { PaymentMethod, SalePaymentMethod } from '../../api/types';
import { fenToYuanText, parseYuan } from '../../format/money';
import { maxPointsFen, type PointsOffer, pointsProblem } from './points';

/** The API's PAYMENT_METHODS in the order the window offers them; the Record below keeps the list complete. */
export const METHODS = ['cash', 'bank_card', 'wechat', 'alipay'] as const satisfies readonly PaymentMethod[];

/**
 * Every tender: the money methods and the attached customer's points (points.ts), offered only while a customer whose
 * site takes points is attached — without one the points amount stays untouched, and so counts as nothing.
 */
export const TENDERS = [...METHODS, 'points'] as const satisfies readonly SalePaymentMethod[];
export type Tender = (typeof TENDERS)[number];

/** The id of a method's amount input, which keys move the focus to. */
export function payInputId(method: Tender): string {
  return `pay-${method}`;
}

export const METHOD_KEYS: Readonly<Record<Tender, string>> = {
  cash: 'F6',
  bank_card: 'F7',
  wechat: 'F8',
  alipay: 'F9',
  points: 'F10',
};

/** The schema's largest amount of one payment, in fen. */
export const MAX_PAYMENT_FEN = 100_000_000;

/** The text typed per method; null = never touched (cash: automatic, others: nothing). */
export type Tenders = Readonly<Record<Tender, string | null>>;

export const UNTOUCHED: Tenders = { cash: null, bank_card: null, wechat: null, alipay: null, points: null };

export type TenderProblem =
  | 'invalid_amount'
  | 'too_large'
  | 'short'
  | 'change_without_cash'
  | 'points_unavailable'
  | 'points_step'
  | 'points_balance';

export interface Settlement {
  /** Each method's amount in fen; null where the text is not an amount. */
  readonly amounts: Readonly<Record<Tender, number | null>>;
  /** What the request sends: the methods with an amount above zero. */
  readonly payments: readonly { method: Tender; amountFen: number }[];
  readonly paidFen: number;
  /** Still to pay (0 once covered). */
  readonly dueFen: number;
  readonly changeFen: number;
  /** The first problem that stops the sale, or null when it can be sent. */
  readonly problem: TenderProblem | null;
  /** The methods whose amount is wrong (not an amount, or too large). */
  readonly wrong: readonly Tender[];
}

function typedFen(text: string | null): number | null {
  if (text === null || text.trim() === '') return 0;
  return parseYuan(text) ?? null;
}

function nonCashFen(tenders: Tenders, except?: Tender): number {
  return TENDERS.filter((m) => m !== 'cash' && m !== except).reduce(
    (sum, m) => sum + (typedFen(tenders[m]) ?? 0),
    0,
  );
}

/** The cash amount while cash is automatic: what the other methods leave to pay. */
export function automaticCashFen(tenders: Tenders, totalFen: number): number {
  return Math.max(0, totalFen - nonCashFen(tenders));
}

/** What an input shows: the typed text, automatic cash as an amount, an untouched method empty. */
export function shownText(tenders: Tenders, method: Tender, totalFen: number): string {
  const text = tenders[method];
  if (text !== null) return text;
  return method === 'cash' ? fenToYuanText(automaticCashFen(tenders, totalFen)) : '';
}

/**
 * Going to a method (its F-key): an untouched non-cash amount becomes what is left to pay after the others (automatic
 * cash counting as nothing), so it can be confirmed as is or typed over. Cash stays as it is.
 */
export function focusMethod(
  tenders: Tenders,
  method: Tender,
  totalFen: number,
  points: PointsOffer | null = null,
): Tenders {
  if (method === 'cash' || tenders[method] !== null) return tenders;
  if (method === 'points' && points === null) return tenders;
  const cash = tenders.cash === null ? 0 : (typedFen(tenders.cash) ?? 0);
  const left = Math.max(0, totalFen - nonCashFen(tenders, method) - cash);
  // Points fill what they can pay of it: the balance's worth, in amounts whole points pay.
  const fill = method === 'points' && points !== null ? maxPointsFen(points, left) : left;
  return { ...tenders, [method]: fenToYuanText(fill) };
}

export function typeAmount(tenders: Tenders, method: Tender, text: string): Tenders {
  return { ...tenders, [method]: text };
}

/** The payments for `totalFen` from what was typed; `points` is the attached customer's offer, if any. */
export function settle(tenders: Tenders, totalFen: number, points: PointsOffer | null = null): Settlement {
  const amounts = Object.fromEntries(
    TENDERS.map((m) => [
      m,
      m === 'cash' && tenders.cash === null ? automaticCashFen(tenders, totalFen) : typedFen(tenders[m]),
    ]),
  ) as Record<Tender, number | null>;
  const wrong = TENDERS.filter((m) => amounts[m] === null || amounts[m]! > MAX_PAYMENT_FEN);
  const payments = TENDERS.filter((m) => (amounts[m] ?? 0) > 0).map((m) => ({
    method: m,
    amountFen: amounts[m]!,
  }));
  const paidFen = payments.reduce((sum, p) => sum + p.amountFen, 0);
  const cashFen = amounts.cash ?? 0;
  const changeFen = Math.max(0, paidFen - totalFen);
  let problem: TenderProblem | null = null;
  const pointsFen = amounts.points ?? 0;
  if (TENDERS.some((m) => amounts[m] === null)) problem = 'invalid_amount';
  else if (wrong.length > 0) problem = 'too_large';
  else if (pointsFen > 0 && points === null) problem = 'points_unavailable';
  else if (pointsFen > 0 && points !== null && pointsProblem(pointsFen, points))
    problem = pointsProblem(pointsFen, points);
  else if (paidFen < totalFen) problem = 'short';
  else if (changeFen > 0 && changeFen >= cashFen) problem = 'change_without_cash';
  return {
    amounts,
    payments,
    paidFen,
    dueFen: Math.max(0, totalFen - paidFen),
    changeFen,
    problem,
    wrong,
  };
}
