/**
 * The control room's MQTT side, assembled once by mqtt/runtime.ts: passage ingestion (with the occupancy counters
 * and any passage hooks — e.g. the tickets module consuming entries — run inside its transaction), command dispatch
 * with ack tracking, the occupancy push hub and the counters behind /metrics.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import type { Database } from '../../db/schema.js';
import type { MqttBus } from '../../mqtt/bus.js';
import { CommandDispatcher } from '../commands/dispatcher.js';
import { commandAckExtension } from '../commands/extension.js';
import type { GateStatusHub } from '../gate-status/hub.js';
import { OccupancyHub } from '../occupancy/hub.js';
import { OccupancyService } from '../occupancy/service.js';
import { passagesExtension } from '../passages/extension.js';
import { type PassageHook, PassageIngestion } from '../passages/service.js';
import { ControlRoomMetrics } from './control-room-metrics.js';

export interface ControlRoom {
  readonly commands: CommandDispatcher;
  readonly occupancy: OccupancyHub;
  readonly metrics: ControlRoomMetrics;
  close(): Promise<void>;
}

export function startControlRoom(deps: {
  readonly db: Kysely<Database>;
  readonly bus: MqttBus;
  readonly gateStatus: GateStatusHub;
  readonly config: Config;
  readonly logger: Logger;
  readonly passageHooks: readonly PassageHook[];
}): ControlRoom {
  const { db, bus, logger } = deps;
  const metrics = new ControlRoomMetrics();
  const occupancy = new OccupancyHub();
  const ingestion = new PassageIngestion(
    db,
    new OccupancyService(db, deps.config.occupancy, logger),
    deps.passageHooks,
  );
  bus.use(passagesExtension({ ingestion, occupancy, metrics, logger }));
  const commands = new CommandDispatcher({ db, bus, status: deps.gateStatus, metrics, logger });
  bus.use(commandAckExtension(commands, logger));
  commands.start();
  return { commands, occupancy, metrics, close: () => commands.stop() };
}
