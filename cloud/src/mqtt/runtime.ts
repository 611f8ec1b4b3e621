/**
 * The cloud's MQTT transport: the embedded broker (unless MQTT_URL names an external one) and the cloud's own mqtt.js
 * client, both attached to a bus the caller built (and filled with extensions). Only the intake of gate → cloud
 * messages differs (intake.ts): the embedded broker hands them to the bus itself, an external broker delivers them to
 * the cloud's client. `connectMqtt` resolves once the client is ready (embedded) or after a short wait for an
 * external broker, which the client keeps retrying in the background.
 *
 * This file knows nothing of the domain modules: who may log in as a gate is asked through `authenticateGate`, and
 * what a message means is the bus's extensions' business. The composition root (container-mqtt.ts) assembles both.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { cloudSubscriptions } from '@scenic/protocol';
import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { ClusterNotifications } from '../db/notifications.js';
import { type GateFlood, gateAdmission } from './admission.js';
import { type EmbeddedBroker, startEmbeddedBroker } from './broker.js';
import { GateBudget } from './budget.js';
import type { MqttBus } from './bus.js';
import type { MqttIdentity } from './identity.js';
import { type BrokerIntake, brokerIntake, clientIntake } from './intake.js';
import { ShareMembers } from './share-members.js';

export interface MqttTransport {
  /** The embedded broker's bound ports; undefined with an external broker. */
  readonly broker: { readonly port: number; readonly wsPort: number | undefined } | undefined;
  /** Drops a gate's live session on the embedded broker (after a rotation or revocation). */
  disconnectGate(gate: { siteId: string; gateId: string }): void;
  /** Stops the intake and ends the client; `afterClient` runs between the two ends (publishers, queues). */
  close(afterClient?: () => Promise<void>): Promise<void>;
}

export interface ConnectMqttOptions {
  readonly config: Config;
  readonly bus: MqttBus;
  readonly logger: Logger;
  /** A gate's login: its identity, or undefined to refuse it. */
  readonly authenticateGate: (
    clientId: string,
    username: string,
    password: Buffer,
  ) => Promise<MqttIdentity | undefined>;
  /** How long to wait for an external broker before start-up continues without it. */
  readonly externalConnectWaitMs?: number;
  /**
   * With the embedded broker, where gate → cloud messages enter (intake.ts): 'broker' (default) hands them to the
   * bus inside the broker; 'client' subscribes the cloud's client to them, as with an external broker.
   */
  readonly intake?: 'broker' | 'client';
  /**
   * With shared subscriptions on an external broker: the other instances to watch, and whether this one leads, so a
   * dead instance's queued messages are adopted (share-members.ts).
   */
  readonly members?: { readonly notifications: ClusterNotifications; readonly leads: () => boolean };
  /** A gate went over its message budget so far that it is cut off for the back-off period (the control room's alert). */
  readonly onGateFlood?: (flood: GateFlood) => void;
}

export async function connectMqtt(options: ConnectMqttOptions): Promise<MqttTransport> {
  const { config, bus, logger: log } = options;
  const { username, clientId } = config.mqtt;
  let broker: EmbeddedBroker | undefined;
  let intake: BrokerIntake | undefined;
  let password = config.mqtt.password;
  let url: string;
  // Each gate's message budget, checked where its messages enter: in the embedded broker with the broker intake,
  // else in the client intake.
  const admission = gateAdmission(
    new GateBudget(config.mqtt.gateBudget),
    bus,
    (flood) => options.onGateFlood?.(flood),
    log,
  );
  if (config.mqtt.broker.kind === 'embedded') {
    // Nobody else needs the cloud's password for its own broker, so an unset one is random per start.
    const cloudPassword = password ?? randomBytes(32).toString('base64url');
    password = cloudPassword;
    if ((options.intake ?? 'broker') === 'broker') intake = brokerIntake(bus, log);
    broker = await startEmbeddedBroker({
      host: config.mqtt.broker.host,
      port: config.mqtt.broker.port,
      wsPort: config.mqtt.broker.wsPort,
      logger: log,
      onDenied: (attempt) => bus.reportDenied(attempt),
      ...(intake && { intake: intake.receive, admission }),
      authenticate: async (login): Promise<MqttIdentity | undefined> => {
        if (login.username === undefined || login.password === undefined) return undefined;
        if (login.username === username) {
          const ok = login.clientId.startsWith('sg-cloud-') && sameSecret(login.password, cloudPassword);
          return ok ? { kind: 'cloud' } : undefined;
        }
        return options.authenticateGate(login.clientId, login.username, login.password);
      },
    });
    url = `mqtt://127.0.0.1:${broker.port}`;
  } else {
    url = config.mqtt.broker.url;
  }

  const client = mqtt.connect(url, {
    clientId,
    username,
    password,
    // A persistent session: QoS 1 events that arrive while the cloud restarts wait for it at the broker.
    clean: false,
    reconnectPeriod: 2_000,
    connectTimeout: 10_000,
  });
  // The embedded broker takes the cloud's messages in process (broker.ts); an external one over the client.
  bus.attach(
    broker ?? {
      publish: async (topic, payload, opts) => {
        await client.publishAsync(topic, payload, opts);
      },
    },
  );
  if (!intake) clientIntake(client, bus, log, admission);
  client.on('error', (error) => log.warn({ err: error }, 'mqtt client error'));
  client.on('offline', () => log.warn({ url: redact(url) }, 'mqtt broker unreachable; retrying'));
  const subscribed = new Promise<void>((resolve) => {
    client.on('connect', () => {
      // Small messages that wait for nobody: no Nagle delay behind an unacknowledged write (broker.ts).
      (client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
      if (intake) {
        // Gate → cloud messages come through the broker intake; the client only publishes.
        log.info({ url: redact(url), clientId }, 'mqtt client connected');
        resolve();
        return;
      }
      // Subscribing again on every connect is harmless and covers a broker that lost the session.
      client.subscribeAsync(subscriptionMap(config.mqtt.shareGroup)).then(
        () => {
          log.info(
            { url: redact(url), clientId, shareGroup: config.mqtt.shareGroup ?? null },
            'mqtt client connected and subscribed',
          );
          resolve();
        },
        (error: unknown) => log.error({ err: error }, 'mqtt subscribe failed'),
      );
    });
  });
  if (broker) await subscribed;
  else await Promise.race([subscribed, delay(options.externalConnectWaitMs ?? 5_000)]);

  const shareGroup = config.mqtt.shareGroup;
  const members =
    options.members && shareGroup !== undefined && !broker && options.members.notifications.enabled
      ? new ShareMembers({
          notifications: options.members.notifications,
          clientId,
          leads: options.members.leads,
          logger: log,
          adopt: (dead) =>
            adoptSession({ url, clientId: dead, username, password, shareGroup, bus, logger: log }),
        })
      : undefined;
  members?.start();

  return {
    broker: broker ? { port: broker.port, wsPort: broker.wsPort } : undefined,
    disconnectGate: ({ siteId, gateId }) => {
      broker?.disconnect(
        (identity) => identity.kind === 'gate' && identity.siteId === siteId && identity.gateId === gateId,
      );
    },
    close: async (afterClient) => {
      await members?.stop();
      intake?.stop();
      await endClient(client);
      await afterClient?.();
      await broker?.close();
    },
  };
}

/**
 * The cloud's subscriptions: with a share group (MQTT_SHARE_GROUP) the work channels are `$share/<group>/…`, so the
 * broker hands each gate message to one instance of the group; the retained `state` stays a plain subscription.
 */
export function subscriptionMap(shareGroup: string | undefined): Record<string, { qos: 0 | 1 }> {
  return Object.fromEntries(
    cloudSubscriptions(shareGroup === undefined ? {} : { shareGroup }).map((s) => [s.filter, { qos: s.qos }]),
  );
}

/** Quiet this long (nothing received or acknowledged) after its backlog, an adopted session is ended. */
const ADOPTION_QUIET_MS = 2_000;

/**
 * Takes over a dead instance's persistent session (share-members.ts): out of the share group at once, its queued
 * messages processed through this instance's bus (acknowledged once processed, as in clientIntake), then the
 * session ended for good with a clean connect.
 */
async function adoptSession(o: {
  url: string;
  clientId: string;
  username: string;
  password: string | undefined;
  shareGroup: string;
  bus: MqttBus;
  logger: Logger;
}): Promise<void> {
  const login = { clientId: o.clientId, username: o.username, password: o.password, reconnectPeriod: 0 };
  const client = mqtt.connect(o.url, { ...login, clean: false, connectTimeout: 10_000 });
  let lastActivity = Date.now();
  client.on('packetreceive', () => {
    lastActivity = Date.now();
  });
  client.on('packetsend', () => {
    lastActivity = Date.now();
  });
  client.on('error', (error) => o.logger.warn({ err: error, member: o.clientId }, 'adopted session error'));
  clientIntake(client, o.bus, o.logger);
  try {
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('close', () => reject(new Error('adopted session closed before it connected')));
    });
    // Out of the group first: what is queued still arrives, everything new goes to the living members.
    await client.unsubscribeAsync(
      Object.keys(subscriptionMap(o.shareGroup)).filter((f) => f.startsWith('$share/')),
    );
    while (client.connected && Date.now() - lastActivity < ADOPTION_QUIET_MS) await delay(250);
    await o.bus.idle();
  } finally {
    await endClient(client);
  }
  // The session's end: connecting clean discards it at the broker (MQTT 3.1.1 §3.1.2.4).
  const cleaner = mqtt.connect(o.url, { ...login, clean: true, connectTimeout: 10_000 });
  cleaner.on('error', () => {});
  await new Promise<void>((resolve) => {
    cleaner.once('connect', () => resolve());
    cleaner.once('close', () => resolve());
  });
  await endClient(cleaner);
}

function sameSecret(given: Buffer, expected: string): boolean {
  const want = Buffer.from(expected);
  return given.length === want.length && timingSafeEqual(given, want);
}

function endClient(client: MqttClient): Promise<void> {
  return new Promise((resolve) => client.end(false, {}, () => resolve()));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Never log a password embedded in a broker URL. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'invalid url';
  }
}
