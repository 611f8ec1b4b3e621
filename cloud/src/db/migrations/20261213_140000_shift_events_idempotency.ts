import type { Kysely } from 'kysely';

/**
 * A drop, payout or adjustment may carry an Idempotency-Key, unique per operator as for sales: a double press or a
 * retry after a lost answer shows the movement already recorded instead of taking the cash out of the till twice.
 * Null for movements made without a key (and for those made before the columns existed).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('till_shift_events').addColumn('idempotency_key', 'text').execute();
  await db.schema.alterTable('till_shift_events').addColumn('request_hash', 'text').execute();
  await db.schema
    .createIndex('till_shift_events_idempotency')
    .on('till_shift_events')
    .columns(['by_id', 'idempotency_key'])
    .unique()
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('till_shift_events_idempotency').execute();
  await db.schema.alterTable('till_shift_events').dropColumn('request_hash').execute();
  await db.schema.alterTable('till_shift_events').dropColumn('idempotency_key').execute();
}
