import type { Kysely } from 'kysely';

/**
 * What each gate runs without (devices that could not start, stuck passage inputs), as its state and heartbeats
 * report it: a JSON array of the protocol's device names, null until the gate has said. The control room shows it
 * on the gate's tile.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('gate_status').addColumn('degraded', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('gate_status').dropColumn('degraded').execute();
}
