/**
 * What other modules may read of the channel keys: whether a key still works (the webhooks deliver only then) and
 * whose it is.
 */
import type { Connection } from '../../db/scoped.js';
import { channelKeyTables } from './tables.js';

export async function channelKeyActive(db: Connection, keyId: string): Promise<boolean> {
  const row = await channelKeyTables(db)
    .selectFrom('channel_keys')
    .select('status')
    .where('id', '=', keyId)
    .executeTakeFirst();
  return row?.status === 'active';
}

/** The key's agency (null for a channel's key); undefined for an unknown key. */
export async function channelKeyAgency(db: Connection, keyId: string): Promise<string | null | undefined> {
  const row = await channelKeyTables(db)
    .selectFrom('channel_keys')
    .select('agency_id')
    .where('id', '=', keyId)
    .executeTakeFirst();
  return row === undefined ? undefined : row.agency_id;
}
