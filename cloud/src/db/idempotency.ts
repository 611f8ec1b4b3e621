/**
 * Money-moving POSTs (sales, refunds, supplements) carry an Idempotency-Key, unique per cashier: each of those tables
 * stores the key with a hash of the request it answered, so a replay finds the earlier answer and a reuse of the key
 * for a different request is recognised.
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export type IdempotentTable = 'sales' | 'refunds' | 'supplements';

export async function findByIdempotencyKey(
  db: Kysely<Database>,
  table: IdempotentTable,
  cashierId: string,
  key: string,
): Promise<{ id: string; request_hash: string } | undefined> {
  // The three tables share these columns; one of them stands for the union so Kysely can type the query.
  return db
    .selectFrom(table as 'sales')
    .select(['id', 'request_hash'])
    .where('cashier_id', '=', cashierId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}
