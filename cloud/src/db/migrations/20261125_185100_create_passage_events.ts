import { type Kysely, sql } from 'kysely';

/**
 * Passage and denial events from gates, one row per gate-generated `event_id` (the primary key is what makes an
 * event apply exactly once). `zone_id` is the gate's zone in the registry when the event was ingested. No foreign
 * keys: the history stays when a gate is later removed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('passage_events')
    .addColumn('event_id', 'text', (col) => col.primaryKey())
    .addColumn('kind', 'text', (col) => col.notNull().check(sql`kind in ('passage', 'denial')`))
    .addColumn('site_id', 'text', (col) => col.notNull())
    .addColumn('zone_id', 'text', (col) => col.notNull())
    .addColumn('gate_id', 'text', (col) => col.notNull())
    .addColumn('ticket_id', 'bigint')
    .addColumn('credential_kind', 'text')
    .addColumn('direction', 'text', (col) => col.notNull().check(sql`direction in ('in', 'out')`))
    .addColumn('persons', 'integer', (col) => col.notNull())
    .addColumn('at', 'bigint', (col) => col.notNull())
    .addColumn('received_at', 'bigint', (col) => col.notNull())
    .addColumn('decided_offline', 'integer', (col) => col.check(sql`decided_offline in (0, 1)`))
    .addColumn('entries_left', 'integer')
    .addColumn('correlation_id', 'text')
    .addColumn('reason', 'text')
    .addColumn('code_hash', 'text')
    .execute();
  await db.schema
    .createIndex('passage_events_site_at')
    .on('passage_events')
    .columns(['site_id', 'at'])
    .execute();
  await db.schema
    .createIndex('passage_events_ticket')
    .on('passage_events')
    .columns(['ticket_id', 'at'])
    .execute();
}
