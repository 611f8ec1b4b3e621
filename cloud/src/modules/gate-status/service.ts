/** Gate status as stored: what the API shows when no live MQTT side runs (tests, tools). */
import type { Connection } from '../../db/scoped.js';
import { type GateStatus, statusFromRow } from './hub.js';
import { GateStatusRepo } from './repo.js';

export class GateStatusService {
  readonly repo: GateStatusRepo;

  constructor(db: Connection) {
    this.repo = new GateStatusRepo(db);
  }

  async stored(): Promise<GateStatus[]> {
    return (await this.repo.all()).map(statusFromRow);
  }
}
