import { type Kysely, sql } from 'kysely';

/**
 * Repeated rejects as one row: a gate sending garbage (or flooding past its message budget) would otherwise add a
 * row per message, thousands a second, and grow the table without bound. A rejected message now counts into the
 * row of its direction, gate, reason, channel and minute (`repeat_key`, unique among such rows, so two writers — or two
 * cloud instances — add to the same row with an upsert); `count` is how many messages a row stands for (1 for
 * every other row) and `size` their bytes together.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('comm_log')
    .addColumn('count', 'bigint', (col) => col.notNull().defaultTo(1))
    .execute();
  await db.schema.alterTable('comm_log').addColumn('repeat_key', 'text').execute();
  await db.schema
    .createIndex('comm_log_repeat_key')
    .on('comm_log')
    .column('repeat_key')
    .unique()
    .where(sql.ref('repeat_key'), 'is not', null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('comm_log_repeat_key').execute();
  await db.schema.alterTable('comm_log').dropColumn('repeat_key').execute();
  await db.schema.alterTable('comm_log').dropColumn('count').execute();
}
