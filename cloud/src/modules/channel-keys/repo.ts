/** The SQL of the channel keys and their sites. */
import type { ChannelKeyView } from './schemas.js';
import { type ChannelKeyDb, type ChannelKeysTable, channelKeyTables } from './tables.js';

export type KeyRow = ChannelKeysTable;

// Both run on every partner call (authenticate): compiled once (db/precompiled.ts).
const keyRowStatement = channelKeyTables.precompile<{ id: string }, KeyRow>((db, p) =>
  db.selectFrom('channel_keys').selectAll().where('id', '=', p.id),
);
const keySitesStatement = channelKeyTables.precompile<{ id: string }, { site_id: string }>((db, p) =>
  db.selectFrom('channel_key_sites').select('site_id').where('key_id', '=', p.id).orderBy('site_id'),
);

export function keyRow(db: ChannelKeyDb, id: string): Promise<KeyRow | undefined> {
  return keyRowStatement.first(db, { id });
}

export async function keySites(db: ChannelKeyDb, id: string): Promise<string[]> {
  const rows = await keySitesStatement.rows(db, { id });
  return rows.map((row) => row.site_id);
}

export async function listKeys(
  db: ChannelKeyDb,
  filter: { agencyId?: string; status?: KeyRow['status'] },
): Promise<ChannelKeyView[]> {
  let query = db.selectFrom('channel_keys').selectAll().orderBy('created_at').orderBy('id');
  if (filter.agencyId !== undefined) query = query.where('agency_id', '=', filter.agencyId);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  const rows = await query.execute();
  if (rows.length === 0) return [];
  const sites = await db
    .selectFrom('channel_key_sites')
    .select(['key_id', 'site_id'])
    .where(
      'key_id',
      'in',
      rows.map((row) => row.id),
    )
    .orderBy('site_id')
    .execute();
  const byKey = new Map<string, string[]>();
  for (const site of sites) byKey.set(site.key_id, [...(byKey.get(site.key_id) ?? []), site.site_id]);
  return rows.map((row) => viewOf(row, byKey.get(row.id) ?? []));
}

export async function insertKey(db: ChannelKeyDb, row: KeyRow, siteIds: readonly string[]): Promise<void> {
  await db.insertInto('channel_keys').values(row).execute();
  await db
    .insertInto('channel_key_sites')
    .values(siteIds.map((site_id) => ({ key_id: row.id, site_id })))
    .execute();
}

export function viewOf(row: KeyRow, siteIds: readonly string[]): ChannelKeyView {
  return {
    id: row.id,
    name: row.name,
    channel: row.channel,
    agencyId: row.agency_id,
    siteIds: [...siteIds],
    ratePerMinute: row.rate_per_minute,
    status: row.status,
    createdAt: row.created_at,
    rotatedAt: row.rotated_at,
    previousValidUntil: row.previous_valid_until,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
  };
}
