/**
 * Names of travel agencies for reports (takings of group orders name their agency): a statement of the agencies
 * module, typed on its tables only, on any connection (db/scoped.ts).
 */
import type { Connection } from '../../db/scoped.js';
import { agencyTables } from './tables.js';

const CHUNK = 500;

/** The names of these agencies; unknown ones are missing. */
export async function agencyNames(
  db: Connection,
  agencyIds: readonly string[],
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const ids = [...new Set(agencyIds)];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await agencyTables(db)
      .selectFrom('agencies')
      .select(['id', 'name'])
      .where('id', 'in', ids.slice(i, i + CHUNK))
      .execute();
    for (const row of rows) names.set(row.id, row.name);
  }
  return names;
}
