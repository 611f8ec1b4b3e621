import type { Kysely } from 'kysely';

/**
 * The holder's birth date (days since 1970-01-01) read from the ID number at the sale, kept so that moving or
 * upgrading the ticket prices it with the holder's age as the sale did — the ID number itself is kept only masked and
 * hashed, so without this a child's free ticket moved to another date was charged the full price. Null for tickets
 * without a holder and for those sold before the column existed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('tickets').addColumn('holder_birth_day', 'integer').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('tickets').dropColumn('holder_birth_day').execute();
}
