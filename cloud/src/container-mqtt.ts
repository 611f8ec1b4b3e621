/**
 * The composition root's MQTT half: the bus with every module's extension on it, the communication log writer and its
 * prune, gate status, the control room (passage ingestion, commands with ack tracking, occupancy push, metrics), the
 * whitelist distributor and the config publisher — all over services built once by container.ts — and then the
 * transport (mqtt/runtime.ts: the embedded broker or an external one, and the cloud's client). Every extension is on
 * the bus before the first message can arrive.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { ClusterNotifications } from './db/notifications.js';
import type { Database } from './db/schema.js';
import { CommLogWriter } from './modules/comm-log/writer.js';
import { CommandDispatcher } from './modules/commands/dispatcher.js';
import { commandAckExtension } from './modules/commands/extension.js';
import { GateConfigPublisher } from './modules/gate-config/publisher.js';
import { gateStatusExtension } from './modules/gate-status/extension.js';
import { GateStatusHub } from './modules/gate-status/hub.js';
import { validationExtension } from './modules/gate-validation/extension.js';
import { ControlRoomMetrics } from './modules/metrics/control-room-metrics.js';
import { OccupancyHub } from './modules/occupancy/hub.js';
import { passagesExtension } from './modules/passages/extension.js';
import type { CloudMqtt, CloudServices } from './modules/services.js';
import { WhitelistDistributor } from './modules/whitelist-sync/distributor.js';
import { whitelistSyncExtension } from './modules/whitelist-sync/extension.js';
import { MqttBus } from './mqtt/bus.js';
import { MqttMetrics } from './mqtt/metrics.js';
import { connectMqtt } from './mqtt/runtime.js';

export interface MqttSideOptions {
  /** Comm-log flush interval (tests use a short one). */
  readonly commLogFlushMs?: number;
  /** How long to wait for an external broker before start-up continues without it. */
  readonly externalConnectWaitMs?: number;
  /**
   * With the embedded broker, where gate → cloud messages enter (mqtt/intake.ts): 'broker' (default) hands them to
   * the bus inside the broker; 'client' subscribes the cloud's client to them, as with an external broker.
   */
  readonly intake?: 'broker' | 'client';
}

const PRUNE_INTERVAL_MS = 3_600_000;

export async function startMqttSide(
  options: MqttSideOptions & {
    readonly config: Config;
    readonly db: Kysely<Database>;
    readonly logger: Logger;
    readonly services: CloudServices;
    /** Whether this instance runs the periodic jobs (db/leadership.ts): the prunes here run on the leader only. */
    readonly leads: () => boolean;
    /** Live changes to and from the other instances (db/notifications.ts): occupancy figures and alerts. */
    readonly notifications?: ClusterNotifications;
  },
): Promise<CloudMqtt> {
  const { config, db, services } = options;
  const log = options.logger.child({ component: 'mqtt' });
  const bus = new MqttBus(log);
  const metrics = new MqttMetrics();
  bus.onRecord((record) => metrics.observe(record));

  const commLog = new CommLogWriter(services.commLog.repo, log, { flushIntervalMs: options.commLogFlushMs });
  bus.onRecord((record) => commLog.add(record));
  commLog.start();
  const prune = () =>
    options.leads() &&
    services.commLog.pruneOlderThan(config.commLog.retentionDays).then(
      (deleted) => deleted > 0 && log.info({ deleted }, 'communication log pruned'),
      (error: unknown) => log.error({ err: error }, 'communication log prune failed'),
    );
  void prune();
  const pruneTimer = setInterval(prune, PRUNE_INTERVAL_MS);
  pruneTimer.unref();

  const gateStatus = new GateStatusHub();
  await gateStatus.load(services.gateStatus.repo);
  bus.use(gateStatusExtension(services.gateStatus.repo, gateStatus));

  // The control room: passages (with occupancy and the tickets' passage hook, inside one transaction) and commands.
  const controlRoom = {
    metrics: new ControlRoomMetrics(),
    occupancy: new OccupancyHub(options.notifications),
  };
  bus.use(passagesExtension({ ingestion: services.passages, ...controlRoom, logger: log }));
  const commands = new CommandDispatcher({
    db: db,
    bus,
    status: gateStatus,
    metrics: controlRoom.metrics,
    logger: log,
  });
  bus.use(commandAckExtension(commands, log));
  commands.start();

  const validation = validationExtension(services.gateValidation, bus, log);
  bus.use(validation);
  const whitelist = new WhitelistDistributor(db, services.tickets, services.gateValidation, bus, log, {
    feedRetentionMs: config.whitelist.feedRetentionDays * 86_400_000,
    reservationRetentionMs: config.whitelist.reservationRetentionDays * 86_400_000,
    leads: options.leads,
  });
  bus.use(
    whitelistSyncExtension(db, whitelist, {
      shared: config.mqtt.shareGroup !== undefined,
      leads: options.leads,
    }),
  );
  const gateConfig = new GateConfigPublisher(services.gateConfig, bus, log);

  const transport = await connectMqtt({
    config,
    bus,
    logger: log,
    authenticateGate: (clientId, username, password) =>
      services.gateAccess.authenticateGate(clientId, username, password),
    externalConnectWaitMs: options.externalConnectWaitMs,
    intake: options.intake,
    // A dead instance's queued shared messages are taken over by the leader (mqtt/share-members.ts).
    ...(options.notifications && { members: { notifications: options.notifications, leads: options.leads } }),
    // A gate flooding the cloud: counted, and on its tile in the control room until its back-off ends.
    onGateFlood: (flood) => {
      metrics.flooded();
      gateStatus.flooded(flood);
    },
  });
  // The first signing key (made at the first credential signed) goes to the gates at once, in their config.
  services.keys.onFirstKey(() => void gateConfig.refresh());
  await whitelist.start();
  // With an external broker still unreachable the first publishes wait in mqtt.js's queue: do not hold start-up.
  if (transport.broker) await gateConfig.start();
  else void gateConfig.start();

  return {
    bus,
    metrics,
    gateStatus,
    commLog,
    controlRoom: { ...controlRoom, commands },
    gateConfig,
    whitelist,
    broker: transport.broker,
    disconnectGate: (gate) => transport.disconnectGate(gate),
    close: async () => {
      clearInterval(pruneTimer);
      // Stop scheduling first, then end the client: a publish waiting for an unreachable broker fails on end
      // instead of holding the shutdown.
      const publishers = Promise.all([gateConfig.stop(), whitelist.stop()]);
      await transport.close(async () => {
        await publishers;
        await bus.idle();
        await validation.idle();
        await commands.stop();
        await commLog.stop();
      });
    },
  };
}
