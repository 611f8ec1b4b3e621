/** Gate status as stored: what the API shows when no live MQTT side runs (tests, tools). */

import type { Connection } from '../../db/scoped.js';
import { ALL_SITES, type SiteScope } from '../../platform/site-scope.js';
import { type GateStatus, statusFromRow } from './hub.js';
import { GateStatusRepo } from './repo.js';

export class GateStatusService {
  readonly repo: GateStatusRepo;

  constructor(db: Connection) {
    this.repo = new GateStatusRepo(db);
  }

  /** The stored status of the gates of the sites in `scope`. */
  async stored(scope: SiteScope = ALL_SITES): Promise<GateStatus[]> {
    return (await this.repo.all(scope)).map(statusFromRow);
  }
}
