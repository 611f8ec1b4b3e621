/**
 * The command-ack extension: `cmd/ack` messages settle the gate's result of the command. An ack for a command or
 * gate the cloud never issued, or a repeated ack (the gate answers a redelivered command again), changes nothing and
 * its comm-log line carries the reason (`UNKNOWN_COMMAND`, `DUPLICATE_ACK`). An ack that cannot be stored is not
 * acknowledged to the broker, which delivers it again. Acks are handed over as they arrive (`concurrent`): the
 * dispatcher settles those that arrive together in one transaction, in arrival order.
 */
import type { Logger } from 'pino';
import type { MqttExtension } from '../../mqtt/extensions/types.js';
import type { CommandDispatcher } from './dispatcher.js';

export function commandAckExtension(dispatcher: CommandDispatcher, logger: Logger): MqttExtension {
  return {
    name: 'command-acks',
    channels: ['cmd/ack'],
    concurrent: true,
    async handle(inbound) {
      if (inbound.message.type !== 'command_ack') return undefined;
      try {
        const outcome = await dispatcher.applyAck(inbound.message, inbound.receivedAt);
        if (outcome === 'unknown') return { refused: 'UNKNOWN_COMMAND' };
        if (outcome === 'duplicate') return { refused: 'DUPLICATE_ACK' };
        return undefined;
      } catch (error) {
        logger.error({ err: error, commandId: inbound.message.commandId }, 'command ack could not be stored');
        throw error;
      }
    },
  };
}
