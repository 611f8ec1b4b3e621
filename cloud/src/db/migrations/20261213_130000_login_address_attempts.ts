import type { Kysely } from 'kysely';

/**
 * Sign-in attempts per client address and minute (platform/auth/attempt-limits.ts), in the database so that several
 * cloud instances behind one proxy count one limit together instead of one each.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('login_address_attempts')
    .addColumn('address', 'text', (col) => col.primaryKey())
    .addColumn('window_started_at', 'bigint', (col) => col.notNull())
    .addColumn('attempts', 'integer', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('login_address_attempts_window')
    .on('login_address_attempts')
    .column('window_started_at')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('login_address_attempts').execute();
}
