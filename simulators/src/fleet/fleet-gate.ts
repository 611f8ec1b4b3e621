/**
 * One lightweight virtual gate of the fleet: an mqtt.js client that speaks the gate side of the protocol with its
 * own login and client id — retained online state with a last will, heartbeats, its command / config / whitelist /
 * validation subscriptions, acknowledged commands (each commandId executed once), QoS 1 passage and denial events
 * and online validation requests with a deadline. Unlike the gate agent it keeps no SQLite store and drives no
 * devices: the whitelist is held in memory, so hundreds fit in one process and the arrival of every version can be
 * timed.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import {
  type Command,
  type CommandAck,
  type CredentialRecord,
  type CredentialRef,
  type Direction,
  decodeMessage,
  encodeMessage,
  type GateChannel,
  type GateConfig,
  type GateMode,
  type GateState,
  gateSubscriptions,
  gateTopic,
  type MessageInput,
  MODE_OF_COMMAND,
  parseTopic,
  type SiteCommand,
  type SyncReason,
  type ValidateResponse,
  type WhitelistDelta,
  type WhitelistSnapshot,
} from '@scenic/protocol';
import mqtt, { type MqttClient } from 'mqtt';
import type { FleetEvent } from './visitors.js';

export interface GateLogin {
  readonly siteId: string;
  readonly gateId: string;
  readonly username: string;
  readonly password: string;
}

export interface FleetGateOptions {
  readonly brokerUrl: string;
  readonly login: GateLogin;
  readonly firmware?: string;
  /** Give up the first connection after this long (later reconnects keep trying). */
  readonly connectTimeoutMs?: number;
}

export interface CommandReceipt {
  readonly commandId: string;
  readonly kind: Command['action']['kind'];
  /** Local clock when the command arrived (before the ack went out). */
  readonly receivedAt: number;
  readonly result: CommandAck['result'];
}

export interface ValidationOutcome {
  /** undefined when no answer came by the deadline. */
  readonly response: ValidateResponse | undefined;
  readonly rttMs: number;
}

export interface FleetGateEvents {
  command: [CommandReceipt];
  /** The whitelist reached `version` at `at` (local clock). */
  whitelist: [version: number, at: number];
  config: [version: number];
  /** A message the gate could not decode or a publish that failed; the gate goes on. */
  problem: [Error];
}

const SUPPORTED_FIRMWARE = 'fleet-sim/1';
/** Commands remembered to answer a redelivery with the first result; the protocol asks for at least a day. */
const REMEMBERED_COMMANDS = 10_000;
/** Whitelist deltas held while a gap is being filled. */
const MAX_BUFFERED_DELTAS = 1_000;

/**
 * Site-wide messages reach every gate of the site with the same bytes. Real gates each decode their own copy on
 * their own CPU; hundreds of simulated gates in one process would spend the process's one thread decoding the same
 * delta hundreds of times and delay everything else they time. So the decoded message is shared: it is never
 * mutated, and each gate still applies it to its own state.
 */
const sharedDecodes = new Map<string, unknown>();
const SHARED_DECODES = 64;

function decodeShared<C extends 'site/whitelist' | 'site/cmd'>(
  channel: C,
  topic: string,
  payload: Buffer,
): ReturnType<typeof decodeMessage<C>> {
  const key = `${topic}\n${payload.toString('latin1')}`;
  const known = sharedDecodes.get(key);
  if (known !== undefined) return known as ReturnType<typeof decodeMessage<C>>;
  const message = decodeMessage(channel, payload);
  if (sharedDecodes.size >= SHARED_DECODES) sharedDecodes.delete(sharedDecodes.keys().next().value!);
  sharedDecodes.set(key, message);
  return message;
}

export class FleetGate extends EventEmitter<FleetGateEvents> {
  readonly siteId: string;
  readonly gateId: string;
  private client: MqttClient | undefined;
  private mode: GateMode = 'locked';
  private denyUnauthorized = true;
  private zoneId: string | null = null;
  private configVersion: number | null = null;
  private heartbeatSec = 30;
  private validationDeadlineMs = 800;
  private since = Date.now();
  private readonly bootAt = Date.now();
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private readonly acks = new Map<string, CommandAck>();
  private readonly pendingValidations = new Map<string, (response: ValidateResponse) => void>();
  private validationSeq = 0;
  private syncSeq = 0;
  private inFlightEvents = 0;
  private readonly counters = { scans: 0, admits: 0, denies: 0 };
  /** The in-memory whitelist cache: version and records by ticket id. */
  private whitelistVersion = 0;
  private readonly records = new Map<number, CredentialRecord>();
  private readonly bufferedDeltas = new Map<number, WhitelistDelta>();
  private gapAskedAt: number | undefined;
  private snapshot:
    | { id: string; version: number; chunks: number; parts: Map<number, CredentialRecord[]> }
    | undefined;

  constructor(private readonly options: FleetGateOptions) {
    super();
    this.setMaxListeners(0);
    this.siteId = options.login.siteId;
    this.gateId = options.login.gateId;
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  get currentMode(): GateMode {
    return this.mode;
  }

  get whitelist(): { readonly version: number; readonly records: number } {
    return { version: this.whitelistVersion, records: this.records.size };
  }

  get config(): {
    readonly version: number | null;
    readonly zoneId: string | null;
    readonly deadlineMs: number;
  } {
    return { version: this.configVersion, zoneId: this.zoneId, deadlineMs: this.validationDeadlineMs };
  }

  /** Connects, subscribes and announces itself; rejects when the first connection is refused or times out. */
  async start(): Promise<void> {
    const { login } = this.options;
    const client = mqtt.connect(this.options.brokerUrl, {
      clientId: `sg-${login.siteId}-${login.gateId}`,
      username: login.username,
      password: login.password,
      clean: false,
      keepalive: 30,
      reconnectPeriod: 1_000,
      connectTimeout: this.options.connectTimeoutMs ?? 30_000,
      will: {
        topic: gateTopic(this.siteId, this.gateId, 'state'),
        payload: encodeMessage(this.state(false), 'state'),
        qos: 1,
        retain: true,
      },
    });
    this.client = client;
    client.on('message', (topic, payload) => this.receive(topic, payload));
    client.on('connect', () => void this.announce());
    await new Promise<void>((resolve, reject) => {
      const fail = (error: Error) => {
        cleanup();
        client.end(true);
        reject(new Error(`gate ${this.gateId} could not connect: ${error.message}`));
      };
      const timer = setTimeout(
        () => fail(new Error('connect timed out')),
        (this.options.connectTimeoutMs ?? 30_000) + 1_000,
      );
      const ok = () => {
        cleanup();
        resolve();
      };
      const cleanup = () => {
        clearTimeout(timer);
        client.off('connect', ok);
        client.off('error', fail);
      };
      client.once('connect', ok);
      client.once('error', fail);
    });
    client.on('error', (error) => this.emit('problem', error));
    this.scheduleHeartbeat();
  }

  /** Publishes the offline state (a clean shutdown, no will) and disconnects. */
  async stop(): Promise<void> {
    clearInterval(this.heartbeatTimer);
    const client = this.client;
    if (!client) return;
    this.client = undefined;
    if (client.connected) {
      try {
        await client.publishAsync(
          gateTopic(this.siteId, this.gateId, 'state'),
          encodeMessage(this.state(false, Date.now()), 'state'),
          { qos: 1, retain: true },
        );
      } catch {
        // Closing anyway: the broker then publishes the will, which says the same.
      }
    }
    await client.endAsync(true).catch(() => undefined);
  }

  /** Encodes an event for `publishEncoded`; a bench encodes its burst up front so encoding is not timed. */
  static encodeEvent(event: FleetEvent): Buffer {
    return encodeMessage(event, event.type === 'passage' ? 'event/passage' : 'event/denial');
  }

  /** Publishes one event QoS 1; resolves on the broker's PUBACK (the gate's receipt, as for its outbox). */
  async publishEvent(event: FleetEvent): Promise<void> {
    await this.publishEncoded(event.type, FleetGate.encodeEvent(event));
  }

  async publishEncoded(type: FleetEvent['type'], payload: Buffer): Promise<void> {
    const client = this.requireClient();
    this.counters.scans++;
    if (type === 'passage') this.counters.admits++;
    else this.counters.denies++;
    this.inFlightEvents++;
    try {
      await client.publishAsync(
        gateTopic(this.siteId, this.gateId, type === 'passage' ? 'event/passage' : 'event/denial'),
        payload,
        { qos: 1 },
      );
    } finally {
      this.inFlightEvents--;
    }
  }

  /**
   * Asks the cloud about a credential and waits until the config's deadline (or `deadlineMs`); an answer after the
   * deadline is dropped, as a real gate would have decided locally by then.
   */
  validate(
    credential: CredentialRef,
    direction: Direction = 'in',
    deadlineMs?: number,
  ): Promise<ValidationOutcome> {
    const client = this.requireClient();
    const at = Date.now();
    const started = performance.now();
    const correlationId = `vr-${(++this.validationSeq).toString(36)}-${randomBytes(3).toString('hex')}`;
    const deadline = deadlineMs ?? this.validationDeadlineMs;
    return new Promise<ValidationOutcome>((resolve) => {
      const timer = setTimeout(() => {
        this.pendingValidations.delete(correlationId);
        resolve({ response: undefined, rttMs: performance.now() - started });
      }, deadline);
      this.pendingValidations.set(correlationId, (response) => {
        clearTimeout(timer);
        this.pendingValidations.delete(correlationId);
        resolve({ response, rttMs: performance.now() - started });
      });
      const payload = encodeMessage(
        {
          type: 'validate_request',
          v: 1,
          correlationId,
          gateId: this.gateId,
          credential,
          direction,
          at,
          deadlineAt: at + deadline,
        },
        'validate/req',
      );
      // QoS 0 as the protocol says: a late validation is worthless, so it is never replayed.
      client.publish(gateTopic(this.siteId, this.gateId, 'validate/req'), payload, { qos: 0 }, (error) => {
        if (error) this.emit('problem', error);
      });
    });
  }

  private requireClient(): MqttClient {
    if (!this.client) throw new Error(`gate ${this.gateId} is not started`);
    return this.client;
  }

  private state(online: boolean, since: number | null = online ? this.since : null): GateState {
    return {
      type: 'gate_state',
      v: 1,
      gateId: this.gateId,
      online,
      mode: this.mode,
      denyUnauthorized: this.denyUnauthorized,
      firmware: this.options.firmware ?? SUPPORTED_FIRMWARE,
      whitelistVersion: this.whitelistVersion,
      configVersion: this.configVersion,
      since,
    };
  }

  /** On every (re)connect: subscribe, say we are online, ask for the whitelist after what we hold. */
  private async announce(): Promise<void> {
    const client = this.client;
    if (!client) return;
    try {
      await client.subscribeAsync(
        Object.fromEntries(
          gateSubscriptions(this.siteId, this.gateId).map((s) => [s.filter, { qos: s.qos }]),
        ),
      );
      await this.publishState();
      await this.requestSync('boot', false);
    } catch (error) {
      this.emit('problem', error as Error);
    }
  }

  private async publish(channel: GateChannel, message: MessageInput, retain = false): Promise<void> {
    const client = this.client;
    if (!client) return;
    await client.publishAsync(gateTopic(this.siteId, this.gateId, channel), encodeMessage(message, channel), {
      qos: channel === 'heartbeat' || channel === 'validate/req' ? 0 : 1,
      retain,
    });
  }

  private publishState(): Promise<void> {
    return this.publish('state', this.state(true), true);
  }

  private requestSync(reason: SyncReason, full: boolean): Promise<void> {
    return this.publish('whitelist/req', {
      type: 'sync_request',
      v: 1,
      requestId: `sr-${++this.syncSeq}`,
      gateId: this.gateId,
      haveVersion: this.whitelistVersion,
      full,
      reason,
      at: Date.now(),
    });
  }

  private scheduleHeartbeat(): void {
    clearInterval(this.heartbeatTimer);
    // Spread over the period so a fleet started at once does not beat in lockstep.
    const periodMs = this.heartbeatSec * 1_000;
    const first = setTimeout(() => {
      void this.beat();
      this.heartbeatTimer = setInterval(() => void this.beat(), periodMs);
      this.heartbeatTimer.unref();
    }, Math.random() * periodMs);
    first.unref();
    this.heartbeatTimer = first;
  }

  private async beat(): Promise<void> {
    if (!this.client?.connected) return;
    await this.publish('heartbeat', {
      type: 'heartbeat',
      v: 1,
      gateId: this.gateId,
      at: Date.now(),
      uptimeSec: Math.floor((Date.now() - this.bootAt) / 1_000),
      counters: { ...this.counters },
      outboxDepth: this.inFlightEvents,
      whitelistVersion: this.whitelistVersion,
      configVersion: this.configVersion,
    }).catch((error: unknown) => this.emit('problem', error as Error));
  }

  private receive(topic: string, payload: Buffer): void {
    const receivedAt = Date.now();
    try {
      const parsed = parseTopic(topic);
      switch (parsed.channel) {
        case 'cmd':
          void this.execute(decodeMessage('cmd', payload), receivedAt);
          return;
        case 'site/cmd': {
          const command = decodeShared('site/cmd', topic, payload);
          if (this.targeted(command)) void this.execute(command, receivedAt);
          return;
        }
        case 'config':
          // An empty retained payload clears the topic; it is not a message.
          if (payload.length > 0) this.applyConfig(decodeMessage('config', payload));
          return;
        case 'whitelist': {
          const message = decodeMessage('whitelist', payload);
          if (message.type === 'whitelist_snapshot') this.applySnapshotChunk(message, receivedAt);
          else this.applyDelta(message, receivedAt);
          return;
        }
        case 'site/whitelist':
          this.applyDelta(decodeShared('site/whitelist', topic, payload), receivedAt);
          return;
        case 'validate/res': {
          const response = decodeMessage('validate/res', payload);
          this.pendingValidations.get(response.correlationId)?.(response);
          return;
        }
        default:
          return;
      }
    } catch (error) {
      this.emit('problem', error as Error);
    }
  }

  private targeted(command: SiteCommand): boolean {
    const { target } = command;
    if ('all' in target) return true;
    if ('gateIds' in target) return target.gateIds.includes(this.gateId);
    return this.zoneId !== null && target.zoneIds.includes(this.zoneId);
  }

  private async execute(command: Command | SiteCommand, receivedAt: number): Promise<void> {
    const known = this.acks.get(command.commandId);
    if (known) {
      // A redelivery: answer again with the first result, execute nothing.
      await this.publish('cmd/ack', known).catch((error: unknown) => this.emit('problem', error as Error));
      return;
    }
    const action = command.action;
    let result: CommandAck['result'] = 'ok';
    let reason: string | null = null;
    let stateChanged = false;
    if (command.expiresAt < receivedAt) {
      result = 'rejected';
      reason = 'expired';
    } else if (action.kind in MODE_OF_COMMAND) {
      const mode = MODE_OF_COMMAND[action.kind as keyof typeof MODE_OF_COMMAND];
      stateChanged = mode !== this.mode;
      if (stateChanged) {
        this.mode = mode;
        this.since = receivedAt;
      }
    } else if (action.kind === 'deny_unauthorized') {
      stateChanged = action.on !== this.denyUnauthorized;
      this.denyUnauthorized = action.on;
    } else if (action.kind === 'sync') {
      void this.requestSync('command', action.full).catch((error: unknown) =>
        this.emit('problem', error as Error),
      );
    }
    // `reboot` is acknowledged and otherwise ignored: a fleet gate has nothing to restart.
    const ack: CommandAck = {
      type: 'command_ack',
      v: 1,
      commandId: command.commandId,
      gateId: this.gateId,
      result,
      reason,
      at: Date.now(),
    };
    this.acks.set(command.commandId, ack);
    if (this.acks.size > REMEMBERED_COMMANDS) this.acks.delete(this.acks.keys().next().value!);
    this.emit('command', { commandId: command.commandId, kind: action.kind, receivedAt, result });
    try {
      if (stateChanged) await this.publishState();
      await this.publish('cmd/ack', ack);
    } catch (error) {
      this.emit('problem', error as Error);
    }
  }

  private applyConfig(config: GateConfig): void {
    if (this.configVersion !== null && config.version <= this.configVersion) return;
    const first = this.configVersion === null;
    this.configVersion = config.version;
    this.zoneId = config.zoneId;
    this.denyUnauthorized = config.denyUnauthorized;
    this.validationDeadlineMs = config.onlineValidation.deadlineMs;
    if (first) {
      // A gate without a config stays locked; its first config sets the mode it runs in.
      this.mode = config.defaultMode;
      this.since = Date.now();
    }
    if (config.heartbeatSec !== this.heartbeatSec) {
      this.heartbeatSec = config.heartbeatSec;
      this.scheduleHeartbeat();
    }
    this.emit('config', config.version);
    void this.publishState().catch((error: unknown) => this.emit('problem', error as Error));
  }

  private applyDelta(delta: WhitelistDelta, receivedAt: number): void {
    if (delta.toVersion <= this.whitelistVersion) return;
    // A range that starts at or before this gate's version is applied whole: its records are as of toVersion (two
    // cloud instances may cut ranges differently). One that starts later leaves a gap.
    if (delta.fromVersion > this.whitelistVersion) {
      if (this.bufferedDeltas.size < MAX_BUFFERED_DELTAS) this.bufferedDeltas.set(delta.fromVersion, delta);
      // One request per gap is enough; ask again only if it has not been filled within a few seconds.
      if (this.gapAskedAt === undefined || receivedAt - this.gapAskedAt > 5_000) {
        this.gapAskedAt = receivedAt;
        void this.requestSync('gap', false).catch((error: unknown) => this.emit('problem', error as Error));
      }
      return;
    }
    this.apply(delta);
    this.drainBuffered();
    this.emit('whitelist', this.whitelistVersion, receivedAt);
  }

  private apply(delta: WhitelistDelta): void {
    for (const id of delta.removals) this.records.delete(id);
    for (const record of delta.upserts) this.records.set(record.ticketId, record);
    this.whitelistVersion = delta.toVersion;
  }

  private drainBuffered(): void {
    for (const from of [...this.bufferedDeltas.keys()].sort((a, b) => a - b)) {
      if (from > this.whitelistVersion) break;
      const next = this.bufferedDeltas.get(from)!;
      this.bufferedDeltas.delete(from);
      if (next.toVersion > this.whitelistVersion) this.apply(next);
    }
    if (this.bufferedDeltas.size === 0) this.gapAskedAt = undefined;
  }

  private applySnapshotChunk(chunk: WhitelistSnapshot, receivedAt: number): void {
    if (!this.snapshot || this.snapshot.id !== chunk.snapshotId) {
      this.snapshot = {
        id: chunk.snapshotId,
        version: chunk.version,
        chunks: chunk.chunks,
        parts: new Map(),
      };
    }
    this.snapshot.parts.set(chunk.chunk, chunk.records);
    if (this.snapshot.parts.size < this.snapshot.chunks) return;
    const complete = this.snapshot;
    this.snapshot = undefined;
    this.records.clear();
    for (const records of complete.parts.values()) {
      for (const record of records) this.records.set(record.ticketId, record);
    }
    this.whitelistVersion = complete.version;
    this.drainBuffered();
    this.emit('whitelist', this.whitelistVersion, receivedAt);
    void this.publishState().catch((error: unknown) => this.emit('problem', error as Error));
  }
}
