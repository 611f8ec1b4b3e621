/**
 * What other modules may read of the customers (the points module, for a sale's customer): statements of the
 * customers module, typed on its tables only, run on any connection or transaction (db/scoped.ts).
 */
import type { Connection } from '../../db/scoped.js';
import { ALL_SITES, type SiteScope, siteCondition } from '../../platform/site-scope.js';
import { type CustomerKind, customerTables } from './tables.js';

export interface CustomerRef {
  readonly id: string;
  readonly siteId: string;
  readonly kind: CustomerKind;
}

/** The customer's site and kind, if it exists and its site is in `scope`. */
export async function customerRef(
  db: Connection,
  id: string,
  scope: SiteScope = ALL_SITES,
): Promise<CustomerRef | undefined> {
  const row = await customerTables(db)
    .selectFrom('customers')
    .select(['id', 'site_id', 'kind'])
    .where('id', '=', id)
    .where(siteCondition(scope, 'site_id'))
    .executeTakeFirst();
  return row && { id: row.id, siteId: row.site_id, kind: row.kind };
}
