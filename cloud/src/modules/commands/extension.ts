/**
 * The command-ack extension: `cmd/ack` messages settle the gate's result of the command. An ack for a command or
 * gate the cloud never issued, or a repeated ack (the gate answers a redelivered command again), changes nothing and
 * leaves a comm-log line with the reason (`UNKNOWN_COMMAND`, `DUPLICATE_ACK`).
 */
import type { Logger } from 'pino';
import type { MqttExtension } from '../../mqtt/extensions/types.js';
import { type OutcomeReporter, refusalRecord } from '../passages/outcome.js';
import type { CommandDispatcher } from './dispatcher.js';

export function commandAckExtension(
  dispatcher: CommandDispatcher,
  report: OutcomeReporter,
  logger: Logger,
): MqttExtension {
  return {
    name: 'command-acks',
    channels: ['cmd/ack'],
    async handle(inbound) {
      if (inbound.message.type !== 'command_ack') return;
      try {
        const outcome = await dispatcher.applyAck(inbound.message, inbound.receivedAt);
        if (outcome === 'unknown') report(refusalRecord(inbound, 'UNKNOWN_COMMAND'));
        else if (outcome === 'duplicate') report(refusalRecord(inbound, 'DUPLICATE_ACK'));
      } catch (error) {
        logger.error({ err: error, commandId: inbound.message.commandId }, 'command ack could not be stored');
        report(refusalRecord(inbound, 'STORE_FAILED'));
      }
    },
  };
}
