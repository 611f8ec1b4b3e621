/** How a sale's (or a supplement's) payments settle its total. Money is integer fen. */
import { AppError } from '../../platform/errors.js';
import type { PaymentMethod } from './schemas.js';

export interface Payment {
  readonly method: PaymentMethod;
  readonly amountFen: number;
}

/** Fen as yuan with two decimals, as the messages show amounts. */
function yuan(fen: number): string {
  return (fen / 100).toFixed(2);
}

/**
 * Payments must cover the total exactly, except that cash may exceed it: the excess is change, handed back in cash,
 * so non-cash payments alone never exceed the total and the change is less than the cash taken. The change is at
 * most `maxChangeFen` (config `CASH_MAX_CHANGE_FEN`): more is a mistyped amount, not a sale.
 */
export function settle(
  totalFen: number,
  payments: readonly Payment[],
  maxChangeFen: number,
): { paidFen: number; changeFen: number } {
  const paidFen = payments.reduce((sum, payment) => sum + payment.amountFen, 0);
  const cashFen = payments.filter((p) => p.method === 'cash').reduce((sum, p) => sum + p.amountFen, 0);
  const mismatch = (zh: string, en: string) =>
    new AppError('PAYMENT_MISMATCH', { paid: paidFen, total: totalFen, reason: { 'zh-CN': zh, en } });
  if (paidFen < totalFen) throw mismatch('付款不足', 'not enough paid');
  const changeFen = paidFen - totalFen;
  if (changeFen > 0 && changeFen >= cashFen)
    throw mismatch('只有现金可以多付找零', 'only cash may exceed the total (change is given in cash)');
  if (changeFen > maxChangeFen)
    throw new AppError(
      'CHANGE_TOO_LARGE',
      { change: yuan(changeFen), limit: yuan(maxChangeFen) },
      { details: { changeFen, maxChangeFen } },
    );
  return { paidFen, changeFen };
}
