/**
 * Test helpers for the MQTT side: a registered gate in a test database, the cloud's MQTT runtime on free ports, and
 * gate clients that connect the way the protocol says (client id, will).
 */
import { encodeMessage, type GateState, gateTopic } from '@scenic/protocol';
import type { Kysely } from 'kysely';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { pino } from 'pino';
import { loadConfig } from '../config.js';
import type { DatabaseHandle } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { seedLayout } from '../modules/venues/testing.js';
import { gateClientId, gateUsername } from './identity.js';
import { type CloudMqtt, type StartMqttOptions, startMqtt } from './runtime.js';

export const silentLogger = pino({ level: 'silent' });

/** Inserts a site, a zone and gates (idempotent per site), as the venues module would. */
export function seedGates(db: Kysely<Database>, siteId: string, gateIds: string[]): Promise<void> {
  return seedLayout(db, siteId, [{ id: 'main', name: { zh: '主区', en: 'Main' }, gates: gateIds }]);
}

export function startTestMqtt(
  database: DatabaseHandle,
  env: Record<string, string> = {},
  options: Pick<StartMqttOptions, 'extraPassageHooks' | 'intake'> = {},
): Promise<CloudMqtt> {
  const config = loadConfig({
    MQTT_HOST: '127.0.0.1',
    MQTT_PORT: '0',
    MQTT_WS_PORT: 'off',
    MQTT_INSTANCE: `test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
    ...env,
  });
  return startMqtt({
    config,
    database,
    logger: silentLogger,
    commLogFlushMs: 20,
    externalConnectWaitMs: 3_000,
    ...options,
  });
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
