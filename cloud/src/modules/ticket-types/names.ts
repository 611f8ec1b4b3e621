/**
 * Names of ticket types for reports (a summary by type, the type mix): each type's current version's name, read by
 * a statement of the ticket-types module, typed on its tables only, on any connection (db/scoped.ts).
 */
import type { Connection } from '../../db/scoped.js';
import { ticketTypeTables } from './tables.js';

const CHUNK = 500;

/** The current names of these types, with their site; unknown ones are missing. */
export async function typeNames(
  db: Connection,
  typeIds: readonly number[],
): Promise<Map<number, { siteId: string; zh: string; en: string }>> {
  const names = new Map<number, { siteId: string; zh: string; en: string }>();
  const ids = [...new Set(typeIds)];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await ticketTypeTables(db)
      .selectFrom('ticket_types')
      .innerJoin('ticket_type_versions', (join) =>
        join
          .onRef('ticket_type_versions.type_id', '=', 'ticket_types.id')
          .onRef('ticket_type_versions.version', '=', 'ticket_types.current_version'),
      )
      .select([
        'ticket_types.id',
        'ticket_types.site_id',
        'ticket_type_versions.name_zh',
        'ticket_type_versions.name_en',
      ])
      .where('ticket_types.id', 'in', ids.slice(i, i + CHUNK))
      .execute();
    for (const row of rows)
      names.set(Number(row.id), { siteId: row.site_id, zh: row.name_zh, en: row.name_en });
  }
  return names;
}
