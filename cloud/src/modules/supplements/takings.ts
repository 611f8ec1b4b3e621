/** What a supplement (补票) adds to the takings journal (modules/takings/contract.ts). */
import type { TakingEntry, TakingPayment } from '../takings/contract.js';

export interface SupplementTaking {
  readonly supplementId: string;
  readonly siteId: string;
  readonly windowId: string;
  readonly cashierId: string;
  readonly at: number;
  readonly day: number;
  /** The type the money belongs to: an upgrade's new type, otherwise the ticket's own. */
  readonly typeId: number;
  readonly amountFen: number;
  readonly changeFen: number;
  readonly payments: readonly TakingPayment[];
}

/**
 * The money a supplement took (cash net of the change handed back). It issues no ticket of its own — an upgrade
 * or reissue replaces one already counted — so it adds money to its type but no tickets or persons.
 */
export function takingOfSupplement(supplement: SupplementTaking): TakingEntry {
  const byMethod = new Map<TakingPayment['method'], number>();
  for (const p of supplement.payments) byMethod.set(p.method, (byMethod.get(p.method) ?? 0) + p.amountFen);
  if (supplement.changeFen > 0) byMethod.set('cash', (byMethod.get('cash') ?? 0) - supplement.changeFen);
  return {
    source: 'supplement',
    sourceId: supplement.supplementId,
    siteId: supplement.siteId,
    at: supplement.at,
    day: supplement.day,
    channel: 'window',
    windowId: supplement.windowId,
    cashierId: supplement.cashierId,
    agencyId: null,
    payments: [...byMethod]
      .filter(([, fen]) => fen !== 0)
      .map(([method, amountFen]) => ({ method, amountFen })),
    items:
      supplement.amountFen === 0
        ? []
        : [{ typeId: supplement.typeId, tickets: 0, persons: 0, amountFen: supplement.amountFen }],
  };
}
