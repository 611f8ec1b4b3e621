/**
 * The cloud's MQTT side, assembled: the embedded broker (unless MQTT_URL names an external one), the cloud's own
 * mqtt.js client, the bus with its extensions — the same for either broker — the communication log writer with its
 * periodic prune, and the metrics. Only the intake of gate → cloud messages differs (intake.ts): the embedded
 * broker hands them to the bus itself, an external broker delivers them to the cloud's client. `startMqtt`
 * resolves once the client is ready (embedded) or after a short wait for an external broker, which the client
 * keeps retrying in the background.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { cloudSubscriptions } from '@scenic/protocol';
import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { DatabaseHandle } from '../db/database.js';
import { CommLogRepo } from '../modules/comm-log/repo.js';
import { CommLogService } from '../modules/comm-log/service.js';
import { CommLogWriter } from '../modules/comm-log/writer.js';
import { GateAccessService } from '../modules/gate-access/service.js';
import { GateConfigPublisher } from '../modules/gate-config/publisher.js';
import { GateConfigService } from '../modules/gate-config/service.js';
import { gateStatusExtension } from '../modules/gate-status/extension.js';
import { GateStatusHub } from '../modules/gate-status/hub.js';
import { GateStatusRepo } from '../modules/gate-status/repo.js';
import { validationExtension } from '../modules/gate-validation/extension.js';
import { ValidationService } from '../modules/gate-validation/service.js';
import { type ControlRoom, startControlRoom } from '../modules/metrics/control-room.js';
import type { PassageHook } from '../modules/passages/service.js';
import { ticketPassageHook } from '../modules/tickets/passage-hook.js';
import { TicketsService } from '../modules/tickets/service.js';
import { WhitelistDistributor } from '../modules/whitelist-sync/distributor.js';
import { whitelistSyncExtension } from '../modules/whitelist-sync/extension.js';
import { type EmbeddedBroker, startEmbeddedBroker } from './broker.js';
import { MqttBus } from './bus.js';
import type { MqttIdentity } from './identity.js';
import { type BrokerIntake, brokerIntake, clientIntake } from './intake.js';
import { MqttMetrics } from './metrics.js';

export interface CloudMqtt {
  readonly bus: MqttBus;
  readonly metrics: MqttMetrics;
  readonly gateStatus: GateStatusHub;
  readonly commLog: CommLogWriter;
  /** Commands with ack tracking, passage ingestion, occupancy push and the control room's metrics. */
  readonly controlRoom: ControlRoom;
  /** Publishes each gate's retained config and its new versions. */
  readonly gateConfig: GateConfigPublisher;
  /** Live whitelist deltas and answers to gates' sync requests. */
  readonly whitelist: WhitelistDistributor;
  /** The embedded broker's bound ports; undefined with an external broker. */
  readonly broker: { readonly port: number; readonly wsPort: number | undefined } | undefined;
  /** Drops a gate's live session on the embedded broker (after a rotation or revocation). */
  disconnectGate(gate: { siteId: string; gateId: string }): void;
  close(): Promise<void>;
}

export interface StartMqttOptions {
  readonly config: Config;
  readonly database: DatabaseHandle;
  readonly logger: Logger;
  /** Comm-log flush interval (tests use a short one). */
  readonly commLogFlushMs?: number;
  /** How long to wait for an external broker before start-up continues without it. */
  readonly externalConnectWaitMs?: number;
  /** Passage hooks run after the built-in ones, inside the ingestion transaction (tests inject failures here). */
  readonly extraPassageHooks?: readonly PassageHook[];
  /**
   * With the embedded broker, where gate → cloud messages enter (intake.ts): 'broker' (default) hands them to the
   * bus inside the broker; 'client' subscribes the cloud's client to them, as with an external broker.
   */
  readonly intake?: 'broker' | 'client';
}

const PRUNE_INTERVAL_MS = 3_600_000;

export async function startMqtt(options: StartMqttOptions): Promise<CloudMqtt> {
  const { config, database, logger } = options;
  const log = logger.child({ component: 'mqtt' });
  const bus = new MqttBus(log);
  const metrics = new MqttMetrics();
  bus.onRecord((record) => metrics.observe(record));

  const commLogRepo = new CommLogRepo(database.db);
  const commLog = new CommLogWriter(commLogRepo, log, { flushIntervalMs: options.commLogFlushMs });
  bus.onRecord((record) => commLog.add(record));
  commLog.start();
  const commLogService = new CommLogService(commLogRepo, database.db, config.venueTimezone);
  const prune = () =>
    commLogService.pruneOlderThan(config.commLog.retentionDays).then(
      (deleted) => deleted > 0 && log.info({ deleted }, 'communication log pruned'),
      (error: unknown) => log.error({ err: error }, 'communication log prune failed'),
    );
  void prune();
  const pruneTimer = setInterval(prune, PRUNE_INTERVAL_MS);
  pruneTimer.unref();

  const statusRepo = new GateStatusRepo(database.db);
  const gateStatus = new GateStatusHub();
  await gateStatus.load(statusRepo);
  bus.use(gateStatusExtension(statusRepo, gateStatus));
  const controlRoom = startControlRoom({
    db: database.db,
    bus,
    gateStatus,
    config,
    logger: log,
    passageHooks: [ticketPassageHook(new TicketsService(database.db)), ...(options.extraPassageHooks ?? [])],
  });

  const { username, clientId } = config.mqtt;
  let broker: EmbeddedBroker | undefined;
  let intake: BrokerIntake | undefined;
  let password = config.mqtt.password;
  let url: string;
  if (config.mqtt.broker.kind === 'embedded') {
    // Nobody else needs the cloud's password for its own broker, so an unset one is random per start.
    const cloudPassword = password ?? randomBytes(32).toString('base64url');
    password = cloudPassword;
    const access = new GateAccessService(database.db);
    if ((options.intake ?? 'broker') === 'broker') intake = brokerIntake(bus, log);
    broker = await startEmbeddedBroker({
      host: config.mqtt.broker.host,
      port: config.mqtt.broker.port,
      wsPort: config.mqtt.broker.wsPort,
      logger: log,
      onDenied: (attempt) => bus.reportDenied(attempt),
      ...(intake && { intake: intake.receive }),
      authenticate: async (login): Promise<MqttIdentity | undefined> => {
        if (login.username === undefined || login.password === undefined) return undefined;
        if (login.username === username) {
          const ok = login.clientId.startsWith('sg-cloud-') && sameSecret(login.password, cloudPassword);
          return ok ? { kind: 'cloud' } : undefined;
        }
        return access.authenticateGate(login.clientId, login.username, login.password);
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
  if (!intake) clientIntake(client, bus, log);
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
      client
        .subscribeAsync(Object.fromEntries(cloudSubscriptions().map((s) => [s.filter, { qos: s.qos }])))
        .then(
          () => {
            log.info({ url: redact(url), clientId }, 'mqtt client connected and subscribed');
            resolve();
          },
          (error: unknown) => log.error({ err: error }, 'mqtt subscribe failed'),
        );
    });
  });
  if (broker) await subscribed;
  else await Promise.race([subscribed, delay(options.externalConnectWaitMs ?? 5_000)]);

  const validation = validationExtension(new ValidationService(database.db), bus, log);
  bus.use(validation);
  const whitelist = new WhitelistDistributor(database.db, bus, log, {
    feedRetentionMs: config.whitelist.feedRetentionDays * 86_400_000,
    reservationRetentionMs: config.whitelist.reservationRetentionDays * 86_400_000,
  });
  bus.use(whitelistSyncExtension(database.db, whitelist));
  await whitelist.start();

  const gateConfig = new GateConfigPublisher(new GateConfigService(database.db), bus, log);
  // With an external broker still unreachable the first publishes wait in mqtt.js's queue: do not hold start-up.
  if (broker) await gateConfig.start();
  else void gateConfig.start();

  return {
    bus,
    metrics,
    gateStatus,
    commLog,
    controlRoom,
    gateConfig,
    whitelist,
    broker: broker ? { port: broker.port, wsPort: broker.wsPort } : undefined,
    disconnectGate: ({ siteId, gateId }) => {
      broker?.disconnect(
        (identity) => identity.kind === 'gate' && identity.siteId === siteId && identity.gateId === gateId,
      );
    },
    close: async () => {
      clearInterval(pruneTimer);
      intake?.stop();
      // Stop scheduling first, then end the client: a publish waiting for an unreachable broker fails on end
      // instead of holding the shutdown.
      const publishers = Promise.all([gateConfig.stop(), whitelist.stop()]);
      await endClient(client);
      await publishers;
      await bus.idle();
      await validation.idle();
      await controlRoom.close();
      await commLog.stop();
      await broker?.close();
    },
  };
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
