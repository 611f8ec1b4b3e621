import { type Kysely, sql } from 'kysely';

/**
 * The sale a supplement's ticket belongs to, recorded on the supplement as refunds record theirs: the second-approval
 * threshold weighs what was already supplemented on the same sale, so splitting one large supplement into small ones
 * does not avoid the approval. Existing supplements take their ticket's sale; a ticket sold without a sale leaves it
 * null.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // No foreign key, like tickets.sale_id which it copies.
  await db.schema.alterTable('supplements').addColumn('sale_id', 'text').execute();
  await sql`update supplements set sale_id = (select t.sale_id from tickets t where t.id = supplements.ticket_id)`.execute(
    db,
  );
  await db.schema.createIndex('supplements_sale').on('supplements').column('sale_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('supplements_sale').execute();
  await db.schema.alterTable('supplements').dropColumn('sale_id').execute();
}
