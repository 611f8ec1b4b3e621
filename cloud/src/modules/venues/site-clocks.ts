/**
 * Each site's venue clock for work done per passage (the ingestion judges every entry decided offline at its scan's
 * local time): the site's time zone is read once a minute at most instead of once per event. A zone changed in the
 * registry is used from the next read on; the gates themselves learn it only with their next config.
 */
import { createVenueClock, type VenueClock } from '@scenic/protocol';
import type { Connection } from '../../db/scoped.js';
import { siteTimeZone } from './reads.js';

const TTL_MS = 60_000;
/** A site not in the registry (its gates' events are not stored): the installation's default zone. */
const DEFAULT_ZONE = 'Asia/Shanghai';

export class SiteClocks {
  private readonly zones = new Map<string, VenueClock>();
  private readonly sites = new Map<string, { clock: VenueClock; readAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async of(db: Connection, siteId: string): Promise<VenueClock> {
    const now = this.now();
    const known = this.sites.get(siteId);
    if (known && now - known.readAt < TTL_MS) return known.clock;
    const zone = (await siteTimeZone(db, siteId)) ?? DEFAULT_ZONE;
    let clock = this.zones.get(zone);
    if (!clock) {
      clock = createVenueClock(zone);
      this.zones.set(zone, clock);
    }
    this.sites.set(siteId, { clock, readAt: now });
    return clock;
  }
}
