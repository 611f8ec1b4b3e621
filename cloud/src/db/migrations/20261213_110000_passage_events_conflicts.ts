import { type Kysely, sql } from 'kysely';

/**
 * Offline conflicts. A passage a gate decided offline that the cloud, on its arrival, would have refused at its scan
 * time (already used at another gate, refunded before the scan, entries exhausted, expired) is stored all the same —
 * the visitor went through — with the reason the cloud would have given in `conflict` (a protocol decision reason;
 * null for every other event, those stored before included). `overdraft` is how many entries the passage used that
 * the ticket's count no longer had (a count card's entries beyond its total: the count stops at the total, the
 * overdraft says by how much it was exceeded); 0 otherwise.
 *
 * Conflicts are few among millions of events: a partial index holds only them, newest first per site, for the
 * console's "conflicts only" list and today's count.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('passage_events').addColumn('conflict', 'text').execute();
  await db.schema
    .alterTable('passage_events')
    .addColumn('overdraft', 'integer', (col) => col.notNull().defaultTo(0).check(sql`overdraft >= 0`))
    .execute();
  await db.schema
    .createIndex('passage_events_conflicts')
    .on('passage_events')
    .columns(['site_id', 'at'])
    .where(sql.ref('conflict'), 'is not', null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('passage_events_conflicts').execute();
  await db.schema.alterTable('passage_events').dropColumn('overdraft').execute();
  await db.schema.alterTable('passage_events').dropColumn('conflict').execute();
}
