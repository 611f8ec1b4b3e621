/**
 * The whitelist-sync extension: a registered gate's `sync_request` is queued for the distributor, which answers on
 * the gate's own `whitelist` topic; the message is acknowledged once queued, so a snapshot being sent never holds up
 * the cloud's MQTT client. A request from a gate not registered (active) under its topic's site is refused
 * (`UNKNOWN_GATE`): the whitelist is only for the site's own gates.
 */

import type { Connection } from '../../db/scoped.js';
import type { MqttExtension } from '../../mqtt/extensions/types.js';
import type { WhitelistDistributor } from './distributor.js';
import * as repo from './repo.js';

export function whitelistSyncExtension(db: Connection, distributor: WhitelistDistributor): MqttExtension {
  return {
    name: 'whitelist-sync',
    channels: ['whitelist/req'],
    async handle(inbound) {
      if (inbound.message.type !== 'sync_request') return undefined;
      if (!(await repo.gateOfSite(db, inbound.siteId, inbound.gateId))) return { refused: 'UNKNOWN_GATE' };
      void distributor.answer(inbound.siteId, inbound.gateId, inbound.message);
      return undefined;
    },
  };
}
