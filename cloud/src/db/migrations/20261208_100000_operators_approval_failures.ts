import { type Kysely, sql } from 'kysely';

/**
 * Wrong credentials typed into a second approval (双人复核) count against the operator who asked for the approval,
 * not against the approver, whose own sign-in they must never lock: the requester's failed approvals in a row, and
 * until when their approval attempts are refused (LOGIN_MAX_FAILURES / LOGIN_LOCKOUT_MINUTES, as for sign-in).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('operators')
    .addColumn('failed_approvals', 'integer', (col) =>
      col.notNull().defaultTo(0).check(sql`failed_approvals >= 0`),
    )
    .execute();
  await db.schema.alterTable('operators').addColumn('approvals_locked_until', 'bigint').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('operators').dropColumn('approvals_locked_until').execute();
  await db.schema.alterTable('operators').dropColumn('failed_approvals').execute();
}
