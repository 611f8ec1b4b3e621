/** What other modules may read of the gates' reported status: statements typed on this module's table only. */
import type { Connection } from '../../db/scoped.js';
import { gateStatusTables } from './tables.js';

/** The last reported whitelist version and online flag of each of these gates that has reported. */
export function reportedWhitelistVersions(db: Connection, gateIds: readonly string[]) {
  if (gateIds.length === 0) return Promise.resolve([]);
  return gateStatusTables(db)
    .selectFrom('gate_status')
    .select(['gate_id', 'whitelist_version', 'online'])
    .where('gate_id', 'in', gateIds)
    .execute();
}
