import type { Kysely } from 'kysely';

/** The webhook retention (modules/webhooks/retention.ts) takes the oldest events first: an index on their age. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('webhook_events_created').on('webhook_events').column('created_at').execute();
}
