/**
 * One gate of the fleet: the agent's own GateLink — retained state with a last will, heartbeats, subscriptions,
 * commands acknowledged once each, whitelist deltas and snapshots, the event outbox, online validation — on a light
 * in-memory store and a mode-only core instead of SQLite and a lane's devices, so hundreds fit in one process and
 * the arrival of every whitelist version can be timed.
 */
import { EventEmitter } from 'node:events';
import { GateLink, type GateLinkOptions, type Log } from '@scenic/gate-agent/link';
import {
  type CommandAck,
  type CredentialRef,
  type Direction,
  encodeMessage,
  type GateMode,
  type ValidateResponse,
} from '@scenic/protocol';
import { MemoryStore } from './memory-store.js';
import { ModeCore } from './mode-core.js';
import type { GateLogin } from './provision.js';
import type { FleetEvent } from './visitors.js';

export interface LightGateOptions {
  readonly brokerUrl: string;
  readonly login: GateLogin;
  readonly firmware?: string;
  /** Give up the first connection after this long (later reconnects keep trying). Default 30,000. */
  readonly connectTimeoutMs?: number;
  /** The fleet's decoder, shared by its gates (see shared-decode.ts); default: each gate decodes its own. */
  readonly decode?: GateLinkOptions['decode'];
}

export interface CommandReceipt {
  readonly commandId: string;
  /** Local clock when the gate took the command up (before the ack went out). */
  readonly receivedAt: number;
  readonly result: CommandAck['result'];
}

export interface ValidationOutcome {
  /** undefined when no answer came by the deadline. */
  readonly response: ValidateResponse | undefined;
  readonly rttMs: number;
}

export interface LightGateEvents {
  command: [CommandReceipt];
  /** The whitelist reached `version` at `at` (local clock). */
  whitelist: [version: number, at: number];
  config: [version: number];
  /** What the link logged as a warning or an error (a message it could not decode, a lost connection); it goes on. */
  problem: [Error];
}

const FIRMWARE = 'fleet-sim/1';
/** The validation deadline before the first config says otherwise (the protocol's default). */
const DEFAULT_DEADLINE_MS = 800;

export class LightGate extends EventEmitter<LightGateEvents> {
  readonly siteId: string;
  readonly gateId: string;
  readonly #options: LightGateOptions;
  readonly #store: MemoryStore;
  readonly #core: ModeCore;
  #link: GateLink | undefined;

  constructor(options: LightGateOptions) {
    super();
    this.setMaxListeners(0);
    this.#options = options;
    this.siteId = options.login.siteId;
    this.gateId = options.login.gateId;
    this.#store = new MemoryStore({
      onVersion: (version, at) => this.emit('whitelist', version, at),
      onAck: (ack) =>
        this.emit('command', { commandId: ack.commandId, receivedAt: ack.at, result: ack.result }),
    });
    this.#core = new ModeCore((version) => this.emit('config', version));
  }

  get connected(): boolean {
    return this.#link?.connected ?? false;
  }

  get currentMode(): GateMode {
    return this.#core.status.mode;
  }

  get whitelist(): { readonly version: number; readonly records: number } {
    return { version: this.#store.whitelist.version(), records: this.#store.whitelist.count() };
  }

  get config(): {
    readonly version: number | null;
    readonly zoneId: string | null;
    readonly deadlineMs: number;
  } {
    const config = this.#core.config;
    return {
      version: config?.version ?? null,
      zoneId: config?.zoneId ?? null,
      deadlineMs: config?.onlineValidation.deadlineMs ?? DEFAULT_DEADLINE_MS,
    };
  }

  /** Connects, subscribes and announces itself; rejects when the first connection is refused or times out. */
  async start(): Promise<void> {
    const { login } = this.#options;
    const connectTimeoutMs = this.#options.connectTimeoutMs ?? 30_000;
    let connected: () => void = () => {};
    let refused: (error: Error) => void = () => {};
    const link = new GateLink({
      url: this.#options.brokerUrl,
      username: login.username,
      password: login.password,
      siteId: login.siteId,
      gateId: login.gateId,
      firmware: this.#options.firmware ?? FIRMWARE,
      store: this.#store,
      core: this.#core,
      log: this.#log,
      connectTimeoutMs,
      spreadHeartbeats: true,
      ...(this.#options.decode ? { decode: this.#options.decode } : {}),
      onConnect: () => connected(),
      onConnectionError: (error) => refused(error),
    });
    this.#link = link;
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('connect timed out')), connectTimeoutMs + 1_000);
        connected = () => {
          clearTimeout(timer);
          resolve();
        };
        refused = (error) => {
          clearTimeout(timer);
          reject(error);
        };
        link.start();
      });
    } catch (error) {
      await this.stop();
      throw new Error(`gate ${this.gateId} could not connect: ${(error as Error).message}`);
    } finally {
      connected = () => {};
      refused = () => {};
    }
  }

  /** Publishes the offline state (a clean shutdown, no will) and disconnects; unacknowledged events are dropped. */
  async stop(): Promise<void> {
    const link = this.#link;
    this.#link = undefined;
    await link?.stop().catch(() => undefined);
    this.#store.outbox.clear(new Error(`gate ${this.gateId} stopped`));
  }

  /** Encodes an event for `publishEncoded`; a bench encodes its burst up front so encoding is not timed. */
  static encodeEvent(event: FleetEvent): Buffer {
    return encodeMessage(event, event.type === 'passage' ? 'event/passage' : 'event/denial');
  }

  /** Sends one event through the outbox (QoS 1); resolves on the broker's PUBACK, as the agent's outbox entry does. */
  publishEvent(event: FleetEvent): Promise<void> {
    return this.publishEncoded(event.type, LightGate.encodeEvent(event));
  }

  async publishEncoded(type: FleetEvent['type'], payload: Buffer): Promise<void> {
    if (!this.#link) throw new Error(`gate ${this.gateId} is not started`);
    const acknowledged = this.#store.outbox.append(
      type === 'passage' ? 'event/passage' : 'event/denial',
      payload,
    );
    this.#core.recorded(type);
    await acknowledged;
  }

  /**
   * Asks the cloud about a credential through the link and waits until the config's deadline (or `deadlineMs`); an
   * answer after the deadline is dropped, as a real gate would have decided locally by then.
   */
  async validate(
    credential: CredentialRef,
    direction: Direction = 'in',
    deadlineMs?: number,
  ): Promise<ValidationOutcome> {
    const link = this.#link;
    if (!link) throw new Error(`gate ${this.gateId} is not started`);
    const started = performance.now();
    const response = await link.validator.validate(
      credential,
      direction,
      deadlineMs ?? this.config.deadlineMs,
    );
    return { response: response ?? undefined, rttMs: performance.now() - started };
  }

  /** The link's log: warnings and errors become problems, the rest is the fleet's noise. */
  readonly #log: Log = {
    debug: () => {},
    info: () => {},
    warn: (fields, message) => this.#problem(fields, message),
    error: (fields, message) => this.#problem(fields, message),
  };

  #problem(fields: object, message: string): void {
    const detail = JSON.stringify(fields, (_key, value: unknown) =>
      value instanceof Error ? value.message : value,
    );
    this.emit('problem', new Error(`${message} ${detail}`));
  }
}
