/** The stock ledger's rows: one per code and operation, naming who did it. */
import type { ChangeContext } from '../../platform/change-context.js';
import type { StockMovementKind } from './tables.js';

export interface LedgerOperator {
  readonly id: string | null;
  readonly username: string;
}

export function operatorOf(context: ChangeContext): LedgerOperator {
  return context.actor ?? { id: null, username: 'system' };
}

/** A ledger row with no state or holder change yet; callers add what the operation moves. */
export function ledgerRow(
  code: string,
  batchId: number,
  kind: StockMovementKind,
  operator: LedgerOperator,
  at: number,
) {
  return {
    code,
    batch_id: batchId,
    kind,
    from_holder: null,
    to_holder: null,
    ticket_id: null,
    reason: null,
    operator_id: operator.id,
    operator_username: operator.username,
    at,
  };
}
