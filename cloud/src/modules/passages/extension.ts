/**
 * The passages extension: `event/passage` and `event/denial` messages go through the exactly-once ingestion; applied
 * events push their occupancy changes and alerts to the console and count in the metrics; a replay or an event
 * from a gate that is not registered under its topic's site changes nothing and leaves a comm-log line with the
 * reason (`DUPLICATE_EVENT`, `UNKNOWN_GATE`).
 */
import type { Logger } from 'pino';
import type { MqttExtension } from '../../mqtt/extensions/types.js';
import type { ControlRoomMetrics } from '../metrics/control-room-metrics.js';
import type { OccupancyHub } from '../occupancy/hub.js';
import { type OutcomeReporter, refusalRecord } from './outcome.js';
import type { PassageIngestion } from './service.js';

export function passagesExtension(deps: {
  readonly ingestion: PassageIngestion;
  readonly occupancy: OccupancyHub;
  readonly metrics: ControlRoomMetrics;
  readonly report: OutcomeReporter;
  readonly logger: Logger;
}): MqttExtension {
  const { ingestion, occupancy, metrics, report, logger } = deps;
  return {
    name: 'passages',
    channels: ['event/passage', 'event/denial'],
    async handle(inbound) {
      const message = inbound.message;
      if (message.type !== 'passage' && message.type !== 'denial') return;
      let outcome: Awaited<ReturnType<PassageIngestion['ingest']>>;
      try {
        outcome = await ingestion.ingest({ ...inbound, message });
      } catch (error) {
        // The cloud's client acknowledged the PUBLISH on receipt, so the gate has dropped it from its outbox: the
        // event is lost unless the gate sends it again. Logged loudly (database down is the only expected cause).
        metrics.event(message.type, 'failed');
        logger.error({ err: error, eventId: message.eventId }, 'passage event could not be stored');
        report(refusalRecord(inbound, 'STORE_FAILED'));
        return;
      }
      metrics.event(message.type, outcome.status);
      if (outcome.status === 'duplicate') report(refusalRecord(inbound, 'DUPLICATE_EVENT'));
      else if (outcome.status === 'unknown_gate') report(refusalRecord(inbound, 'UNKNOWN_GATE'));
      else {
        const { event } = outcome;
        metrics.scan(
          event.site_id,
          event.kind === 'passage'
            ? { admitted: true, direction: event.direction, persons: event.persons }
            : { admitted: false, reason: event.reason ?? 'UNKNOWN' },
        );
        occupancy.publish(outcome.figures, outcome.alerts);
      }
    },
  };
}
