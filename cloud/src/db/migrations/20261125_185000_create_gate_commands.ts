import { type Kysely, sql } from 'kysely';

/**
 * Remote gate commands (终端控制): one row per command the control room issued and one per targeted gate with that
 * gate's outcome. No foreign keys to the registry: the history stays when a gate or zone is later removed.
 * `expires_at` is repeated on each result so the timeout sweep needs one indexed scan.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('gate_commands')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('action_kind', 'text', (col) => col.notNull())
    .addColumn('action_json', 'text', (col) => col.notNull())
    .addColumn('target_kind', 'text', (col) =>
      col.notNull().check(sql`target_kind in ('gate', 'zone', 'site', 'all')`),
    )
    .addColumn('target_site_id', 'text')
    .addColumn('target_zone_id', 'text')
    .addColumn('target_gate_id', 'text')
    .addColumn('issued_by_id', 'text')
    .addColumn('issued_by_username', 'text')
    .addColumn('issued_at', 'bigint', (col) => col.notNull())
    .addColumn('expires_at', 'bigint', (col) => col.notNull())
    .addColumn('gate_count', 'integer', (col) => col.notNull())
    .addColumn('completed_at', 'bigint')
    .execute();
  await db.schema.createIndex('gate_commands_issued').on('gate_commands').column('issued_at').execute();

  await db.schema
    .createTable('gate_command_results')
    .addColumn('command_id', 'text', (col) => col.notNull().references('gate_commands.id'))
    .addColumn('gate_id', 'text', (col) => col.notNull())
    .addColumn('site_id', 'text', (col) => col.notNull())
    .addColumn('zone_id', 'text', (col) => col.notNull())
    .addColumn('result', 'text', (col) =>
      col.notNull().check(sql`result in ('pending', 'ok', 'rejected', 'error', 'timeout')`),
    )
    .addColumn('reason', 'text')
    .addColumn('was_online', 'integer', (col) => col.check(sql`was_online in (0, 1)`))
    .addColumn('expires_at', 'bigint', (col) => col.notNull())
    .addColumn('acked_at', 'bigint')
    .addColumn('gate_at', 'bigint')
    .addColumn('latency_ms', 'bigint')
    .addColumn('late', 'integer', (col) => col.notNull().defaultTo(0).check(sql`late in (0, 1)`))
    .addPrimaryKeyConstraint('gate_command_results_pk', ['command_id', 'gate_id'])
    .execute();
  await db.schema
    .createIndex('gate_command_results_pending')
    .on('gate_command_results')
    .columns(['result', 'expires_at'])
    .execute();
}
