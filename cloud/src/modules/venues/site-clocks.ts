/**
 * Each site's venue clock for work done per passage (the ingestion judges every entry decided offline at its scan's
 * local time): the site's time zone is read once a minute at most instead of once per event. A zone changed in the
 * registry is used from the next read on; the gates themselves learn it only with their next config. The site's
 * automatic check-out time comes with it: a gate applies it to its offline decisions, so judging them needs it too.
 */
import { checkoutMinute, createVenueClock, type VenueClock } from '@scenic/protocol';
import type { Connection } from '../../db/scoped.js';
import { siteClockSettings } from './reads.js';

const TTL_MS = 60_000;
/** A site not in the registry (its gates' events are not stored): the installation's default zone. */
const DEFAULT_ZONE = 'Asia/Shanghai';

export interface SiteClock {
  readonly clock: VenueClock;
  readonly checkoutMinute: number | null;
}

export class SiteClocks {
  private readonly zones = new Map<string, VenueClock>();
  private readonly sites = new Map<string, SiteClock & { readAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async of(db: Connection, siteId: string): Promise<VenueClock> {
    return (await this.settingsOf(db, siteId)).clock;
  }

  /** The site's clock and its automatic check-out minute of the local day (null: none). */
  async settingsOf(db: Connection, siteId: string): Promise<SiteClock> {
    const now = this.now();
    const known = this.sites.get(siteId);
    if (known && now - known.readAt < TTL_MS) return known;
    const settings = await siteClockSettings(db, siteId);
    const zone = settings?.timezone ?? DEFAULT_ZONE;
    let clock = this.zones.get(zone);
    if (!clock) {
      clock = createVenueClock(zone);
      this.zones.set(zone, clock);
    }
    const at = settings?.auto_checkout_at ?? null;
    const entry = { clock, checkoutMinute: at === null ? null : checkoutMinute(at), readAt: now };
    this.sites.set(siteId, entry);
    return entry;
  }
}
