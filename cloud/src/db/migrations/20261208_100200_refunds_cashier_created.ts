import type { Kysely } from 'kysely';

/**
 * A cashier's refunds by time: with the daily second-approval limit on, every refund sums the cashier's refunds of
 * the business day (refunds/repo.ts refundedByCashier); without this index that is a scan of every refund ever made.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('refunds_cashier_created')
    .on('refunds')
    .columns(['cashier_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('refunds_cashier_created').execute();
}
