import { randomUUID } from 'node:crypto';
import {
  type Channel,
  decodeMessage,
  encodeMessage,
  type GateChannel,
  type GateState,
  gateSubscriptions,
  gateTopic,
  isProtocolError,
  MAX_DEGRADED,
  type Message,
  type MessageInput,
  parseTopic,
  type SyncReason,
} from '@scenic/protocol';
import mqtt, { type MqttClient } from 'mqtt';
import type { Log } from '../core/ports.js';
import { crashPoint } from '../crash-points.js';
import { CommandHandler } from './command-handler.js';
import { OnlineValidation } from './online-validation.js';
import type { LinkCore, LinkStore } from './ports.js';
import { WhitelistSync } from './whitelist-sync.js';

export interface GateLinkOptions {
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  readonly siteId: string;
  readonly gateId: string;
  readonly firmware: string;
  readonly store: LinkStore;
  readonly core: LinkCore;
  readonly log: Log;
  readonly now?: () => number;
  /** First reconnect delay; doubles per failed attempt up to maxReconnectMs. Default 1,000. */
  readonly reconnectMs?: number;
  readonly maxReconnectMs?: number;
  /** Give up one connection attempt after this long (the next one follows the reconnect delay). Default 10,000. */
  readonly connectTimeoutMs?: number;
  readonly snapshotTimeoutMs?: number;
  /** Heartbeat period instead of the config's heartbeatSec (simulated fleets, tests). */
  readonly heartbeatMs?: number;
  /**
   * Start the heartbeat period at a random point instead of at (re)connection: hundreds of simulated gates that
   * connect within seconds would otherwise beat in bursts, each beat a status write in the cloud.
   */
  readonly spreadHeartbeats?: boolean;
  /**
   * Decodes an incoming payload (default: the protocol codec). A fleet of simulated gates in one process passes a
   * decoder that shares the decoded site-wide messages, which every gate of the site receives with the same bytes.
   */
  readonly decode?: (channel: Channel, payload: Buffer, topic: string) => Message;
  /** Called after an acknowledged reboot command. */
  readonly onReboot?: () => void;
  /** Called on every (re)connection to the broker, once this gate has subscribed and announced itself. */
  readonly onConnect?: () => void;
  /** Called when the connection reports an error (a refused login, an unreachable broker); the link keeps retrying. */
  readonly onConnectionError?: (error: Error) => void;
}

/**
 * The degraded devices as the optional message field: left out while nothing is degraded, so a healthy gate's
 * messages stay exactly what a cloud on the previous protocol accepts; cut to the protocol's bound.
 */
function degradedField(degraded: readonly string[]): { degraded?: string[] } {
  return degraded.length === 0 ? {} : { degraded: degraded.slice(0, MAX_DEGRADED) };
}

/** Outbox entries handed to the client at once; their PUBACKs free room for the next. */
const DRAIN_WINDOW = 64;

/**
 * The gate's MQTT side (protocol/README.md §4): availability with a retained state and last will, config and
 * whitelist in, commands in and acks out, events drained from the durable outbox, online validation. Every
 * incoming payload is decoded with the protocol codec; anything that fails is logged and dropped.
 */
export class GateLink {
  readonly #o: GateLinkOptions;
  readonly #now: () => number;
  readonly #sync: WhitelistSync;
  readonly #commands: CommandHandler;
  readonly validator: OnlineValidation;
  readonly #startedAt: number;
  #client: MqttClient | null = null;
  #statePending = false;
  #heartbeat: NodeJS.Timeout | undefined;
  /** Serialises message handling so deltas, commands and config apply in arrival order. */
  #inbox: Promise<void> = Promise.resolve();
  /** Highest outbox seq handed to the client in this process; the client itself resends those after a reconnect. */
  #queuedSeq = 0;
  readonly #inFlight = new Set<number>();
  #draining = false;

  constructor(options: GateLinkOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.#startedAt = this.#now();
    this.#sync = new WhitelistSync({
      whitelist: options.store.whitelist,
      request: (reason, full) => this.requestSync(reason, full),
      log: options.log,
      now: this.#now,
      ...(options.snapshotTimeoutMs === undefined ? {} : { snapshotTimeoutMs: options.snapshotTimeoutMs }),
    });
    this.#commands = new CommandHandler({
      gateId: options.gateId,
      core: options.core,
      commands: options.store.commands,
      log: options.log,
      now: this.#now,
      requestSync: (reason, full) => this.requestSync(reason, full),
      onReboot: options.onReboot ?? (() => {}),
    });
    this.validator = new OnlineValidation(
      options.gateId,
      (request) => this.#publish('validate/req', request),
      this.#now,
    );
  }

  get connected(): boolean {
    return this.#client?.connected ?? false;
  }

  /** Connects (and keeps reconnecting); resolves at once — the gate works offline meanwhile. */
  start(): void {
    const { siteId, gateId, url } = this.#o;
    const base = this.#o.reconnectMs ?? 1_000;
    const max = this.#o.maxReconnectMs ?? 30_000;
    const client = mqtt.connect(url, {
      clientId: `sg-${siteId}-${gateId}`,
      clean: false,
      keepalive: 30,
      protocolVersion: 4,
      reconnectPeriod: base,
      // mqtt.js stops reconnecting after a refused login unless told otherwise; a gate keeps trying (with its
      // back-off): a cloud cutting off a flooding gate refuses it only for a while, and a login refused after a
      // password rotation works again once the gate's config or the broker's password file is updated.
      reconnectOnConnackError: true,
      connectTimeout: this.#o.connectTimeoutMs ?? 10_000,
      ...(this.#o.username === undefined ? {} : { username: this.#o.username }),
      ...(this.#o.password === undefined ? {} : { password: this.#o.password }),
      will: { topic: this.#topic('state'), payload: this.#stateBytes(false), qos: 1, retain: true },
    });
    this.#client = client;
    client.on('connect', () => {
      client.options.reconnectPeriod = base;
      // An online-validation request is a small write that a visitor waits on: Nagle would hold it behind the
      // gate's own unacknowledged PUBACK or heartbeat until the broker's delayed ACK (up to 40 ms on Linux).
      (client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
      this.#onConnect();
    });
    client.on('reconnect', () => {
      // Back off: mqtt.js reads the period again when it arms the next attempt.
      client.options.reconnectPeriod = Math.min(max, (client.options.reconnectPeriod ?? base) * 2);
      // The will registered on the next CONNECT carries the state of that moment.
      if (client.options.will) client.options.will.payload = this.#stateBytes(false);
    });
    client.on('close', () => {
      this.#o.log.debug({}, 'broker connection closed');
    });
    client.on('error', (err) => {
      this.#o.log.warn({ err: err.message }, 'broker connection error');
      this.#o.onConnectionError?.(err);
    });
    client.on('message', (topic, payload) => this.#onMessage(topic, payload));
    this.#o.core.on('state', this.#onState);
    this.#o.core.on('event', this.#onEvent);
  }

  /** Publishes the offline state (clean shutdown, so no will), waits for the broker, and disconnects. */
  async stop(): Promise<void> {
    clearInterval(this.#heartbeat);
    this.#sync.stop();
    this.#o.core.off('state', this.#onState);
    this.#o.core.off('event', this.#onEvent);
    const client = this.#client;
    if (!client) return;
    this.#client = null;
    await this.#inbox;
    if (client.connected) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        client.publishAsync(this.#topic('state'), this.#stateBytes(false, this.#now()), {
          qos: 1,
          retain: true,
        }),
        new Promise((resolve) => {
          timer = setTimeout(resolve, 2_000);
        }),
      ])
        .catch(() => {})
        // A fleet stops hundreds of links at once: none leaves a timer behind.
        .finally(() => clearTimeout(timer));
    }
    // Without a connection a graceful end would wait for acks that cannot come; the outbox keeps those events.
    await client.endAsync(!client.connected);
  }

  /** Waits (up to timeoutMs) until the outbox is empty, e.g. before a clean shutdown; false when it was not. */
  async flush(timeoutMs: number): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    this.drain();
    while (this.#o.store.outbox.depth() > 0) {
      if (!this.connected || Date.now() >= until) return false;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return true;
  }

  /** Asks the cloud for the whitelist after the local version (a snapshot when `full`). */
  requestSync(reason: SyncReason, full: boolean): void {
    this.#sync.requested();
    this.#publish('whitelist/req', {
      type: 'sync_request',
      v: 1,
      requestId: `sr-${randomUUID()}`,
      gateId: this.#o.gateId,
      haveVersion: this.#o.store.whitelist.version(),
      full,
      reason,
      at: this.#now(),
    });
  }

  /** Publishes every outbox event not yet handed to the client, oldest first. */
  drain(): void {
    const client = this.#client;
    if (this.#draining || !client?.connected) return;
    this.#draining = true;
    try {
      while (this.#inFlight.size < DRAIN_WINDOW) {
        const batch = this.#o.store.outbox.pendingAfter(this.#queuedSeq, DRAIN_WINDOW - this.#inFlight.size);
        if (batch.length === 0) break;
        for (const entry of batch) {
          this.#queuedSeq = entry.seq;
          this.#inFlight.add(entry.seq);
          client.publish(this.#topic(entry.channel), entry.payload, { qos: 1 }, (err) => {
            this.#inFlight.delete(entry.seq);
            if (err) {
              // The client gave the message up (it was ended): hand everything unacknowledged over again.
              this.#queuedSeq = 0;
              return;
            }
            crashPoint('before-mark-sent');
            this.#o.store.outbox.markSent(entry.seq);
            this.drain();
          });
          crashPoint('after-send');
        }
      }
    } finally {
      this.#draining = false;
    }
  }

  /**
   * A change of mode or config is published on the next turn, once however many changes that turn made: a command's
   * ack (published as soon as the command ran) goes out before the state it caused, so the control room's answer to
   * an emergency open never waits behind telemetry, and a config that also changes the mode makes one message.
   */
  readonly #onState = () => {
    if (this.#statePending) return;
    this.#statePending = true;
    setImmediate(() => {
      this.#statePending = false;
      this.#publishState();
    });
  };

  readonly #onEvent = () => {
    this.drain();
  };

  #onConnect(): void {
    const client = this.#client;
    if (!client) return;
    const { siteId, gateId, log } = this.#o;
    log.info({}, 'connected to broker');
    client.subscribe(
      gateSubscriptions(siteId, gateId).map((s) => s.filter),
      { qos: 1 },
      (err) => {
        if (err) log.error({ err: err.message }, 'subscribe failed');
      },
    );
    this.#publishState();
    this.requestSync('boot', false);
    // Anything handed to the client before is either acked or resent by it; new entries go out from here.
    if (this.#inFlight.size === 0) this.#queuedSeq = 0;
    this.drain();
    this.#armHeartbeat();
    this.#o.onConnect?.();
  }

  #armHeartbeat(): void {
    clearInterval(this.#heartbeat);
    const ms = this.#o.heartbeatMs ?? (this.#o.core.config?.heartbeatSec ?? 30) * 1000;
    if (!this.#o.spreadHeartbeats) {
      this.#heartbeat = setInterval(() => this.#sendHeartbeat(), ms);
      this.#heartbeat.unref();
      return;
    }
    // The first beat after a random part of the period, then every period: one timer at a time either way.
    this.#heartbeat = setTimeout(() => {
      this.#sendHeartbeat();
      this.#heartbeat = setInterval(() => this.#sendHeartbeat(), ms);
      this.#heartbeat.unref();
    }, Math.random() * ms);
    this.#heartbeat.unref();
  }

  #sendHeartbeat(): void {
    const { core, store, gateId } = this.#o;
    this.#publish('heartbeat', {
      type: 'heartbeat',
      v: 1,
      gateId,
      at: this.#now(),
      uptimeSec: Math.floor((this.#now() - this.#startedAt) / 1000),
      counters: { ...core.counters },
      outboxDepth: store.outbox.depth(),
      whitelistVersion: store.whitelist.version(),
      configVersion: core.config?.version ?? null,
      ...degradedField(core.status.degraded),
    });
  }

  #stateBytes(online: boolean, since: number | null = null): Buffer {
    const status = this.#o.core.status;
    const state: GateState = {
      type: 'gate_state',
      v: 1,
      gateId: this.#o.gateId,
      online,
      mode: status.mode,
      denyUnauthorized: status.denyUnauthorized,
      firmware: this.#o.firmware,
      whitelistVersion: this.#o.store.whitelist.version(),
      configVersion: status.configVersion,
      since,
      ...degradedField(status.degraded),
    };
    return encodeMessage(state, 'state');
  }

  #publishState(): void {
    const client = this.#client;
    if (!client?.connected) return;
    client.publish(this.#topic('state'), this.#stateBytes(true, this.#o.core.status.since), {
      qos: 1,
      retain: true,
    });
  }

  /** Publishes a message on one of this gate's channels; false when not connected (nothing is queued). */
  #publish(channel: GateChannel, message: MessageInput): boolean {
    const client = this.#client;
    if (!client?.connected) return false;
    const payload = encodeMessage(message, channel);
    client.publish(this.#topic(channel), payload, {
      qos: channel === 'heartbeat' || channel === 'validate/req' ? 0 : 1,
    });
    return true;
  }

  #topic(channel: GateChannel): string {
    return gateTopic(this.#o.siteId, this.#o.gateId, channel);
  }

  #onMessage(topic: string, payload: Buffer): void {
    const { log, siteId, gateId } = this.#o;
    let channel: Channel;
    let message: Message;
    try {
      const parsed = parseTopic(topic);
      if (parsed.siteId !== siteId || (parsed.gateId !== undefined && parsed.gateId !== gateId)) {
        log.warn({ topic }, 'message for another gate ignored');
        return;
      }
      channel = parsed.channel;
      if (payload.length === 0) {
        log.info({ topic }, 'retained message cleared');
        return;
      }
      message = this.#o.decode ? this.#o.decode(channel, payload, topic) : decodeMessage(channel, payload);
    } catch (err) {
      const code = isProtocolError(err) ? err.code : 'UNEXPECTED';
      log.warn({ topic, code, reason: (err as Error).message, size: payload.length }, 'bad message ignored');
      return;
    }
    if (message.type === 'validate_response') {
      if (!this.validator.onResponse(message))
        log.debug({ correlationId: message.correlationId }, 'late validation answer dropped');
      return;
    }
    this.#inbox = this.#inbox.then(() =>
      this.#handle(message).catch((err) => log.error({ err, topic }, 'message handling failed')),
    );
  }

  async #handle(message: Message): Promise<void> {
    const { core, log, gateId } = this.#o;
    switch (message.type) {
      case 'gate_config':
        if (message.gateId !== gateId) {
          log.warn({ configGateId: message.gateId }, 'config for another gate ignored');
          return;
        }
        try {
          if (await core.applyConfig(message)) {
            log.info({ version: message.version }, 'gate config applied');
            this.#armHeartbeat();
          }
        } catch (err) {
          log.error({ err: (err as Error).message, version: message.version }, 'gate config refused');
        }
        return;
      case 'whitelist_delta':
        this.#sync.onDelta(message);
        return;
      case 'whitelist_snapshot':
        this.#sync.onSnapshotChunk(message);
        return;
      case 'command':
      case 'site_command': {
        const ack = await this.#commands.handle(message);
        if (ack) this.#publish('cmd/ack', ack);
        return;
      }
      default:
        log.warn({ type: message.type }, 'message type not handled by a gate');
    }
  }
}
