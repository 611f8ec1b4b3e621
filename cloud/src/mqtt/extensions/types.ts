/**
 * The extension model (after Zigbee2MQTT's lib/extension): each concern — live status, the communication log, later
 * commands, whitelist sync, passages, online validation — is one extension that names the gate → cloud channels it
 * wants and receives those messages already decoded and checked. Extensions never see raw or invalid payloads.
 */
import type { GateChannel, Message } from '@scenic/protocol';

export interface InboundMessage {
  readonly siteId: string;
  readonly gateId: string;
  readonly channel: GateChannel;
  readonly topic: string;
  readonly message: Message;
  /** Cloud clock, epoch ms, when the cloud received it. */
  readonly receivedAt: number;
  /** Delivered from the broker's retained store (e.g. a state published before the cloud subscribed). */
  readonly retained: boolean;
}

/**
 * What an extension may say about a valid message it did not apply (a replayed event, an ack for an unknown command):
 * the message's one communication-log line then carries `result: 'rejected'` and this reason.
 */
export interface ExtensionOutcome {
  readonly refused: string;
}

export interface MqttExtension {
  readonly name: string;
  readonly channels: readonly GateChannel[];
  /**
   * false (default): `handle` gets the next message only after the previous call settled. true: `handle` is called
   * for each message as it arrives (still in arrival order) while earlier calls may be running — for an extension
   * that groups messages, e.g. several passage events per transaction, and keeps their order itself.
   */
  readonly concurrent?: boolean;
  /**
   * Called in arrival order, one message at a time per extension unless `concurrent`. Throwing means "not processed, try again": the
   * cloud does not acknowledge a QoS 1 message until every extension has returned, so the broker delivers it again
   * (storage down). A throw is logged and the next message goes on.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: extensions with nothing to say are plain `async` functions.
  handle(message: InboundMessage): void | ExtensionOutcome | Promise<void | ExtensionOutcome>;
}

/**
 * One line of the communication log (终端通信明细): every message to or from a gate, decoded or not. `reason` is a
 * protocol error code (BAD_TOPIC, TOO_LARGE, BAD_JSON, BAD_MESSAGE, UNKNOWN_MESSAGE_TYPE) or one of the bus's own
 * (GATE_MISMATCH, ACL_DENIED, PUBLISH_FAILED, OVER_BUDGET); null when the result is ok.
 */
export interface CommRecord {
  readonly at: number;
  readonly direction: 'in' | 'out';
  readonly siteId: string | null;
  readonly gateId: string | null;
  readonly topic: string;
  readonly channel: string | null;
  readonly messageType: string | null;
  readonly size: number;
  readonly result: 'ok' | 'rejected';
  readonly reason: string | null;
  /** For inbound messages that carry their own `at`: receive time minus that (includes any gate outbox wait). */
  readonly latencyMs: number | null;
}
