/**
 * The whitelist-sync extension: a registered gate's `sync_request` is queued for the distributor, which answers on
 * the gate's own `whitelist` topic; the message is acknowledged once queued, so a snapshot being sent never holds up
 * the cloud's MQTT client. A request from a gate not registered (active) under its topic's site is refused
 * (`UNKNOWN_GATE`): the whitelist is only for the site's own gates.
 *
 * Answered once with several cloud instances: with shared subscriptions (MQTT_SHARE_GROUP) the broker hands each
 * request to one instance, which answers it. Without them every instance receives it, and only the one that leads
 * (db/leadership.ts) answers — two snapshots for one request would make the gate start over. While no instance
 * leads (start-up, the few seconds of a failover) the request waits for this one to lead, up to `leaderWaitMs`.
 */

import type { Connection } from '../../db/scoped.js';
import type { MqttExtension } from '../../mqtt/extensions/types.js';
import type { WhitelistDistributor } from './distributor.js';
import * as repo from './repo.js';

export interface SyncAnswering {
  /** True when the work channels are shared: this instance is the only one to receive the request. */
  readonly shared: boolean;
  /** Whether this instance leads now. */
  readonly leads: () => boolean;
  /** How long a request waits for this instance to lead before it is left to the leader. */
  readonly leaderWaitMs?: number;
}

const LEADER_POLL_MS = 250;

export function whitelistSyncExtension(
  db: Connection,
  distributor: WhitelistDistributor,
  answering: SyncAnswering = { shared: true, leads: () => true },
): MqttExtension {
  const answers = async (): Promise<boolean> => {
    if (answering.shared || answering.leads()) return true;
    const until = Date.now() + (answering.leaderWaitMs ?? 6_000);
    while (Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, LEADER_POLL_MS).unref());
      if (answering.leads()) return true;
    }
    return false;
  };
  return {
    name: 'whitelist-sync',
    channels: ['whitelist/req'],
    async handle(inbound) {
      const request = inbound.message;
      if (request.type !== 'sync_request') return undefined;
      if (!(await repo.gateOfSite(db, inbound.siteId, inbound.gateId))) return { refused: 'UNKNOWN_GATE' };
      void answers().then(async (mine) => {
        if (mine) await distributor.answer(inbound.siteId, inbound.gateId, request);
      });
      return undefined;
    },
  };
}
