/** Reading the operation log back: what an entry recorded about an entity after the change. */
import type { Connection } from '../../db/scoped.js';
import { auditTables } from './tables.js';

/** The `after` object of the entry with this action on this entity (the first, if several), parsed. */
export async function auditAfter(
  db: Connection,
  action: string,
  entityId: string,
): Promise<Record<string, unknown>> {
  const row = await auditTables(db)
    .selectFrom('audit_log')
    .select('after_json')
    .where('action', '=', action)
    .where('entity_id', '=', entityId)
    .orderBy('seq')
    .executeTakeFirstOrThrow();
  return JSON.parse(row.after_json ?? 'null') as Record<string, unknown>;
}
