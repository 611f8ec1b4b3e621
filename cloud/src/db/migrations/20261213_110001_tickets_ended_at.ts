import { type Kysely, sql } from 'kysely';

/**
 * When a ticket was refunded, revoked or blacklisted (`ended_at`, cloud clock): a passage decided offline before that
 * instant was a valid entry, one scanned after it is a conflict (tickets/passage-hook.ts). Tickets
 * ended before this column existed take their last change as the instant — the best the database knows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('tickets').addColumn('ended_at', 'bigint').execute();
  await sql`update tickets set ended_at = updated_at where status in ('refunded', 'revoked', 'blacklisted')`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('tickets').dropColumn('ended_at').execute();
}
