/**
 * Names of windows for reports (the sales history, summaries and settlements name the window a taking was made at):
 * a statement of the venues module, typed on its tables only, on any connection (db/scoped.ts).
 */
import type { Connection } from '../../db/scoped.js';
import { venueTables } from './tables.js';

/** Ids per `in (…)` list: well within both engines' bounds on bound parameters. */
const CHUNK = 500;

/** The names of these windows (of any site), keyed `siteId/windowId`; unknown ones are missing. */
export async function windowNames(
  db: Connection,
  windows: readonly { readonly siteId: string; readonly windowId: string }[],
): Promise<Map<string, { zh: string; en: string }>> {
  const names = new Map<string, { zh: string; en: string }>();
  const ids = [...new Set(windows.map((w) => w.windowId))];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await venueTables(db)
      .selectFrom('windows')
      .select(['site_id', 'id', 'name_zh', 'name_en'])
      .where('id', 'in', ids.slice(i, i + CHUNK))
      .execute();
    for (const row of rows) names.set(`${row.site_id}/${row.id}`, { zh: row.name_zh, en: row.name_en });
  }
  return names;
}
