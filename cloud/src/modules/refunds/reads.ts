/**
 * What other modules may read of the refunds (a customer's purchase summary): statements of the refunds module, typed
 * on its tables only, run on any connection or transaction (db/scoped.ts).
 */
import type { Connection } from '../../db/scoped.js';
import { refundTables } from './tables.js';

/** Ids per `in (…)` list: well within both engines' bounds on bound parameters. */
const IN_LIST_CHUNK = 500;

/** What refunds of these sales handed back, fen, and how many tickets they returned. */
export async function refundedOfSales(
  db: Connection,
  saleIds: readonly string[],
): Promise<{ amountFen: number; tickets: number }> {
  let amountFen = 0;
  let tickets = 0;
  for (let i = 0; i < saleIds.length; i += IN_LIST_CHUNK) {
    const chunk = saleIds.slice(i, i + IN_LIST_CHUNK);
    const money = await refundTables(db)
      .selectFrom('refunds')
      .select((eb) => eb.fn.sum<number>('amount_fen').as('fen'))
      .where('sale_id', 'in', chunk)
      .executeTakeFirst();
    const count = await refundTables(db)
      .selectFrom('refund_tickets as t')
      .innerJoin('refunds as r', 'r.id', 't.refund_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('r.sale_id', 'in', chunk)
      .executeTakeFirst();
    amountFen += Number(money?.fen ?? 0);
    tickets += Number(count?.n ?? 0);
  }
  return { amountFen, tickets };
}
