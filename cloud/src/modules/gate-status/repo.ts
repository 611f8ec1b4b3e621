/**
 * SQL for live gate status. Each write touches only the columns its message is authoritative for (state columns from
 * a state message, counters from a heartbeat), so several cloud instances splitting heartbeats between them never
 * overwrite each other's newer values with stale ones.
 *
 * Every write is one upsert that returns the gate's whole row, compiled once per kind of message: all 500 gates of
 * a site report a new state within a second of an emergency open, and each report used to cost a built upsert and a
 * second query for the row.
 */

import type { Selectable } from 'kysely';
import type { Placeholders } from '../../db/precompiled.js';
import type { Connection } from '../../db/scoped.js';
import { transaction } from '../../db/transaction.js';
import { ALL_SITES, type SiteScope, siteCondition } from '../../platform/site-scope.js';
import { type GateStatusDb, type GateStatusTable, gateStatusTables } from './tables.js';

export type GateStatusRow = Selectable<GateStatusTable>;

/** What a `gate_state` message says. */
export type StateParams = {
  gateId: string;
  siteId: string;
  online: number;
  since: number;
  mode: string;
  denyUnauthorized: number;
  firmware: string;
  whitelistVersion: number;
  configVersion: number | null;
  receivedAt: number;
  /** JSON array (protocol `degraded`, '[]' when the message left it out). */
  degraded: string;
};

/** What a heartbeat says. */
export type HeartbeatParams = {
  gateId: string;
  siteId: string;
  receivedAt: number;
  uptimeSec: number;
  scans: number;
  admits: number;
  denies: number;
  outboxDepth: number;
  whitelistVersion: number;
  configVersion: number | null;
  /** JSON array (protocol `degraded`, '[]' when the message left it out). */
  degraded: string;
};

function stateColumns(p: Placeholders<StateParams>) {
  return {
    mode: p.mode,
    deny_unauthorized: p.denyUnauthorized,
    firmware: p.firmware,
    whitelist_version: p.whitelistVersion,
    config_version: p.configVersion,
    degraded: p.degraded,
  };
}

function commonColumns(p: Placeholders<StateParams>) {
  return { online: p.online, since: p.since, last_state_at: p.receivedAt };
}

/**
 * A state. A will (online false, since null) is authoritative only for `online`: its other fields date from when
 * the gate connected, so an existing row keeps them. A retained state replayed when the cloud subscribes does not
 * count as the gate being seen now.
 */
function stateUpsert(kind: { will: boolean; retained: boolean }) {
  return gateStatusTables.precompile<StateParams, GateStatusRow>((db, p) =>
    db
      .insertInto('gate_status')
      .values({
        gate_id: p.gateId,
        site_id: p.siteId,
        ...stateColumns(p),
        ...commonColumns(p),
        last_seen_at: p.receivedAt,
      })
      .onConflict((oc) =>
        oc.column('gate_id').doUpdateSet({
          site_id: p.siteId,
          ...(kind.will ? {} : stateColumns(p)),
          ...commonColumns(p),
          ...(kind.retained ? {} : { last_seen_at: p.receivedAt }),
        }),
      )
      .returningAll(),
  );
}

/** One upsert per kind of state message: by whether it is a will, then by whether it was retained. */
const STATE_UPSERTS = {
  state: {
    live: stateUpsert({ will: false, retained: false }),
    retained: stateUpsert({ will: false, retained: true }),
  },
  will: {
    live: stateUpsert({ will: true, retained: false }),
    retained: stateUpsert({ will: true, retained: true }),
  },
};

function heartbeatColumns(p: Placeholders<HeartbeatParams>) {
  return {
    last_seen_at: p.receivedAt,
    last_heartbeat_at: p.receivedAt,
    uptime_sec: p.uptimeSec,
    scans: p.scans,
    admits: p.admits,
    denies: p.denies,
    outbox_depth: p.outboxDepth,
    whitelist_version: p.whitelistVersion,
    config_version: p.configVersion,
    degraded: p.degraded,
  };
}

// A heartbeat proves the gate is connected, but `online` belongs to the state topic: a row created by a heartbeat
// (state not yet seen) starts online, an existing row keeps what its state said.
const heartbeatUpsert = gateStatusTables.precompile<HeartbeatParams, GateStatusRow>((db, p) =>
  db
    .insertInto('gate_status')
    .values({ gate_id: p.gateId, site_id: p.siteId, ...heartbeatColumns(p), online: 1 })
    .onConflict((oc) => oc.column('gate_id').doUpdateSet({ site_id: p.siteId, ...heartbeatColumns(p) }))
    .returningAll(),
);

export class GateStatusRepo {
  private readonly db: GateStatusDb;

  constructor(db: Connection) {
    this.db = gateStatusTables(db);
  }

  /** Every gate's row, of the sites in `scope`. */
  async all(scope: SiteScope = ALL_SITES): Promise<GateStatusRow[]> {
    return this.db
      .selectFrom('gate_status')
      .selectAll()
      .where(siteCondition(scope, 'site_id'))
      .orderBy('site_id')
      .orderBy('gate_id')
      .execute();
  }

  async get(gateId: string): Promise<GateStatusRow | undefined> {
    return this.db.selectFrom('gate_status').selectAll().where('gate_id', '=', gateId).executeTakeFirst();
  }

  /** Runs `fn` in one transaction (several messages written together). */
  inTransaction<T>(fn: (trx: Connection) => Promise<T>): Promise<T> {
    return transaction(this.db, fn);
  }

  /** Stores a state (or last will); the gate's row as it now is. One statement, atomic on its own. */
  async applyState(
    params: StateParams,
    kind: { will: boolean; retained: boolean },
    db: Connection = this.db,
  ): Promise<GateStatusRow | undefined> {
    const upserts = kind.will ? STATE_UPSERTS.will : STATE_UPSERTS.state;
    const statement = kind.retained ? upserts.retained : upserts.live;
    return statement.first(db, params);
  }

  /** Stores a heartbeat; the gate's row as it now is. */
  async applyHeartbeat(
    params: HeartbeatParams,
    db: Connection = this.db,
  ): Promise<GateStatusRow | undefined> {
    return heartbeatUpsert.first(db, params);
  }
}
