/**
 * SQL for live gate status. Each write touches only the columns its message is authoritative for (state columns from
 * a state message, counters from a heartbeat), so several cloud instances splitting heartbeats between them never
 * overwrite each other's newer values with stale ones.
 */
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { GateStatusTable } from './tables.js';

export type GateStatusRow = Selectable<GateStatusTable>;
type Columns = Partial<Omit<Insertable<GateStatusTable>, 'gate_id' | 'site_id'>>;

export class GateStatusRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async all(): Promise<GateStatusRow[]> {
    return this.db.selectFrom('gate_status').selectAll().orderBy('site_id').orderBy('gate_id').execute();
  }

  async get(gateId: string): Promise<GateStatusRow | undefined> {
    return this.db.selectFrom('gate_status').selectAll().where('gate_id', '=', gateId).executeTakeFirst();
  }

  /**
   * Inserts the gate's row with `insert` (which must hold every NOT NULL column) or, when it exists, sets `update`.
   * One statement, so it is atomic on its own.
   */
  async upsert(
    key: { gateId: string; siteId: string },
    insert: Columns & { online: number; last_seen_at: number },
    update: Columns,
  ): Promise<void> {
    await this.db
      .insertInto('gate_status')
      .values({ gate_id: key.gateId, site_id: key.siteId, ...insert })
      .onConflict((oc) => oc.column('gate_id').doUpdateSet({ site_id: key.siteId, ...update }))
      .execute();
  }
}
