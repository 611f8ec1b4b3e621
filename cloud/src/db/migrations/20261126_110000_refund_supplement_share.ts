import type { Kysely } from 'kysely';

/**
 * A refund of an upgraded ticket gives back what the upgrade's 补票 took as well as what the sale took. The part of
 * each refunded ticket and of each refund payment that returns supplement money is recorded, so that what a sale's
 * own payments may still give back (per method) is the sale's payments less only the sale part of earlier refunds.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('refund_tickets')
    .addColumn('supplement_fen', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('refund_payments')
    .addColumn('supplement_fen', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('refund_payments').dropColumn('supplement_fen').execute();
  await db.schema.alterTable('refund_tickets').dropColumn('supplement_fen').execute();
}
