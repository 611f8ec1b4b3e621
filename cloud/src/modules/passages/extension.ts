/**
 * The passages extension: `event/passage` and `event/denial` messages go through the exactly-once ingestion; applied
 * events push their occupancy changes and alerts to the console and count in the metrics; a replay or an event
 * from a gate that is not registered under its topic's site changes nothing and its comm-log line carries the
 * reason (`DUPLICATE_EVENT`, `UNKNOWN_GATE`). When the event cannot be stored the extension throws: the cloud then
 * does not acknowledge it, and it is delivered again. The extension is concurrent: events that arrive while a
 * transaction runs are stored together in the next one (passages/service.ts).
 */
import type { Logger } from 'pino';
import type { MqttExtension } from '../../mqtt/extensions/types.js';
import type { ControlRoomMetrics } from '../metrics/control-room-metrics.js';
import type { OccupancyHub } from '../occupancy/hub.js';
import type { PassageIngestion } from './service.js';

export function passagesExtension(deps: {
  readonly ingestion: PassageIngestion;
  readonly occupancy: OccupancyHub;
  readonly metrics: ControlRoomMetrics;
  readonly logger: Logger;
}): MqttExtension {
  const { ingestion, occupancy, metrics, logger } = deps;
  return {
    name: 'passages',
    channels: ['event/passage', 'event/denial'],
    // The ingestion batches concurrent events into shared transactions, in arrival order.
    concurrent: true,
    async handle(inbound) {
      const message = inbound.message;
      if (message.type !== 'passage' && message.type !== 'denial') return;
      let outcome: Awaited<ReturnType<PassageIngestion['ingest']>>;
      try {
        outcome = await ingestion.ingest({ ...inbound, message });
      } catch (error) {
        // Not acknowledged: the gate keeps it in its outbox until the broker's redelivery is stored.
        metrics.event(message.type, 'failed');
        logger.error({ err: error, eventId: message.eventId }, 'passage event could not be stored');
        throw error;
      }
      metrics.event(message.type, outcome.status);
      if (outcome.status === 'duplicate') return { refused: 'DUPLICATE_EVENT' };
      if (outcome.status === 'unknown_gate') return { refused: 'UNKNOWN_GATE' };
      const { event } = outcome;
      metrics.scan(
        event.site_id,
        event.kind === 'passage'
          ? { admitted: true, direction: event.direction, persons: event.persons }
          : { admitted: false, reason: event.reason ?? 'UNKNOWN' },
      );
      occupancy.publish(outcome.figures, outcome.alerts);
      return undefined;
    },
  };
}
