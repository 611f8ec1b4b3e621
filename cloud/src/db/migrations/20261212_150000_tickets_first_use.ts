import type { Kysely } from 'kysely';

/**
 * Validity from the first entry (首次入园起算). A ticket of a `first_use` type carries its latest activation instant
 * (`activate_by`, exclusive) and its period (`activation_unit` day | month, `activation_count`); `first_entry_at`
 * is its first entry once a gate reported one (the earliest, whatever order the passages arrive in). All null for
 * tickets whose window is fixed at the sale, which includes every ticket sold before this column existed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('tickets').addColumn('activate_by', 'bigint').execute();
  await db.schema.alterTable('tickets').addColumn('activation_unit', 'text').execute();
  await db.schema.alterTable('tickets').addColumn('activation_count', 'integer').execute();
  await db.schema.alterTable('tickets').addColumn('first_entry_at', 'bigint').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of ['first_entry_at', 'activation_count', 'activation_unit', 'activate_by'])
    await db.schema.alterTable('tickets').dropColumn(column).execute();
}
