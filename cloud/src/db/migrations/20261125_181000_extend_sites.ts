import { type Kysely, sql } from 'kysely';

/**
 * Sites become editable through the venues API: `updated_at` for change tracking, and `age_policy`, the site's
 * age-based discount rules (JSON, see modules/ticket-types/age-policy.ts) that ticket types inherit unless they
 * define their own; null = no age discounts.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('sites')
    .addColumn('updated_at', 'bigint', (col) => col.notNull().defaultTo(0))
    .execute();
  await sql`update sites set updated_at = created_at`.execute(db);
  await db.schema.alterTable('sites').addColumn('age_policy', 'text').execute();
}
