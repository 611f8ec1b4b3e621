/**
 * The cloud's side of the MQTT conversation, independent of which broker carries it: every payload the cloud client
 * receives goes through `receive` (topic parsed, payload decoded with the protocol's bounded decoder, body checked
 * against the topic), is — when valid — handed to the extensions that asked for its channel, and is recorded once
 * for the communication log and metrics after they finished (with an extension's refusal reason, if any). `receive`
 * resolves to whether the message may be acknowledged: false only when an extension failed (storage down), so the
 * runtime withholds the PUBACK and the broker delivers the message again. Everything the cloud sends goes through
 * `publish`, recorded the same way. Nothing a gate sends can make this throw.
 */
import {
  CHANNELS,
  type Channel,
  encodeMessage,
  type GateChannel,
  gateTopic,
  isProtocolError,
  type Message,
  type MessageInput,
  parseTopic,
  type SiteChannel,
  siteTopic,
  tryDecodeMessage,
} from '@scenic/protocol';
import type { Logger } from 'pino';
import type { DeniedAttempt } from './broker.js';
import type { CommRecord, ExtensionOutcome, InboundMessage, MqttExtension } from './extensions/types.js';

export interface Publisher {
  publish(topic: string, payload: Buffer, options: { qos: 0 | 1; retain: boolean }): Promise<void>;
}

export type PublishTarget =
  | { readonly siteId: string; readonly gateId: string; readonly channel: GateChannel }
  | { readonly siteId: string; readonly gateId?: undefined; readonly channel: SiteChannel };

interface Registered {
  readonly extension: MqttExtension;
  /** Tail of this extension's queue: messages reach each extension strictly in arrival order. */
  tail: Promise<void>;
  /** Messages a concurrent extension is working on. */
  readonly inFlight: Set<Promise<unknown>>;
}

export class MqttBus {
  private readonly extensions: Registered[] = [];
  private readonly recordListeners: ((record: CommRecord) => void)[] = [];
  private publisher: Publisher | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  use(extension: MqttExtension): void {
    this.extensions.push({ extension, tail: Promise.resolve(), inFlight: new Set() });
  }

  onRecord(listener: (record: CommRecord) => void): void {
    this.recordListeners.push(listener);
  }

  attach(publisher: Publisher): void {
    this.publisher = publisher;
  }

  /** Waits until every extension has finished the messages received so far (shutdown, tests). */
  async idle(): Promise<void> {
    await Promise.all(this.extensions.flatMap((r) => [r.tail, ...r.inFlight]));
  }

  /**
   * Handles one received payload; resolves true when it may be acknowledged (handled, refused or invalid — an
   * invalid payload never becomes valid by sending it again) and false when an extension failed on it.
   */
  async receive(topic: string, payload: Buffer, retained: boolean): Promise<boolean> {
    const { record, inbound } = this.examine(topic, payload, retained, this.now());
    if (!inbound) {
      this.record(record);
      return true;
    }
    const results = await Promise.all(this.dispatch(inbound));
    const refused = results.find((result) => result !== 'failed' && result !== undefined);
    const failed = results.includes('failed');
    // A message no extension could process gets its line when it is finally handled (or given up), not per attempt.
    if (refused) this.record({ ...record, result: 'rejected', reason: refused.refused });
    else if (!failed) this.record(record);
    return !failed;
  }

  /** Records a message the runtime stops redelivering after repeated extension failures. */
  reportGivenUp(topic: string, payload: Buffer): void {
    const { record } = this.examine(topic, payload, false, this.now());
    this.record({ ...record, result: 'rejected', reason: 'GIVEN_UP' });
  }

  /** Parses, decodes and checks one received payload: its log record, and the message when it is valid. */
  private examine(
    topic: string,
    payload: Buffer,
    retained: boolean,
    receivedAt: number,
  ): { record: CommRecord; inbound?: InboundMessage } {
    const base = {
      at: receivedAt,
      direction: 'in' as const,
      topic: topic.slice(0, 256),
      size: payload.length,
    };
    const rejected = (reason: string, rest: Partial<CommRecord> = {}) => ({
      record: { ...base, ...NO_ROUTE, latencyMs: null, ...rest, result: 'rejected' as const, reason },
    });
    let parsed: ReturnType<typeof parseTopic>;
    try {
      parsed = parseTopic(topic);
    } catch {
      return rejected('BAD_TOPIC');
    }
    const where = { siteId: parsed.siteId, gateId: parsed.gateId ?? null, channel: parsed.channel };
    if (parsed.gateId === undefined || CHANNELS[parsed.channel].from !== 'gate') {
      // The cloud only subscribes to gate → cloud channels; anything else is a broker or ACL misconfiguration.
      return rejected('BAD_TOPIC', where);
    }
    if (payload.length === 0 && CHANNELS[parsed.channel].retained) {
      // An empty retained payload clears the retained message (a decommissioned gate); it is not a message.
      return {
        record: { ...base, ...where, messageType: null, result: 'ok', reason: null, latencyMs: null },
      };
    }
    const decoded = tryDecodeMessage(parsed.channel, payload);
    if (!decoded.ok) {
      const details = decoded.error.details as { type?: unknown } | undefined;
      const messageType = typeof details?.type === 'string' ? details.type.slice(0, 64) : null;
      return rejected(decoded.error.code, { ...where, messageType });
    }
    const message = decoded.message as Message;
    const latencyMs = 'at' in message && typeof message.at === 'number' ? receivedAt - message.at : null;
    if ('gateId' in message && message.gateId !== parsed.gateId) {
      return rejected('GATE_MISMATCH', { ...where, messageType: message.type, latencyMs });
    }
    // Every valid message passes here: one literal, no spreads.
    return {
      record: {
        at: receivedAt,
        direction: 'in',
        topic: base.topic,
        size: base.size,
        siteId: parsed.siteId,
        gateId: parsed.gateId,
        channel: parsed.channel,
        messageType: message.type,
        result: 'ok',
        reason: null,
        latencyMs,
      },
      inbound: {
        siteId: parsed.siteId,
        gateId: parsed.gateId,
        channel: parsed.channel,
        topic,
        message,
        receivedAt,
        retained,
      },
    };
  }

  /** The embedded broker refused something a gate tried; it never reached the cloud client, so record it here. */
  reportDenied(attempt: DeniedAttempt): void {
    const { identity } = attempt;
    let channel: string | null = null;
    try {
      channel = parseTopic(attempt.topic).channel;
    } catch {
      // Not a protocol topic at all: the log keeps the raw topic.
    }
    this.record({
      at: this.now(),
      direction: 'in',
      siteId: identity.kind === 'gate' ? identity.siteId : null,
      gateId: identity.kind === 'gate' ? identity.gateId : null,
      topic: attempt.topic.slice(0, 256),
      channel,
      messageType: attempt.action === 'subscribe' ? 'subscribe' : null,
      size: attempt.size,
      result: 'rejected',
      reason: 'ACL_DENIED',
      latencyMs: null,
    });
  }

  /**
   * A gate's message refused for its message budget (admission.ts) before any work was done on it: recorded with
   * the gate it came from and its channel, unread (no message type, no latency).
   */
  reportOverBudget(gate: { siteId: string; gateId: string }, topic: string, size: number): void {
    let channel: string | null = null;
    try {
      channel = parseTopic(topic).channel;
    } catch {
      // Not a protocol topic: the log keeps the raw topic.
    }
    this.record({
      at: this.now(),
      direction: 'in',
      siteId: gate.siteId,
      gateId: gate.gateId,
      topic: topic.slice(0, 256),
      channel,
      messageType: null,
      size,
      result: 'rejected',
      reason: 'OVER_BUDGET',
      latencyMs: null,
    });
  }

  /** Encodes, checks and publishes a cloud → gate message with its channel's QoS and retain flag. */
  async publish(target: PublishTarget, message: MessageInput): Promise<void> {
    const channel: Channel = target.channel;
    const topic =
      target.gateId === undefined
        ? siteTopic(target.siteId, target.channel)
        : gateTopic(target.siteId, target.gateId, target.channel);
    const base = {
      at: this.now(),
      direction: 'out' as const,
      siteId: target.siteId,
      gateId: target.gateId ?? null,
      topic,
      channel,
      messageType: typeof message.type === 'string' ? message.type.slice(0, 64) : null,
      latencyMs: null,
    };
    let payload: Buffer;
    try {
      payload = encodeMessage(message, channel);
    } catch (error) {
      const reason = isProtocolError(error) ? error.code : 'BAD_MESSAGE';
      this.record({ ...base, size: 0, result: 'rejected', reason });
      throw error;
    }
    const spec = CHANNELS[channel];
    await this.send(topic, payload, { qos: spec.qos, retain: spec.retained }, base);
  }

  /**
   * Clears a gate's retained message on one of its retained channels (e.g. the config of a removed gate): an empty
   * retained payload, which is not a protocol message, so `publish` cannot send it. Recorded like any outbound
   * message, with no message type.
   */
  async clearRetained(target: Extract<PublishTarget, { gateId: string }>): Promise<void> {
    const spec = CHANNELS[target.channel];
    if (!spec.retained) throw new TypeError(`${target.channel} is not a retained channel`);
    const topic = gateTopic(target.siteId, target.gateId, target.channel);
    await this.send(
      topic,
      Buffer.alloc(0),
      { qos: spec.qos, retain: true },
      {
        at: this.now(),
        direction: 'out',
        siteId: target.siteId,
        gateId: target.gateId,
        topic,
        channel: target.channel,
        messageType: null,
        latencyMs: null,
      },
    );
  }

  /** Publishes and records the outcome: one comm-log line, `PUBLISH_FAILED` when the client could not send. */
  private async send(
    topic: string,
    payload: Buffer,
    options: { qos: 0 | 1; retain: boolean },
    base: Omit<CommRecord, 'size' | 'result' | 'reason'>,
  ): Promise<void> {
    try {
      if (!this.publisher) throw new Error('MQTT client not attached');
      await this.publisher.publish(topic, payload, options);
    } catch (error) {
      this.record({ ...base, size: payload.length, result: 'rejected', reason: 'PUBLISH_FAILED' });
      throw error;
    }
    this.record({ ...base, size: payload.length, result: 'ok', reason: null });
  }

  private record(record: CommRecord): void {
    for (const listener of this.recordListeners) {
      try {
        listener(record);
      } catch (error) {
        this.logger.error({ err: error }, 'mqtt record listener failed');
      }
    }
  }

  /** Queues the message on every extension that takes its channel; each promise settles when that one is done. */
  private dispatch(inbound: InboundMessage): Promise<ExtensionOutcome | undefined | 'failed'>[] {
    const results: Promise<ExtensionOutcome | undefined | 'failed'>[] = [];
    for (const registered of this.extensions) {
      if (!registered.extension.channels.includes(inbound.channel)) continue;
      const handle = async () => {
        try {
          return (await registered.extension.handle(inbound)) ?? undefined;
        } catch (error) {
          this.logger.error(
            { err: error, extension: registered.extension.name, topic: inbound.topic },
            'mqtt extension failed on a message',
          );
          return 'failed' as const;
        }
      };
      if (registered.extension.concurrent) {
        // Called now, in arrival order; the extension keeps that order itself (e.g. by batching).
        const result = handle();
        registered.inFlight.add(result);
        void result.then(() => registered.inFlight.delete(result));
        results.push(result);
        continue;
      }
      const result = registered.tail.then(handle);
      registered.tail = result.then(() => undefined);
      results.push(result);
    }
    return results;
  }
}

const NO_ROUTE = { siteId: null, gateId: null, channel: null, messageType: null } as const;
