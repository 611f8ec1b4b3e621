import { type Kysely, sql } from 'kysely';

/**
 * An operator whose password an administrator chose (the generated first administrator, an operator created or
 * reset through the API) must change it at the next sign-in; until then their session reaches only the sign-in
 * routes. Existing operators chose theirs or were told it long ago: they start at 0.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('operators')
    .addColumn('must_change_password', 'integer', (col) =>
      col.notNull().defaultTo(0).check(sql`must_change_password in (0, 1)`),
    )
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('operators').dropColumn('must_change_password').execute();
}
