/**
 * Test environment for the control room: a database with a site of two zones and their gates, the cloud's MQTT side
 * on the embedded broker (free ports) or an external one, the HTTP app wired to it with one signed-in operator per
 * seed role, and MQTT connections with gates' logins from which tests publish what gates would.
 */

import { randomUUID } from 'node:crypto';
import {
  type Command,
  type CommandAck,
  type DenialEvent,
  decodeMessage,
  encodeMessage,
  gateTopic,
  type PassageEvent,
} from '@scenic/protocol';
import type { Kysely } from 'kysely';
import mqtt, { type MqttClient } from 'mqtt';
import { type App, buildApp } from '../../app.js';
import type { Database } from '../../db/schema.js';
import type { DatabaseBackend, TestDatabase } from '../../db/testing.js';
import { connectGate } from '../../mqtt/testing.js';
import { type AuthTestApp, createAuthTestApp } from '../../platform/auth/testing.js';
import { startTestCloud } from '../../testing/app.js';
import { GateAccessService } from '../gate-access/service.js';
import type { CloudMqtt, CloudServices } from '../services.js';
import { seedLayout } from '../venues/testing.js';

export const SITE = 'park';
/** Zone → gates of the seeded site. */
export const LAYOUT = { north: ['N1', 'N2', 'N3'], south: ['S1'] } as const;

export interface ControlRoomEnv {
  readonly auth: AuthTestApp;
  readonly app: App;
  readonly cloud: CloudMqtt;
  /** The services the app and the MQTT side share (e.g. to ingest events without a gate connection). */
  readonly services: CloudServices;
  readonly db: Kysely<Database>;
  readonly test: TestDatabase;
  /** The broker URL gates connect to. */
  readonly url: string;
  dispose(): Promise<void>;
}

/** The site of LAYOUT; another site's gate ids get its id as prefix, gate ids being unique installation-wide. */
export function seedSite(db: Kysely<Database>, siteId = SITE): Promise<void> {
  return seedLayout(
    db,
    siteId,
    Object.entries(LAYOUT).map(([zone, gates]) => ({
      id: zone,
      gates: gates.map((id) => (siteId === SITE ? id : `${siteId}-${id}`)),
    })),
  );
}

export async function createControlRoomEnv(
  backend: DatabaseBackend,
  options: { env?: Record<string, string>; mqttEnv?: Record<string, string>; siteId?: string } = {},
): Promise<ControlRoomEnv> {
  const auth = await createAuthTestApp(backend, options.env);
  const db = auth.test.database.db;
  await seedSite(db, options.siteId);
  const container = await startTestCloud(auth.test.database, {
    LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
    ...options.env,
    ...options.mqttEnv,
  });
  const cloud = container.mqtt!;
  const app = await buildApp(container);
  const url = options.mqttEnv?.MQTT_URL ?? `mqtt://127.0.0.1:${cloud.broker?.port}`;
  return {
    auth,
    app,
    cloud,
    services: container.services,
    db,
    test: auth.test,
    url,
    dispose: async () => {
      await app.close();
      await cloud.close();
      await auth.dispose();
    },
  };
}

/**
 * A test's MQTT connection with one gate's login: it publishes what the test wants to reach the cloud as that gate
 * and lists the commands that arrived on the gate's cmd topic. It has no gate behaviour of its own (a real gate is
 * the agent's GateLink, exercised against the cloud in test/e2e and by the fleet simulator): commands are answered,
 * late or not at all, by the test itself.
 */
export class GateConnection {
  /** Commands that arrived on this gate's cmd topic, in order. */
  readonly commands: Command[] = [];

  private constructor(
    readonly client: MqttClient,
    readonly siteId: string,
    readonly gateId: string,
  ) {
    client.on('message', (topic, payload) => {
      if (topic === gateTopic(siteId, gateId, 'cmd'))
        this.commands.push(decodeMessage('cmd', payload) as Command);
    });
  }

  /** Connects with an issued credential (embedded broker) or anonymously (an open external broker). */
  static async open(env: ControlRoomEnv, gateId: string, siteId = SITE): Promise<GateConnection> {
    let client: MqttClient;
    if (env.cloud.broker) {
      const { password } = await new GateAccessService(env.db).issue(gateId);
      client = await connectGate(env.url, siteId, gateId, password);
    } else {
      client = mqtt.connect(env.url, { clientId: `sg-${siteId}-${gateId}`, clean: true, reconnectPeriod: 0 });
      await new Promise((resolve, reject) => {
        client.once('connect', resolve);
        client.once('error', reject);
      });
    }
    const connection = new GateConnection(client, siteId, gateId);
    await client.subscribeAsync(gateTopic(siteId, gateId, 'cmd'), { qos: 1 });
    return connection;
  }

  /** Publishes an event as this gate (QoS 1, resolves on the broker's PUBACK). */
  send(event: PassageEvent | DenialEvent): Promise<void> {
    const channel = event.type === 'passage' ? 'event/passage' : 'event/denial';
    return this.publish(channel, encodeMessage(event, channel));
  }

  /** Publishes the ack of a command as this gate: `ok`, or a refusal or failure with its reason. */
  ack(commandId: string, result: CommandAck['result'] = 'ok', reason: string | null = null): Promise<void> {
    const ack: CommandAck = {
      type: 'command_ack',
      v: 1,
      commandId,
      gateId: this.gateId,
      result,
      reason,
      at: Date.now(),
    };
    return this.publish('cmd/ack', encodeMessage(ack, 'cmd/ack'));
  }

  /** Publishes any bytes on one of this gate's uplink channels (QoS 1). */
  async publish(
    channel: 'event/passage' | 'event/denial' | 'cmd/ack',
    payload: Buffer | string,
  ): Promise<void> {
    await this.client.publishAsync(gateTopic(this.siteId, this.gateId, channel), payload, { qos: 1 });
  }

  close(): Promise<void> {
    return this.client.endAsync(true);
  }
}

/** A fresh event id (the protocol's canonical lower-case UUID spelling). */
export function eventId(): string {
  return randomUUID();
}

export function passage(gateId: string, overrides: Partial<PassageEvent> = {}): PassageEvent {
  return {
    type: 'passage',
    v: 1,
    eventId: eventId(),
    gateId,
    at: Date.now(),
    ticketId: 1001,
    credentialKind: 'qr',
    direction: 'in',
    persons: 1,
    entriesLeft: null,
    decidedOffline: false,
    correlationId: null,
    ...overrides,
  };
}

export function denial(gateId: string, overrides: Partial<DenialEvent> = {}): DenialEvent {
  return {
    type: 'denial',
    v: 1,
    eventId: eventId(),
    gateId,
    at: Date.now(),
    direction: 'in',
    reason: 'EXPIRED',
    credentialKind: 'qr',
    ticketId: 1002,
    codeHash: 'e0f54144f06c2353b813d9f9ae7a15a8c0b977d2358d3b10368f34f9e543ca43',
    ...overrides,
  };
}
