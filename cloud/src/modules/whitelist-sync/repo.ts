/**
 * What whitelist-sync reads: the feed is the tickets' (tickets/feed.ts), the gates the venues' (venues/reads.ts), their
 * reported versions the gate-status module's (gate-status/reads.ts). This module owns no table.
 */
import type { Connection } from '../../db/scoped.js';
import { reportedWhitelistVersions } from '../gate-status/reads.js';
import { gateFacts, gateIdsOfSite } from '../venues/reads.js';

export { feedBetween, headOf, heads, oldestFeedVersion, pruneFeed } from '../tickets/feed.js';

/** Whether the gate is an active gate of this site. */
export async function gateOfSite(db: Connection, siteId: string, gateId: string): Promise<boolean> {
  const gate = await gateFacts(db, gateId);
  return gate !== undefined && gate.site_id === siteId && gate.active === 1;
}

/** Each gate's last reported whitelist version (state or heartbeat), for lag; by gate id. */
export async function reportedVersions(db: Connection, siteId: string) {
  const gateIds = await gateIdsOfSite(db, siteId);
  const reported = new Map((await reportedWhitelistVersions(db, gateIds)).map((row) => [row.gate_id, row]));
  return gateIds.map((gateId) => ({
    gateId,
    version: reported.get(gateId)?.whitelist_version ?? null,
    online: reported.get(gateId)?.online ?? null,
  }));
}
