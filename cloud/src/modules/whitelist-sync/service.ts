/** The whitelist as the API reads it: how far each gate's copy is behind its site's feed. */
import type { Connection } from '../../db/scoped.js';
import type { VenuesService } from '../venues/service.js';
import { whitelistLag } from './lag.js';

export class WhitelistService {
  constructor(
    private readonly db: Connection,
    private readonly venues: VenuesService,
  ) {}

  /** NOT_FOUND for an unknown site. */
  async lag(siteId: string) {
    await this.venues.getSite(siteId);
    return whitelistLag(this.db, siteId);
  }
}
