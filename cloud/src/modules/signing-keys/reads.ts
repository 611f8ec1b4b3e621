/**
 * What other modules may read of the signing keys (gate configs carry the public keys): statements of the
 * signing-keys module, typed on its table only (db/scoped.ts).
 */
import type { Connection } from '../../db/scoped.js';
import { signingKeyTables } from './tables.js';

const newestKeys = signingKeyTables.precompile<{ limit: number }, { key_id: number; public_key: string }>(
  (db, p) =>
    db
      .selectFrom('signing_keys')
      .select(['key_id', 'public_key'])
      // A retired key leaves every gate's config: gates then refuse the codes it signed.
      .where('status', '=', 'active')
      .orderBy('created_at', 'desc')
      .orderBy('key_id', 'desc')
      .limit(p.limit),
);

/** The active public keys, newest first: with more keys than a config holds, the oldest (long retired) drop out. */
export async function publicKeys(db: Connection, limit: number) {
  return newestKeys.rows(db, { limit });
}
