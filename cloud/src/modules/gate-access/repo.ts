/** SQL for gate MQTT credentials and the registry facts they need. */
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { GateMqttCredentialsTable } from './tables.js';

export type CredentialRow = Selectable<GateMqttCredentialsTable>;

export class GateAccessRepo {
  constructor(private readonly db: Kysely<Database>) {}

  gate(gateId: string): Promise<{ id: string; siteId: string; active: number } | undefined> {
    return this.db
      .selectFrom('gates')
      .select(['id', 'site_id as siteId', 'active'])
      .where('id', '=', gateId)
      .executeTakeFirst();
  }

  byGate(gateId: string): Promise<CredentialRow | undefined> {
    return this.db
      .selectFrom('gate_mqtt_credentials')
      .selectAll()
      .where('gate_id', '=', gateId)
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
  activeCredentials(): Promise<CredentialRow[]> {
    return this.db
      .selectFrom('gate_mqtt_credentials')
      .innerJoin('gates', 'gates.id', 'gate_mqtt_credentials.gate_id')
      .selectAll('gate_mqtt_credentials')
      .where('gate_mqtt_credentials.revoked_at', 'is', null)
      .where('gates.active', '=', 1)
      .orderBy('gate_mqtt_credentials.site_id')
      .orderBy('gate_mqtt_credentials.gate_id')
      .execute();
  }

  async insert(row: CredentialRow): Promise<void> {
    await this.db.insertInto('gate_mqtt_credentials').values(row).execute();
  }

  async replace(gateId: string, values: Partial<Omit<CredentialRow, 'gate_id'>>): Promise<void> {
    await this.db.updateTable('gate_mqtt_credentials').set(values).where('gate_id', '=', gateId).execute();
  }
}
