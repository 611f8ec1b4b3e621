/**
 * Test helpers for the MQTT side: a registered gate in a test database, the cloud's MQTT runtime on free ports, and
 * gate clients that connect the way the protocol says (client id, will).
 */
import { randomUUID } from 'node:crypto';
import { encodeMessage, type GateState, gateTopic, type PassageEvent } from '@scenic/protocol';
import type { Kysely } from 'kysely';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { DatabaseHandle } from '../db/database.js';
import type { Database } from '../db/schema.js';
import type { CloudMqtt } from '../modules/services.js';
import { seedLayout } from '../modules/venues/testing.js';
import { silentLogger, startTestCloud, type TestCloudOptions } from '../testing/app.js';
import { gateClientId, gateUsername } from './identity.js';

export { silentLogger };

/** A gate's offline-decided entry of one person on a barcode ticket, with a fresh event id. */
export function passageOf(gateId: string): PassageEvent {
  return {
    type: 'passage',
    v: 1,
    eventId: randomUUID(),
    gateId,
    at: Date.now(),
    ticketId: 4242,
    credentialKind: 'barcode',
    direction: 'in',
    persons: 1,
    entriesLeft: null,
    decidedOffline: true,
    correlationId: null,
  };
}

/** Inserts a site, a zone and gates (idempotent per site), as the venues module would. */
export function seedGates(db: Kysely<Database>, siteId: string, gateIds: string[]): Promise<void> {
  return seedLayout(db, siteId, [{ id: 'main', name: { zh: '主区', en: 'Main' }, gates: gateIds }]);
}

/** The cloud's MQTT side over a container of its own (testing.ts startTestCloud); closing it stops that side. */
export async function startTestMqtt(
  database: DatabaseHandle,
  env: Record<string, string> = {},
  options: TestCloudOptions = {},
): Promise<CloudMqtt> {
  const container = await startTestCloud(database, env, options);
  return container.mqtt!;
}

export function gateState(gateId: string, online: boolean, since: number | null): GateState {
  return {
    type: 'gate_state',
    v: 1,
    gateId,
    online,
    mode: 'normal',
    denyUnauthorized: true,
    firmware: '1.0.0',
    whitelistVersion: 3,
    configVersion: 2,
    since,
  };
}

/** Connects as a gate with the protocol's client id and last will; rejects when the broker refuses the login. */
export async function connectGate(
  url: string,
  siteId: string,
  gateId: string,
  password: string,
  extra: IClientOptions = {},
): Promise<MqttClient> {
  const client = mqtt.connect(url, {
    clientId: gateClientId(siteId, gateId),
    username: gateUsername(siteId, gateId),
    password,
    clean: false,
    reconnectPeriod: 0,
    connectTimeout: 5_000,
    will: {
      topic: gateTopic(siteId, gateId, 'state'),
      payload: encodeMessage(gateState(gateId, false, null), 'state'),
      qos: 1,
      retain: true,
    },
    ...extra,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
      client.once('close', () => reject(new Error('connection closed')));
    });
  } catch (error) {
    client.end(true);
    throw error;
  }
  return client;
}
