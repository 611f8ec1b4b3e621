import type { Direction, GateConfig, GateMode } from '@scenic/protocol';
import { type CardRead, type DegradedDevice, Emitter, type GateHardware } from '../drivers/index.js';
import { GateModes, heldOpen, returnsCards } from './gate-modes.js';
import { LaneOutputs } from './lane-outputs.js';
import { EMERGENCY_VOICE } from './mode-texts.js';
import type { GateCoreStore, Log, OnlineValidator } from './ports.js';
import { type Resolved, resolveCard, resolveScan } from './resolve-credential.js';
import { type ScanOutcome, ScanPipeline } from './scan-pipeline.js';
import { ScanQueue } from './scan-queue.js';

export type { ScanOutcome } from './scan-pipeline.js';

export interface GateStatus {
  readonly mode: GateMode;
  readonly denyUnauthorized: boolean;
  readonly configVersion: number | null;
  /** When the current mode began, epoch ms. */
  readonly since: number;
  /**
   * What the lane runs without, sorted: device roles as in GateHardware ('led', 'voice', 'recycler', …) and stuck
   * passage inputs ('passage.in', 'passage.out').
   */
  readonly degraded: readonly string[];
}

export type GateCoreEvents = {
  /** Mode, deny-unauthorized, config or the degraded devices changed. */
  state: [status: GateStatus];
  /** An event was appended to the outbox. */
  event: [];
  outcome: [outcome: ScanOutcome];
};

export interface GateCoreOptions {
  readonly hardware: GateHardware;
  /** The whitelist, this gate's passages, the outbox and what survives a restart (GateStore, or one in memory). */
  readonly store: GateCoreStore;
  readonly siteId: string;
  readonly gateId: string;
  /** The way this lane's scanner and card reader face. */
  readonly scanDirection: Direction;
  readonly log: Log;
  /** Speak announcements (LED texts are always shown). Default true. */
  readonly voice?: boolean;
  readonly online?: OnlineValidator;
  /** Clock for decisions; tests move it. Default Date.now. */
  readonly now?: () => number;
  /** Scans that may wait while one is being handled. Default 2. */
  readonly maxWaitingScans?: number;
  /** Local overrides of the cloud config's turnstile timing (the installer knows the mechanism). */
  readonly relayPulseMs?: number;
  readonly passageTimeoutMs?: number;
  /** Local override of the cloud config's group idle timeout (how long a group pass waits for the next person). */
  readonly groupIdleMs?: number;
}

/**
 * The gate: the mode state machine (gate-modes.ts), the scan pipeline every scan or card read runs through
 * (scan-pipeline.ts) and the lane's outputs (lane-outputs.ts), put together. It takes scans one at a time per lane,
 * drives the devices when a mode begins, and reports its state, outcomes and new events to whoever listens (the
 * link, the simulator).
 */
export class GateCore extends Emitter<GateCoreEvents> {
  readonly #hw: GateHardware;
  readonly #store: GateCoreStore;
  readonly #log: Log;
  readonly #now: () => number;
  readonly #queue: ScanQueue;
  readonly #modes: GateModes;
  readonly #outputs: LaneOutputs;
  readonly #pipeline: ScanPipeline;
  #started = false;
  readonly counters = { scans: 0, admits: 0, denies: 0 };

  constructor(options: GateCoreOptions) {
    super();
    this.#hw = options.hardware;
    this.#store = options.store;
    this.#log = options.log;
    this.#now = options.now ?? Date.now;
    this.#queue = new ScanQueue(options.maxWaitingScans ?? 2);
    this.#modes = new GateModes({
      memory: options.store,
      siteId: options.siteId,
      log: options.log,
      now: this.#now,
    });
    this.#outputs = new LaneOutputs({
      hardware: options.hardware,
      log: options.log,
      voice: options.voice ?? true,
      scanDirection: options.scanDirection,
      config: () => this.config,
      mode: () => this.#modes.mode,
      onStuckChange: () => this.emit('state', this.status),
    });
    this.#pipeline = new ScanPipeline({
      store: options.store,
      modes: this.#modes,
      outputs: this.#outputs,
      passage: options.hardware.passage,
      online: options.online,
      gateId: options.gateId,
      scanDirection: options.scanDirection,
      log: options.log,
      now: this.#now,
      relayPulseMs: options.relayPulseMs,
      passageTimeoutMs: options.passageTimeoutMs,
      groupIdleMs: options.groupIdleMs,
      counters: this.counters,
      onEvent: () => this.emit('event'),
    });
  }

  get status(): GateStatus {
    const modes = this.#modes;
    return {
      mode: modes.mode,
      denyUnauthorized: modes.denyUnauthorized,
      configVersion: modes.active?.config.version ?? null,
      since: modes.since,
      degraded: this.#outputs.degraded(),
    };
  }

  /**
   * The devices the lane runs without: startGateHardware's list at start, then whatever restartDegraded leaves.
   * The lane stops writing to them (see LaneOutputs#setDegraded); an LED that comes back shows the idle text.
   */
  setDegraded(list: readonly Pick<DegradedDevice, 'role'>[]): void {
    if (this.#outputs.setDegraded(list, this.#started)) this.emit('state', this.status);
  }

  get config(): GateConfig | null {
    return this.#modes.active?.config ?? null;
  }

  /** Listens to the (already started) hardware and sets the outputs for the current mode. */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    this.#settleCutShortAdmits();
    this.#hw.scanner.on('line', this.#onLine);
    this.#hw.cardReader.on('card', this.#onCard);
    this.#outputs.listen();
    // The stored config's volume, before the first announcement; the driver's own default until a config exists.
    if (this.config) this.#outputs.setVolume(this.config.voiceVolume);
    this.#modes.remember();
    await this.#applyOutputs();
    if (this.#modes.mode === 'emergency_open') this.#sayEmergency();
  }

  /**
   * Admits the previous run released (or was about to release) but never settled — it died between the relay and
   * the passage sensor — become unconfirmed passages, before any new scan is decided on the entries they use.
   */
  #settleCutShortAdmits(): void {
    const settled = this.#store.settleAdmitIntents();
    for (const event of settled) {
      this.#log.warn(
        { eventId: event.eventId, ticketId: event.ticketId, at: event.at, direction: event.direction },
        'unconfirmed passage settled',
      );
    }
    if (settled.length > 0) this.emit('event');
  }

  /** Stops taking scans; the scan being handled (a person walking through) finishes first. */
  async stop(): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    this.#hw.scanner.off('line', this.#onLine);
    this.#hw.cardReader.off('card', this.#onCard);
    this.#outputs.unlisten();
    await this.#queue.close();
  }

  /** Resolves when every scan queued so far has been handled. */
  idle(): Promise<void> {
    return this.#queue.idle();
  }

  /**
   * Applies a config whose version is above the running one; false when it is not newer. Throws (and changes
   * nothing) when the config cannot be used. The first config ends the no-config lock with its defaultMode.
   */
  async applyConfig(config: GateConfig): Promise<boolean> {
    const applied = this.#modes.applyConfig(config);
    if (!applied) return false;
    this.#outputs.setVolume(config.voiceVolume);
    if (applied.first && this.#modes.mode !== 'emergency_open') await this.#enterMode(config.defaultMode);
    else this.emit('state', this.status);
    return true;
  }

  /** Switches the mode (a command); refused without a config unless it is emergency_open or locked. */
  async setMode(mode: GateMode): Promise<{ ok: true } | { ok: false; reason: string }> {
    const refusal = this.#modes.refusal(mode);
    if (refusal !== null) return { ok: false, reason: refusal };
    if (mode !== this.#modes.mode) await this.#enterMode(mode);
    return { ok: true };
  }

  setDenyUnauthorized(on: boolean): void {
    if (this.#modes.setDenyUnauthorized(on)) this.emit('state', this.status);
  }

  async #enterMode(mode: GateMode): Promise<void> {
    this.#modes.enter(mode);
    await this.#applyOutputs();
    if (mode === 'emergency_open') this.#sayEmergency();
    if (returnsCards(mode)) await this.#outputs.returnCard();
    this.emit('state', this.status);
  }

  /** Holds the turnstile released in always-open (the configured directions) and emergency-open (both ways). */
  #applyOutputs(): Promise<void> {
    return this.#outputs.hold(heldOpen(this.#modes.mode, this.#modes.active?.gate.direction ?? 'both'));
  }

  #sayEmergency(): void {
    this.#outputs.say(EMERGENCY_VOICE[this.#outputs.voiceLanguage()]);
  }

  readonly #onLine = (text: string) => {
    const resolve = () =>
      resolveScan(text, { keyring: this.#modes.keyring(), whitelist: this.#store, now: this.#now() });
    if (!this.#queue.push(() => this.#handle(resolve))) this.#log.warn({}, 'scan dropped: the lane is busy');
  };

  readonly #onCard = (read: CardRead) => {
    const resolve = () => resolveCard(read.uid, this.#store);
    if (!this.#queue.push(() => this.#handle(resolve)))
      this.#log.warn({}, 'card read dropped: the lane is busy');
  };

  /** One scan, start to end. Never throws: a failure is logged and the lane goes on. */
  async #handle(resolve: () => Resolved): Promise<void> {
    this.counters.scans++;
    try {
      const outcome = await this.#pipeline.run(resolve());
      this.#log.info(outcome, outcome.admit ? 'scan admitted' : 'scan refused');
      this.emit('outcome', outcome);
    } catch (err) {
      this.#log.error({ err }, 'scan handling failed');
    }
  }
}
