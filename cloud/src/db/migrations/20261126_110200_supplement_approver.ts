import type { Kysely } from 'kysely';

/** A supplement above the second-approval threshold records the operator who approved it, as a refund does. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('supplements').addColumn('approved_by_id', 'text').execute();
  await db.schema.alterTable('supplements').addColumn('approved_by_username', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('supplements').dropColumn('approved_by_username').execute();
  await db.schema.alterTable('supplements').dropColumn('approved_by_id').execute();
}
