/** What an order's transitions moved on its agency's account, read from the state log (pure, for the money tab). */
import type { GroupOrder } from '../../api/types';

type Transition = GroupOrder['transitions'][number];

export type LedgerKind = 'order_debit' | 'cancellation_credit' | 'fee' | 'refund_credit';

/**
 * The agency account's movements a transition made, signed (negative: debited), with the ledger kind the agencies
 * module writes for each (group-orders/service.ts): the debit on confirm, the difference on modify, the credit and
 * fee on cancel, the unused persons' refund on close.
 */
export function ledgerMovements(transition: Transition): { fen: number; kind: LedgerKind }[] {
  const d = transition.details as Record<string, unknown>;
  const num = (key: string) => (typeof d[key] === 'number' ? (d[key] as number) : 0);
  const moves: { fen: number; kind: LedgerKind }[] = [];
  switch (transition.action) {
    case 'confirm':
      moves.push({ fen: -num('paidFen'), kind: 'order_debit' });
      break;
    case 'modify':
      moves.push({
        fen: -num('ledgerFen'),
        kind: num('ledgerFen') > 0 ? 'order_debit' : 'cancellation_credit',
      });
      break;
    case 'cancel':
      moves.push(
        { fen: num('creditedFen'), kind: 'cancellation_credit' },
        { fen: -num('feeFen'), kind: 'fee' },
      );
      break;
    case 'close':
      moves.push({ fen: num('refundFen'), kind: 'refund_credit' });
      break;
    default:
      break;
  }
  return moves.filter((move) => move.fen !== 0);
}
