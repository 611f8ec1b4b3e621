import type { Kysely } from 'kysely';

/**
 * A webhook endpoint's secret can be rotated (modules/webhooks/service.ts rotateSecret): the secret it replaced is
 * kept, encrypted like the current one, until the end of a grace period during which requests carry both signatures.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('webhook_endpoints').addColumn('previous_secret_enc', 'text').execute();
  await db.schema.alterTable('webhook_endpoints').addColumn('previous_secret_until', 'bigint').execute();
}
