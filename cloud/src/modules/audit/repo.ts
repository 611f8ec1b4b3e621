/** Reading the operation log: filters and keyset paging by seq (newest first). */
import type { Connection } from '../../db/scoped.js';
import { auditTables } from '../../platform/audit/tables.js';

export interface AuditFilter {
  /** Operator id or username. */
  readonly actor?: string | undefined;
  readonly action?: string | undefined;
  readonly entity?: string | undefined;
  readonly entityId?: string | undefined;
  /** Epoch ms, inclusive. */
  readonly from?: number | undefined;
  /** Epoch ms, exclusive. */
  readonly to?: number | undefined;
  /** Only rows older than this seq (the previous page's `nextBefore`). */
  readonly before?: number | undefined;
  readonly limit: number;
}

export async function findAuditRows(db: Connection, filter: AuditFilter) {
  let query = auditTables(db).selectFrom('audit_log').selectAll();
  if (filter.actor)
    query = query.where((eb) =>
      eb.or([eb('actor_id', '=', filter.actor!), eb('actor_username', '=', filter.actor!)]),
    );
  if (filter.action) {
    // `operator.` matches every operator action; a full name matches exactly.
    query = filter.action.endsWith('.')
      ? query.where('action', '>=', filter.action).where('action', '<', `${filter.action}\uffff`)
      : query.where('action', '=', filter.action);
  }
  if (filter.entity) query = query.where('entity', '=', filter.entity);
  if (filter.entityId) query = query.where('entity_id', '=', filter.entityId);
  if (filter.from !== undefined) query = query.where('at', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('at', '<', filter.to);
  if (filter.before !== undefined) query = query.where('seq', '<', filter.before);
  return query.orderBy('seq', 'desc').limit(filter.limit).execute();
}
