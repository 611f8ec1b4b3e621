/**
 * Reconciliation (票库对账): for each batch the codes counted by current state must add up to what was generated
 * or imported, and the ledger must tell the same story: every movement moves one code out of its `from_state`
 * into its `to_state`, so the balance of each state is the movements into it minus the movements out of it.
 */
import type { BatchRow } from './repo.js';
import type { BatchReconciliation, Reconciliation, StateCounts } from './schemas.js';
import type { StockMovementKind, StockState } from './tables.js';

type LedgerCounts = StateCounts & { imported: number };

const KEY: Record<StockState, keyof StateCounts> = {
  in_warehouse: 'inWarehouse',
  issued: 'issued',
  sold: 'sold',
  voided: 'voided',
};

const TO_STATE: Record<StockMovementKind, StockState> = {
  import: 'in_warehouse',
  issue: 'issued',
  return: 'in_warehouse',
  sell: 'sold',
  void: 'voided',
};

const zero = (): StateCounts => ({ inWarehouse: 0, issued: 0, sold: 0, voided: 0 });

function sameCounts(a: StateCounts, b: StateCounts): boolean {
  return (
    a.inWarehouse === b.inWarehouse && a.issued === b.issued && a.sold === b.sold && a.voided === b.voided
  );
}

const sum = (c: StateCounts) => c.inWarehouse + c.issued + c.sold + c.voided;

export function reconcile(
  batches: readonly BatchRow[],
  stateRows: readonly { batch_id: number; state: StockState; n: number }[],
  movementRows: readonly {
    batch_id: number;
    kind: StockMovementKind;
    from_state: StockState | null;
    n: number;
  }[],
): Reconciliation {
  const states = new Map<number, StateCounts>();
  const ledgers = new Map<number, LedgerCounts>();
  for (const batch of batches) {
    states.set(batch.id, zero());
    ledgers.set(batch.id, { ...zero(), imported: 0 });
  }
  for (const row of stateRows) {
    const counts = states.get(row.batch_id);
    if (counts) counts[KEY[row.state]] += row.n;
  }
  for (const row of movementRows) {
    const ledger = ledgers.get(row.batch_id);
    if (!ledger) continue;
    if (row.kind === 'import') ledger.imported += row.n;
    if (row.from_state) ledger[KEY[row.from_state]] -= row.n;
    ledger[KEY[TO_STATE[row.kind]]] += row.n;
  }

  const result: BatchReconciliation[] = batches.map((batch) => {
    const current = states.get(batch.id)!;
    const ledger = ledgers.get(batch.id)!;
    return {
      batchId: batch.id,
      siteId: batch.site_id,
      ticketTypeId: batch.ticket_type_id,
      count: batch.count,
      states: current,
      ledger,
      balanced:
        sum(current) === batch.count && ledger.imported === batch.count && sameCounts(current, ledger),
    };
  });

  const totalStates = zero();
  const totalLedger: LedgerCounts = { ...zero(), imported: 0 };
  let count = 0;
  for (const batch of result) {
    count += batch.count;
    for (const key of Object.values(KEY)) {
      totalStates[key] += batch.states[key];
      totalLedger[key] += batch.ledger[key];
    }
    totalLedger.imported += batch.ledger.imported;
  }
  return {
    batches: result,
    total: {
      count,
      states: totalStates,
      ledger: totalLedger,
      balanced: result.every((batch) => batch.balanced),
    },
  };
}
