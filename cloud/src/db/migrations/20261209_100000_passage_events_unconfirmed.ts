import { type Kysely, sql } from 'kysely';

/**
 * Passages a gate could not confirm (protocol `unconfirmed`): it had released the turnstile when it restarted, before
 * its passage sensor spoke, and reported the admit it had written down. 1 for those, 0 for every other event
 * (denials and the events stored before the flag existed included).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('passage_events')
    .addColumn('unconfirmed', 'integer', (col) =>
      col.notNull().defaultTo(0).check(sql`unconfirmed in (0, 1)`),
    )
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('passage_events').dropColumn('unconfirmed').execute();
}
