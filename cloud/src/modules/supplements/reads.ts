/**
 * What other modules may read of the supplements (refunds: the money upgrades took for a ticket): statements of the
 * supplements module, typed on its tables only, run on any connection or transaction (db/scoped.ts).
 */
import type { Connection } from '../../db/scoped.js';
import type { PaymentMethod } from '../sales/schemas.js';
import { supplementTables } from './tables.js';

/** Supplements issue a ticket in place of another at most this many times over; a longer chain is a data error. */
const MAX_CHAIN = 1_000;

export interface UpgradeMoney {
  readonly supplementIds: string[];
  /** What the upgrades charged, in total. */
  readonly amountFen: number;
  /** What they took by each method, cash net of the change handed out. */
  readonly paid: { method: PaymentMethod; amountFen: number }[];
}

/**
 * The upgrades paid for on the way to `ticketId`: follows the supplements that issued it back to the sold ticket
 * (through reissues, whose fee buys a service, not the ticket, and so is not counted).
 */
export async function upgradeMoneyOf(db: Connection, ticketId: number): Promise<UpgradeMoney> {
  const supplementIds: string[] = [];
  let amountFen = 0;
  const paid: { method: PaymentMethod; amountFen: number }[] = [];
  let current = ticketId;
  for (let step = 0; step < MAX_CHAIN; step++) {
    const row = await supplementTables(db)
      .selectFrom('supplements')
      .select(['id', 'kind', 'ticket_id', 'amount_fen', 'change_fen'])
      .where('new_ticket_id', '=', current)
      .executeTakeFirst();
    if (!row) return { supplementIds, amountFen, paid };
    if (row.kind === 'upgrade' && row.amount_fen > 0) {
      supplementIds.push(row.id);
      amountFen += row.amount_fen;
      const payments = await supplementTables(db)
        .selectFrom('supplement_payments')
        .select(['method', 'amount_fen'])
        .where('supplement_id', '=', row.id)
        .orderBy('seq')
        .execute();
      for (const p of payments) paid.push({ method: p.method, amountFen: p.amount_fen });
      if (row.change_fen > 0) paid.push({ method: 'cash', amountFen: -row.change_fen });
    }
    current = row.ticket_id;
  }
  throw new Error(`supplement chain of ticket ${ticketId} is longer than ${MAX_CHAIN}`);
}
