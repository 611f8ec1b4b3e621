import { describe, expect, it } from 'vitest';
import type { GroupOrder } from '../../api/types';
import { ledgerMovements } from './ledger';

type Transition = GroupOrder['transitions'][number];

const step = (action: Transition['action'], details: Record<string, unknown>): Transition => ({
  seq: 1,
  action,
  from: 'held',
  to: 'confirmed',
  at: 0,
  actor: { id: null, username: 'x' },
  details,
});

describe('ledgerMovements', () => {
  it('reads the debit of a confirmation, and nothing for an order paid at the window', () => {
    expect(ledgerMovements(step('confirm', { paidFen: 85_000 }))).toEqual([
      { fen: -85_000, kind: 'order_debit' },
    ]);
    expect(ledgerMovements(step('confirm', { paidFen: 0 }))).toEqual([]);
  });

  it('reads a modification’s difference either way', () => {
    expect(ledgerMovements(step('modify', { ledgerFen: 8_500 }))).toEqual([
      { fen: -8_500, kind: 'order_debit' },
    ]);
    expect(ledgerMovements(step('modify', { ledgerFen: -8_500 }))).toEqual([
      { fen: 8_500, kind: 'cancellation_credit' },
    ]);
    expect(ledgerMovements(step('modify', { ledgerFen: 0 }))).toEqual([]);
  });

  it('reads a cancellation as the credit and then the fee, and a close as the refund', () => {
    expect(ledgerMovements(step('cancel', { creditedFen: 85_000, feeFen: 8_500 }))).toEqual([
      { fen: 85_000, kind: 'cancellation_credit' },
      { fen: -8_500, kind: 'fee' },
    ]);
    expect(ledgerMovements(step('cancel', { creditedFen: 0, feeFen: 0 }))).toEqual([]);
    expect(ledgerMovements(step('close', { refundFen: 1_000 }))).toEqual([
      { fen: 1_000, kind: 'refund_credit' },
    ]);
    expect(ledgerMovements(step('expire', {}))).toEqual([]);
  });
});
