/** SQL for gate MQTT credentials (this module owns gate_mqtt_credentials); the registry facts are the venues'. */

import type { Selectable } from 'kysely';
import type { Connection } from '../../db/scoped.js';
import { ALL_SITES, type SiteScope, siteCondition } from '../../platform/site-scope.js';
import { activeGates, gateFacts } from '../venues/reads.js';
import { type GateAccessDb, type GateMqttCredentialsTable, gateAccessTables } from './tables.js';

export type CredentialRow = Selectable<GateMqttCredentialsTable>;

export class GateAccessRepo {
  private readonly db: GateAccessDb;

  constructor(db: Connection) {
    this.db = gateAccessTables(db);
  }

  /** The registry's facts about the gate (venues/reads.ts); undefined for a gate of a site out of `scope`. */
  async gate(
    gateId: string,
    scope: SiteScope = ALL_SITES,
  ): Promise<{ id: string; siteId: string; active: number } | undefined> {
    const gate = await gateFacts(this.db, gateId, scope);
    return gate && { id: gate.id, siteId: gate.site_id, active: gate.active };
  }

  byGate(gateId: string, scope: SiteScope = ALL_SITES): Promise<CredentialRow | undefined> {
    return this.db
      .selectFrom('gate_mqtt_credentials')
      .selectAll()
      .where('gate_id', '=', gateId)
      .where(siteCondition(scope, 'site_id'))
      .executeTakeFirst();
  }

  byUsername(username: string): Promise<CredentialRow | undefined> {
    return this.db
      .selectFrom('gate_mqtt_credentials')
      .selectAll()
      .where('username', '=', username)
      .executeTakeFirst();
  }

  /** Every valid credential of active gates, for a Mosquitto passwd / acl export. */
  async activeCredentials(): Promise<CredentialRow[]> {
    // An export, not a hot path: the active gates come from the registry's own read.
    const active = new Set((await activeGates(this.db)).map((gate) => gate.id));
    const rows = await this.db
      .selectFrom('gate_mqtt_credentials')
      .selectAll()
      .where('revoked_at', 'is', null)
      .orderBy('site_id')
      .orderBy('gate_id')
      .execute();
    return rows.filter((row) => active.has(row.gate_id));
  }

  async insert(row: CredentialRow): Promise<void> {
    await this.db.insertInto('gate_mqtt_credentials').values(row).execute();
  }

  async replace(gateId: string, values: Partial<Omit<CredentialRow, 'gate_id'>>): Promise<void> {
    await this.db.updateTable('gate_mqtt_credentials').set(values).where('gate_id', '=', gateId).execute();
  }
}
