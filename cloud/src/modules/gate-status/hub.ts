/**
 * The live status of every gate in memory, for the status list and the console's push stream: loaded from the
 * database at start, then updated by the status extension as messages arrive. `change` fires once per update with
 * the gate's whole new status.
 */

import { EventEmitter } from 'node:events';
import { ALL_SITES, coversSite, type SiteScope } from '../../platform/site-scope.js';
import type { GateStatusRepo, GateStatusRow } from './repo.js';

export interface GateStatus {
  gateId: string;
  siteId: string;
  online: boolean;
  mode: string | null;
  denyUnauthorized: boolean | null;
  firmware: string | null;
  whitelistVersion: number | null;
  configVersion: number | null;
  since: number | null;
  lastSeenAt: number;
  lastStateAt: number | null;
  lastHeartbeatAt: number | null;
  uptimeSec: number | null;
  counters: { scans: number; admits: number; denies: number } | null;
  outboxDepth: number | null;
  /** Devices and inputs the gate runs without (e.g. `voice`, `passage.in`); null until it has reported. */
  degraded: string[] | null;
  /**
   * While the gate is cut off for flooding the cloud with messages (over its message budget; mqtt/budget.ts): when
   * the back-off ends, epoch ms. null otherwise. Held by this cloud instance only, not stored.
   */
  floodedUntil: number | null;
}

export function statusFromRow(row: GateStatusRow): GateStatus {
  return {
    gateId: row.gate_id,
    siteId: row.site_id,
    online: row.online === 1,
    mode: row.mode,
    denyUnauthorized: row.deny_unauthorized === null ? null : row.deny_unauthorized === 1,
    firmware: row.firmware,
    whitelistVersion: row.whitelist_version,
    configVersion: row.config_version,
    since: row.since,
    lastSeenAt: row.last_seen_at,
    lastStateAt: row.last_state_at,
    lastHeartbeatAt: row.last_heartbeat_at,
    uptimeSec: row.uptime_sec,
    counters:
      row.scans === null || row.admits === null || row.denies === null
        ? null
        : { scans: row.scans, admits: row.admits, denies: row.denies },
    outboxDepth: row.outbox_depth,
    degraded: row.degraded === null ? null : (JSON.parse(row.degraded) as string[]),
    floodedUntil: null,
  };
}

export class GateStatusHub extends EventEmitter<{ change: [GateStatus] }> {
  private readonly statuses = new Map<string, GateStatus>();
  private readonly floods = new Map<string, { until: number; timer: NodeJS.Timeout }>();

  async load(repo: GateStatusRepo): Promise<void> {
    for (const row of await repo.all()) this.statuses.set(row.gate_id, statusFromRow(row));
  }

  /** Every gate's status, of the sites in `scope` (held in memory: filtered here rather than in SQL). */
  all(scope: SiteScope = ALL_SITES): GateStatus[] {
    return [...this.statuses.values()]
      .filter((status) => coversSite(scope, status.siteId))
      .sort((a, b) => a.siteId.localeCompare(b.siteId) || a.gateId.localeCompare(b.gateId));
  }

  get(gateId: string): GateStatus | undefined {
    return this.statuses.get(gateId);
  }

  set(status: GateStatus): void {
    const current = { ...status, floodedUntil: this.floods.get(status.gateId)?.until ?? null };
    this.statuses.set(status.gateId, current);
    this.emit('change', current);
  }

  /**
   * The control room's alert for a gate cut off for flooding: its status says so until the back-off ends (a gate
   * not heard from before gets a status of its own), and changes again when it ends.
   */
  flooded(flood: { siteId: string; gateId: string; until: number }, now = Date.now()): void {
    const { gateId } = flood;
    clearTimeout(this.floods.get(gateId)?.timer);
    const timer = setTimeout(
      () => {
        this.floods.delete(gateId);
        const status = this.statuses.get(gateId);
        if (status) this.set(status);
      },
      Math.max(0, flood.until - now),
    );
    timer.unref();
    this.floods.set(gateId, { until: flood.until, timer });
    this.set(this.statuses.get(gateId) ?? unheardOf(flood.siteId, gateId, now));
  }
}

/** A gate that is connected but has not yet said anything the status keeps (its first messages were a flood). */
function unheardOf(siteId: string, gateId: string, now: number): GateStatus {
  return {
    gateId,
    siteId,
    online: true,
    mode: null,
    denyUnauthorized: null,
    firmware: null,
    whitelistVersion: null,
    configVersion: null,
    since: null,
    lastSeenAt: now,
    lastStateAt: null,
    lastHeartbeatAt: null,
    uptimeSec: null,
    counters: null,
    outboxDepth: null,
    degraded: null,
    floodedUntil: null,
  };
}
