/**
 * A communication-log line for a message that was valid on the wire but refused by the extension handling it (a
 * replayed event, an ack for an unknown command). The bus has already logged the message itself as received, so
 * this line carries size 0 and the refusal reason; it goes to the comm log only, not to the message counters.
 */
import type { CommRecord, InboundMessage } from '../../mqtt/extensions/types.js';

export type OutcomeReporter = (record: CommRecord) => void;

export function refusalRecord(inbound: InboundMessage, reason: string, at: number = Date.now()): CommRecord {
  return {
    at,
    direction: 'in',
    siteId: inbound.siteId,
    gateId: inbound.gateId,
    topic: inbound.topic.slice(0, 256),
    channel: inbound.channel,
    messageType: inbound.message.type,
    size: 0,
    result: 'rejected',
    reason,
    latencyMs: null,
  };
}
