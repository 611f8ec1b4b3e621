/** Gate status as stored: what the API shows when no live MQTT side runs (tests, tools). */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { type GateStatus, statusFromRow } from './hub.js';
import { GateStatusRepo } from './repo.js';

export class GateStatusService {
  readonly repo: GateStatusRepo;

  constructor(db: Kysely<Database>) {
    this.repo = new GateStatusRepo(db);
  }

  async stored(): Promise<GateStatus[]> {
    return (await this.repo.all()).map(statusFromRow);
  }
}
