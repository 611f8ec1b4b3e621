/**
 * Test environment for the control room: a database with a site of two zones and their gates, the cloud's MQTT side
 * on the embedded broker (free ports) or an external one, the HTTP app wired to it with one signed-in operator per
 * seed role, and gates played by mqtt.js clients that speak the protocol directly.
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
import type { CloudMqtt } from '../services.js';
import { seedLayout } from '../venues/testing.js';

export const SITE = 'park';
/** Zone → gates of the seeded site. */
export const LAYOUT = { north: ['N1', 'N2', 'N3'], south: ['S1'] } as const;

export interface ControlRoomEnv {
  readonly auth: AuthTestApp;
  readonly app: App;
  readonly cloud: CloudMqtt;
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

export type AckBehaviour = { result: 'ok' } | { result: 'rejected' | 'error'; reason: string } | 'silent';

/** A gate played by an mqtt.js client: acks commands as told, sends events. */
export class FakeGate {
  readonly received: Command[] = [];
  behaviour: AckBehaviour = { result: 'ok' };

  private constructor(
    readonly client: MqttClient,
    readonly siteId: string,
    readonly gateId: string,
  ) {
    client.on('message', (topic, payload) => {
      if (topic !== gateTopic(siteId, gateId, 'cmd')) return;
      const command = decodeMessage('cmd', payload) as Command;
      this.received.push(command);
      if (this.behaviour === 'silent') return;
      const ack: CommandAck = {
        type: 'command_ack',
        v: 1,
        commandId: command.commandId,
        gateId,
        result: this.behaviour.result,
        reason: this.behaviour.result === 'ok' ? null : this.behaviour.reason,
        at: Date.now(),
      };
      // Fire-and-forget like a gate, but a test that closes this gate while the ack is in flight must not turn
      // mqtt.js's "Connection closed" rejection into an unhandled error.
      client
        .publishAsync(gateTopic(siteId, gateId, 'cmd/ack'), encodeMessage(ack, 'cmd/ack'), { qos: 1 })
        .catch(() => {});
    });
  }

  /** Connects with an issued credential (embedded broker) or anonymously (an open external broker). */
  static async connect(env: ControlRoomEnv, gateId: string, siteId = SITE): Promise<FakeGate> {
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
    const gate = new FakeGate(client, siteId, gateId);
    await client.subscribeAsync(gateTopic(siteId, gateId, 'cmd'), { qos: 1 });
    return gate;
  }

  async send(event: PassageEvent | DenialEvent): Promise<void> {
    const channel = event.type === 'passage' ? 'event/passage' : 'event/denial';
    await this.client.publishAsync(
      gateTopic(this.siteId, this.gateId, channel),
      encodeMessage(event, channel),
      {
        qos: 1,
      },
    );
  }

  async sendRaw(
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
