import { type Kysely, sql } from 'kysely';

/**
 * passage_events.card_recycled: 1 when the exit gate's card recycler kept the card of this passage (protocol
 * `cardRecycled`); the cards module then frees the card for another sale. 0 for every passage before.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('passage_events')
    .addColumn('card_recycled', 'integer', (col) => col.notNull().defaultTo(sql`0`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('passage_events').dropColumn('card_recycled').execute();
}
