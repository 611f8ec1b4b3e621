/**
 * What other modules may read of the sales (a customer's purchase history): statements of the sales module, typed on
 * its tables only, run on any connection or transaction (db/scoped.ts).
 */
import type { Connection } from '../../db/scoped.js';
import { type SiteScope, siteCondition } from '../../platform/site-scope.js';
import { summaryOf } from './repo.js';
import type { SaleSummary } from './schemas.js';
import { saleTables } from './tables.js';

/** The customer's sales of sites in `scope`, newest first. */
export async function salesOfCustomer(
  db: Connection,
  customerId: string,
  scope: SiteScope,
  page: { readonly limit: number; readonly offset: number },
): Promise<SaleSummary[]> {
  const rows = await saleTables(db)
    .selectFrom('sales')
    .selectAll()
    .where('customer_id', '=', customerId)
    .where(siteCondition(scope, 'site_id'))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return rows.map(summaryOf);
}

export interface CustomerPurchases {
  /** Every sale's id (for the refunds and tickets the summary also counts). */
  readonly saleIds: string[];
  readonly totalFen: number;
  readonly tickets: number;
}

/** What the customer bought at sites in `scope`: the sales' ids, their total and their tickets. */
export async function purchasesOfCustomer(
  db: Connection,
  customerId: string,
  scope: SiteScope,
): Promise<CustomerPurchases> {
  const rows = await saleTables(db)
    .selectFrom('sales')
    .select(['id', 'total_fen', 'ticket_count'])
    .where('customer_id', '=', customerId)
    .where(siteCondition(scope, 'site_id'))
    .execute();
  return {
    saleIds: rows.map((row) => row.id),
    totalFen: rows.reduce((sum, row) => sum + row.total_fen, 0),
    tickets: rows.reduce((sum, row) => sum + row.ticket_count, 0),
  };
}
