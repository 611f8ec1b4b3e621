/**
 * The one query behind every venue list (sites, and a site's zones, windows and gates): keyset paging on `id`,
 * `limit + 1` rows at a time. Callers start the select (table and scope); this adds the cursor, order and limit.
 */
import { type SelectQueryBuilder, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Page, PageQuery } from './schemas.js';

// Every listed table keys on `id`. A raw reference, because a builder generic over its table cannot name a column.
const id = sql.ref<string>('id');

export async function pagedList<TB extends keyof Database, Row extends { id: string }, Item>(
  select: SelectQueryBuilder<Database, TB, Row>,
  page: PageQuery,
  view: (row: Row) => Item,
): Promise<Page<Item>> {
  const after = page.after === undefined ? select : select.where(id, '>', page.after);
  const rows = await after
    .orderBy(id)
    .limit(page.limit + 1)
    .execute();
  // The extra row only says whether another page follows.
  const more = rows.length > page.limit;
  const kept = more ? rows.slice(0, page.limit) : rows;
  return { items: kept.map(view), next: more ? kept.at(-1)!.id : null };
}
