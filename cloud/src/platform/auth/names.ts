/**
 * Operators' display names for reports (the cashier a taking names): a statement on the operators table only, on
 * any connection (db/scoped.ts). Nothing else of an account is read.
 */
import type { Connection } from '../../db/scoped.js';
import { authTables } from './tables.js';

const CHUNK = 500;

/** The display and user names of these operators; unknown ones are missing. */
export async function operatorNames(
  db: Connection,
  operatorIds: readonly string[],
): Promise<Map<string, { displayName: string; username: string }>> {
  const names = new Map<string, { displayName: string; username: string }>();
  const ids = [...new Set(operatorIds)];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await authTables(db)
      .selectFrom('operators')
      .select(['id', 'display_name', 'username'])
      .where('id', 'in', ids.slice(i, i + CHUNK))
      .execute();
    for (const row of rows) names.set(row.id, { displayName: row.display_name, username: row.username });
  }
  return names;
}
