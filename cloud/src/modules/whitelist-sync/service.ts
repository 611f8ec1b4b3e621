/** The whitelist as the API reads it: how far each gate's copy is behind its site's feed. */

import type { Connection } from '../../db/scoped.js';
import { ALL_SITES, type SiteScope } from '../../platform/site-scope.js';
import type { VenuesService } from '../venues/service.js';
import { whitelistLag } from './lag.js';

export class WhitelistService {
  constructor(
    private readonly db: Connection,
    private readonly venues: VenuesService,
  ) {}

  /** NOT_FOUND for an unknown site. */
  /** NOT_FOUND for a site out of `scope` too. */
  async lag(siteId: string, scope: SiteScope = ALL_SITES) {
    await this.venues.getSite(siteId, undefined, scope);
    return whitelistLag(this.db, siteId);
  }
}
