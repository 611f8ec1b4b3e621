/** What other modules may read of the channel keys: whether a key still works (the webhooks deliver only then). */
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
