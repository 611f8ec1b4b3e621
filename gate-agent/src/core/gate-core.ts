import { randomUUID } from 'node:crypto';
import {
  admitTexts,
  type CredentialKind,
  type CredentialRecord,
  type CredentialRef,
  type Decision,
  type DecisionReason,
  type Direction,
  decide,
  type GateConfig,
  type GateMode,
  type GateTexts,
  type Language,
  type LedLines,
  reasonTexts,
  type TicketTypeRules,
  type ValidateResponse,
} from '@scenic/protocol';
import {
  type CardRead,
  type CardRecycler,
  type DegradedDevice,
  type DriverError,
  Emitter,
  type GateDeviceRole,
  type GateHardware,
  type LedColour,
  type PassageDirection,
  PassageInputStuckError,
  type RelayOutput,
  waitForPassage,
} from '../drivers/index.js';
import type { GateStore } from '../store/gate-store.js';
import { ActiveConfig } from './active-config.js';
import { CARD_RETRY, EMERGENCY_VOICE, idleLed, staffCheckLed } from './mode-texts.js';
import type { Log, OnlineValidator } from './ports.js';
import { type Resolved, resolveCard, resolveScan } from './resolve-credential.js';
import { ScanQueue } from './scan-queue.js';

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

/** How one scan ended, for the log, the simulator UI and tests. */
export interface ScanOutcome {
  readonly admit: boolean;
  readonly reason: DecisionReason;
  readonly kind: CredentialKind | null;
  readonly ticketId: number | null;
  /** For admits: whether the person went through (false = NO_PASSAGE); null for denials. */
  readonly passed: boolean | null;
  readonly entriesLeft: number | null;
  readonly decidedOffline: boolean;
  readonly correlationId: string | null;
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
  readonly store: GateStore;
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
}

/** Modes that survive a restart (see GateCore#restoreStickyMode). */
const STICKY_MODES: ReadonlySet<GateMode> = new Set(['emergency_open', 'locked', 'always_closed']);

/** Modes in which the gate never judges a card, so a card dropped in the recycler goes straight back. */
const RETURN_CARD_MODES: ReadonlySet<GateMode> = new Set([
  'always_open',
  'emergency_open',
  'locked',
  'always_closed',
]);

/** Reasons that mean "this credential has no permission at this gate" (deny-unauthorized switches their handling). */
const UNAUTHORIZED: ReadonlySet<DecisionReason> = new Set(['WRONG_ZONE', 'WRONG_GATE']);

/**
 * The gate state machine: modes, and for every scan or card read the whole flow — classify, verify, look up,
 * decide (online for stateful credentials when it can, else locally), release the turnstile, wait for the person,
 * record the passage and its event in one transaction, announce. One scan at a time per lane.
 */
export class GateCore extends Emitter<GateCoreEvents> {
  readonly #hw: GateHardware;
  readonly #store: GateStore;
  readonly #siteId: string;
  readonly #gateId: string;
  readonly #direction: Direction;
  readonly #log: Log;
  readonly #voice: boolean;
  readonly #online: OnlineValidator | undefined;
  readonly #now: () => number;
  readonly #queue: ScanQueue;
  readonly #relayPulseMs: number | undefined;
  readonly #passageTimeoutMs: number | undefined;
  #active: ActiveConfig | null = null;
  #mode: GateMode = 'locked';
  #denyUnauthorized = true;
  #since: number;
  #started = false;
  /** Non-essential devices that could not be started (setDegraded); the lane works around them. */
  #degraded: ReadonlySet<GateDeviceRole> = new Set();
  /** Active PASSAGE_INPUT_STUCK faults and the directions each one blocks, until its faultCleared. */
  readonly #stuck = new Map<DriverError, readonly PassageDirection[]>();
  /** The card now in the recycler slot has already been handed back (one eject per card). */
  #cardReturned = false;
  readonly counters = { scans: 0, admits: 0, denies: 0 };

  constructor(options: GateCoreOptions) {
    super();
    this.#hw = options.hardware;
    this.#store = options.store;
    this.#siteId = options.siteId;
    this.#gateId = options.gateId;
    this.#direction = options.scanDirection;
    this.#log = options.log;
    this.#voice = options.voice ?? true;
    this.#online = options.online;
    this.#now = options.now ?? Date.now;
    this.#queue = new ScanQueue(options.maxWaitingScans ?? 2);
    this.#relayPulseMs = options.relayPulseMs;
    this.#passageTimeoutMs = options.passageTimeoutMs;
    this.#since = this.#now();
    const stored = this.#store.config();
    if (stored) {
      try {
        this.#active = new ActiveConfig(stored, this.#siteId);
        this.#mode = stored.defaultMode;
        this.#denyUnauthorized = stored.denyUnauthorized;
      } catch (err) {
        this.#log.error({ err }, 'stored gate config is unusable; staying locked until a new one arrives');
      }
    }
    this.#restoreStickyMode();
  }

  /**
   * A restart must not end a mode the control room chose for safety. Fire code: a controller that crashes or is
   * power-cycled during an evacuation has to come back open, not silently fall back to `normal` and trap people.
   * Likewise a gate locked or closed on purpose (an incident, a closed area) stays shut until the cloud commands
   * otherwise. `always_open` is not sticky: a crash should not leave a lane open for free.
   */
  #restoreStickyMode(): void {
    const last = this.#store.meta.get('mode');
    if (last === undefined || !STICKY_MODES.has(last as GateMode)) return;
    // Without a config only emergency_open outranks the no-config lock (locked is what the gate does anyway).
    if (!this.#active && last !== 'emergency_open') return;
    this.#mode = last as GateMode;
    this.#log.warn({ mode: last }, 'restored the mode the gate was in before it restarted');
  }

  get status(): GateStatus {
    return {
      mode: this.#mode,
      denyUnauthorized: this.#denyUnauthorized,
      configVersion: this.#active?.config.version ?? null,
      since: this.#since,
      degraded: [...this.#degraded, ...[...this.#stuckDirections()].map((d) => `passage.${d}`)].sort(),
    };
  }

  /**
   * The devices the lane runs without: startGateHardware's list at start, then whatever restartDegraded leaves.
   * A degraded LED is not written to and a degraded voice not asked to speak (each call would only fail and log a
   * warning per scan); a degraded recycler counts as no recycler, so cards are neither swallowed nor ejected. An
   * LED that comes back shows the current mode's idle text at once.
   */
  setDegraded(list: readonly Pick<DegradedDevice, 'role'>[]): void {
    const next = new Set(list.map((d) => d.role));
    if (next.size === this.#degraded.size && [...next].every((role) => this.#degraded.has(role))) return;
    const ledBack = this.#degraded.has('led') && !next.has('led');
    this.#degraded = next;
    if (ledBack && this.#started) this.#showIdle(this.#mode);
    this.emit('state', this.status);
  }

  get config(): GateConfig | null {
    return this.#active?.config ?? null;
  }

  /** Listens to the (already started) hardware and sets the outputs for the current mode. */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    const hw = this.#hw;
    hw.scanner.on('line', this.#onLine);
    hw.cardReader.on('card', this.#onCard);
    hw.cardReader.on('readError', this.#onReadError);
    for (const device of this.#devices()) device.on('fault', this.#onFault);
    hw.passage.on('fault', this.#onPassageFault);
    hw.passage.on('faultCleared', this.#onPassageFaultCleared);
    hw.recycler?.on('cardIn', this.#onCardIn);
    // The stored config's volume, before the first announcement; the driver's own default until a config exists.
    if (this.#active) this.#setVolume(this.#active.config.voiceVolume);
    this.#store.meta.set('mode', this.#mode);
    await this.#applyOutputs();
    if (this.#mode === 'emergency_open') this.#say(EMERGENCY_VOICE[this.#voiceLanguage()]);
  }

  /** Stops taking scans; the scan being handled (a person walking through) finishes first. */
  async stop(): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    const hw = this.#hw;
    hw.scanner.off('line', this.#onLine);
    hw.cardReader.off('card', this.#onCard);
    hw.cardReader.off('readError', this.#onReadError);
    for (const device of this.#devices()) device.off('fault', this.#onFault);
    hw.passage.off('fault', this.#onPassageFault);
    hw.passage.off('faultCleared', this.#onPassageFaultCleared);
    hw.recycler?.off('cardIn', this.#onCardIn);
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
    if (this.#active && config.version <= this.#active.config.version) return false;
    const active = new ActiveConfig(config, this.#siteId);
    const first = this.#active === null;
    this.#active = active;
    this.#store.saveConfig(config);
    this.#setVolume(config.voiceVolume);
    this.#denyUnauthorized = config.denyUnauthorized;
    this.#store.meta.set('deny_unauthorized', String(this.#denyUnauthorized));
    if (first && this.#mode !== 'emergency_open') await this.#enterMode(config.defaultMode);
    else this.emit('state', this.status);
    return true;
  }

  /**
   * Switches the mode (a command). Without a config only emergency_open and locked make sense: a gate that does
   * not know its rules stays locked, but nobody may ever be kept from evacuating.
   */
  async setMode(mode: GateMode): Promise<{ ok: true } | { ok: false; reason: string }> {
    if (!this.#active && mode !== 'emergency_open' && mode !== 'locked') {
      return { ok: false, reason: 'no gate config yet: the gate stays locked' };
    }
    if (mode !== this.#mode) await this.#enterMode(mode);
    return { ok: true };
  }

  setDenyUnauthorized(on: boolean): void {
    if (on === this.#denyUnauthorized) return;
    this.#denyUnauthorized = on;
    this.#store.meta.set('deny_unauthorized', String(on));
    this.emit('state', this.status);
  }

  async #enterMode(mode: GateMode): Promise<void> {
    this.#mode = mode;
    this.#since = this.#now();
    this.#store.meta.set('mode', mode);
    this.#log.info({ mode }, 'gate mode changed');
    await this.#applyOutputs();
    if (mode === 'emergency_open') this.#say(EMERGENCY_VOICE[this.#voiceLanguage()]);
    if (RETURN_CARD_MODES.has(mode)) await this.#returnCard();
    this.emit('state', this.status);
  }

  /** Holds the turnstile released in always-open (the configured directions) and emergency-open (both ways). */
  async #applyOutputs(): Promise<void> {
    const mode = this.#mode;
    const direction = this.#active?.gate.direction ?? 'both';
    const entry = mode === 'emergency_open' || (mode === 'always_open' && direction !== 'out');
    const exit = mode === 'emergency_open' || (mode === 'always_open' && direction !== 'in');
    const { relays } = this.#hw;
    await Promise.all([this.#setRelay(relays.entry, entry), this.#setRelay(relays.exit, exit)]);
    this.#showIdle(mode);
  }

  #showIdle(mode: GateMode): void {
    if (mode === 'normal' && this.#laneStuck()) {
      this.#show(reasonTexts('OUT_OF_SERVICE').led[this.#ledLanguage()], 'red');
      return;
    }
    this.#show(idleLed(mode, this.#ledLanguage()), mode === 'emergency_open' ? 'red' : 'yellow');
  }

  /** The recycler, unless there is none or it is degraded (then the lane works as one without a recycler). */
  #recycler(): CardRecycler | undefined {
    return this.#degraded.has('recycler') ? undefined : this.#hw.recycler;
  }

  async #setRelay(relay: RelayOutput, on: boolean): Promise<void> {
    try {
      await relay.set(on);
    } catch (err) {
      this.#log.error({ err, on }, 'relay could not be switched');
    }
  }

  readonly #onLine = (text: string) => {
    if (
      !this.#queue.push(() =>
        this.#handle(() => resolveScan(text, this.#keyring(), this.#store.whitelist, this.#now())),
      )
    ) {
      this.#log.warn({}, 'scan dropped: the lane is busy');
    }
  };

  readonly #onCard = (read: CardRead) => {
    if (!this.#queue.push(() => this.#handle(() => resolveCard(read.uid, this.#store.whitelist)))) {
      this.#log.warn({}, 'card read dropped: the lane is busy');
    }
  };

  readonly #onReadError = (error: DriverError) => {
    this.#log.info({ code: error.code }, 'card read failed; asking to tap again');
    const text = CARD_RETRY[this.#ledLanguage()];
    this.#show(text.led, 'yellow');
    this.#say(CARD_RETRY[this.#voiceLanguage()].voice);
    // A card that cannot be read is never swallowed: the visitor gets it back to try again or ask staff.
    void this.#returnCard();
  };

  readonly #onCardIn = () => {
    this.#cardReturned = false;
    // Open, emergency and shut modes never judge a card, so nothing would ever hand it back.
    if (RETURN_CARD_MODES.has(this.#mode)) void this.#returnCard();
  };

  /** Ejects the card in the recycler slot once; a no-op without a recycler or a card. */
  async #returnCard(): Promise<void> {
    const recycler = this.#recycler();
    if (!recycler?.cardPresent || this.#cardReturned) return;
    this.#cardReturned = true;
    await recycler.eject().catch((err) => this.#log.error({ err }, 'card recycler failed to eject'));
  }

  readonly #onFault = (error: DriverError) => {
    this.#log.warn({ code: error.code, err: error.message }, 'device fault');
  };

  /**
   * A stuck passage input means no passage that way can be confirmed: every admit would end in NO_PASSAGE while
   * the arm may in fact be free to turn. So the lane refuses scans that way, says so on the LED, and raises the
   * alarm for staff until the input is released.
   */
  readonly #onPassageFault = (error: DriverError) => {
    if (error.code !== 'PASSAGE_INPUT_STUCK' || this.#stuck.has(error)) return;
    // A driver that does not say which way is taken as blocking both: refusing is safe, admitting blind is not.
    const directions: PassageDirection[] =
      error instanceof PassageInputStuckError ? [error.direction] : ['in', 'out'];
    this.#stuck.set(error, directions);
    this.#log.error({ directions, err: error.message }, 'passage input stuck; lane out of service that way');
    this.#stuckChanged();
  };

  readonly #onPassageFaultCleared = (error: DriverError) => {
    if (!this.#stuck.delete(error)) return;
    this.#log.info({ err: error.message }, 'passage input released; lane back in service');
    this.#stuckChanged();
  };

  #stuckDirections(): Set<PassageDirection> {
    return new Set([...this.#stuck.values()].flat());
  }

  /** The input for the way this lane admits is stuck. */
  #laneStuck(): boolean {
    return this.#stuckDirections().has(this.#direction);
  }

  #stuckChanged(): void {
    void this.#setRelay(this.#hw.relays.alarm, this.#stuck.size > 0);
    this.#showIdle(this.#mode);
    this.emit('state', this.status);
  }

  #devices() {
    const hw = this.#hw;
    const list = [
      hw.scanner,
      hw.cardReader,
      hw.relays.entry,
      hw.relays.exit,
      hw.passage,
      hw.led,
      hw.voice,
    ] as const;
    return hw.recycler ? [...list, hw.recycler] : [...list];
  }

  #keyring() {
    return this.#active?.keyring ?? { publicKey: () => undefined };
  }

  /** One scan, start to end. Never throws: a failure is logged and the lane goes on. */
  async #handle(resolve: () => Resolved): Promise<void> {
    this.counters.scans++;
    try {
      const outcome = await this.#decideAndAct(resolve());
      this.#log.info(outcome, outcome.admit ? 'scan admitted' : 'scan refused');
      this.emit('outcome', outcome);
    } catch (err) {
      this.#log.error({ err }, 'scan handling failed');
    }
  }

  async #decideAndAct(resolved: Resolved): Promise<ScanOutcome> {
    const mode = this.#active ? this.#mode : this.#mode === 'emergency_open' ? 'emergency_open' : 'locked';
    const ticketId = resolved.ok ? (resolved.record?.ticketId ?? null) : resolved.ticketId;
    if (mode === 'locked' || mode === 'always_closed') {
      return this.#deny(resolved, ticketId, mode === 'locked' ? 'GATE_LOCKED' : 'GATE_CLOSED');
    }
    if (mode === 'always_open' || mode === 'emergency_open') {
      // The turnstile is held open: nobody needs a credential, and nothing is counted.
      this.#show(idleLed(mode, this.#ledLanguage()), mode === 'emergency_open' ? 'red' : 'green');
      if (resolved.kind === 'card') await this.#returnCard();
      return outcome(true, 'OK', resolved.kind, ticketId, null, null, true, null);
    }
    if (this.#laneStuck()) return this.#deny(resolved, ticketId, 'OUT_OF_SERVICE');
    if (!resolved.ok) {
      this.#log.info({ reason: resolved.reason, detail: resolved.detail }, 'scan not a valid credential');
      return this.#deny(resolved, ticketId, resolved.reason);
    }
    const active = this.#active!;
    const record = resolved.record;
    const rules = record ? (active.rules.get(record.typeId) ?? null) : null;
    const direction = this.#direction;
    let decision: Decision;
    let decidedOffline = true;
    let correlationId: string | null = null;
    let effective: CredentialRecord | null = record;
    if (record) {
      effective = {
        ...record,
        entriesUsed: record.entriesUsed + this.#store.passages.pendingEntries(record.ticketId),
      };
    }
    const answer =
      effective && rules && this.#asksCloud(effective, rules, direction)
        ? await this.#askCloud(resolved.ref, direction)
        : null;
    if (answer) {
      decidedOffline = false;
      correlationId = answer.correlationId;
      if (answer.record) {
        this.#store.whitelist.refreshRecord(answer.record);
        effective = answer.record;
      }
      decision = cloudDecision(answer, effective, rules, direction);
    } else {
      decision = decide({
        record: effective,
        rules,
        gate: active.gate,
        direction,
        now: this.#now(),
        clock: active.clock,
        recent: effective ? this.#store.passages.recent(effective.ticketId, this.#now()) : [],
      });
    }
    if (!decision.admit) {
      if (UNAUTHORIZED.has(decision.reason)) {
        if (this.#denyUnauthorized) return this.#deny(resolved, ticketId, 'UNAUTHORIZED_DENIED');
        // Not refused outright: the LED names the ticket type and staff decide whether to let the visitor in.
        const texts = reasonTexts(decision.reason);
        const led = staffCheckLed(rules?.name ?? null, this.#ledLanguage());
        return this.#deny(resolved, ticketId, decision.reason, {
          led,
          voice: texts.voice[this.#voiceLanguage()],
        });
      }
      return this.#deny(resolved, ticketId, decision.reason, undefined, decision.entriesLeft);
    }
    return this.#admit(resolved, effective!, decision, decidedOffline, correlationId);
  }

  #asksCloud(record: CredentialRecord, rules: TicketTypeRules, direction: Direction): boolean {
    const online = this.#active?.config.onlineValidation;
    if (!this.#online || !online?.enabled) return false;
    if (direction === 'out' && rules.exitFree) return false;
    return (
      record.entriesTotal !== null ||
      rules.entriesPerDay !== null ||
      rules.antiPassbackSec > 0 ||
      rules.strictAlternation
    );
  }

  async #askCloud(ref: CredentialRef, direction: Direction): Promise<ValidateResponse | null> {
    const deadlineMs = this.#active!.config.onlineValidation.deadlineMs;
    try {
      return await this.#online!.validate(ref, direction, deadlineMs);
    } catch (err) {
      this.#log.warn({ err }, 'online validation failed; deciding locally');
      return null;
    }
  }

  async #admit(
    resolved: Extract<Resolved, { ok: true }>,
    record: CredentialRecord,
    decision: Decision,
    decidedOffline: boolean,
    correlationId: string | null,
  ): Promise<ScanOutcome> {
    const active = this.#active!;
    const direction = this.#direction;
    const relay = direction === 'in' ? this.#hw.relays.entry : this.#hw.relays.exit;
    relay
      .pulse(this.#relayPulseMs ?? active.config.relayPulseMs)
      .catch((err) => this.#log.error({ err }, 'relay pulse failed'));
    this.#announce(decision, 'green');
    const recycler = this.#recycler();
    const swallow = direction === 'out' && resolved.kind === 'card' && record.entriesTotal === 1;
    // A reusable card (member, count, period) goes back before the visitor walks, or it would stay in the slot.
    if (resolved.kind === 'card' && !swallow) await this.#returnCard();
    const passage = await waitForPassage(this.#hw.passage, {
      timeoutMs: this.#passageTimeoutMs ?? active.config.passageTimeoutMs,
      direction,
    });
    if (!passage) {
      this.#log.info({ ticketId: record.ticketId }, 'admitted but nobody passed');
      return this.#deny(resolved, record.ticketId, 'NO_PASSAGE', undefined, decision.entriesLeft, true);
    }
    this.#store.recordPassage(
      {
        type: 'passage',
        v: 1,
        eventId: randomUUID(),
        gateId: this.#gateId,
        at: passage.at,
        ticketId: record.ticketId,
        credentialKind: resolved.kind,
        direction,
        persons: decision.persons,
        entriesLeft: decision.entriesLeft,
        decidedOffline,
        correlationId,
      },
      { consumesEntry: direction === 'in' && record.entriesTotal !== null },
    );
    this.counters.admits++;
    this.emit('event');
    if (recycler?.cardPresent && swallow && !this.#cardReturned) {
      // A single-use card has done its job once its holder is out: keep it for reissue.
      await recycler.swallow().catch((err) => this.#log.error({ err }, 'card recycler failed to swallow'));
    }
    return outcome(
      true,
      'OK',
      resolved.kind,
      record.ticketId,
      true,
      decision.entriesLeft,
      decidedOffline,
      correlationId,
    );
  }

  async #deny(
    resolved: Resolved,
    ticketId: number | null,
    reason: DecisionReason,
    texts?: { led: LedLines; voice: string },
    entriesLeft: number | null = null,
    admitted = false,
  ): Promise<ScanOutcome> {
    const fixed = reasonTexts(reason);
    const shown = texts ?? { led: fixed.led[this.#ledLanguage()], voice: fixed.voice[this.#voiceLanguage()] };
    this.#show(shown.led, 'red');
    this.#say(shown.voice);
    this.counters.denies++;
    if (reason !== 'OK') {
      this.#store.recordDenial({
        type: 'denial',
        v: 1,
        eventId: randomUUID(),
        gateId: this.#gateId,
        at: this.#now(),
        direction: this.#direction,
        reason,
        credentialKind: resolved.kind,
        ticketId,
        codeHash: resolved.codeHash,
      });
      this.emit('event');
    }
    if (resolved.kind === 'card') await this.#returnCard();
    return outcome(false, reason, resolved.kind, ticketId, admitted ? false : null, entriesLeft, true, null);
  }

  #announce(decision: Decision, colour: LedColour): void {
    this.#show(decision.led[this.#ledLanguage()], colour);
    this.#say(decision.voice[this.#voiceLanguage()]);
  }

  #show(lines: LedLines, colour: LedColour): void {
    if (this.#degraded.has('led')) return;
    this.#hw.led.show({ lines, colour }).catch((err) => this.#log.warn({ err }, 'LED update failed'));
  }

  /** Never throws: the schema keeps voiceVolume within 0–100, and a voice that refuses it must not stop a config. */
  #setVolume(volume: number): void {
    try {
      this.#hw.voice.setVolume(volume);
    } catch (err) {
      this.#log.warn({ err, volume }, 'voice volume not applied');
    }
  }

  #say(text: string): void {
    if (!this.#voice || text === '' || this.#degraded.has('voice')) return;
    const lang = this.#voiceLanguage() === 'zh' ? 'zh-CN' : 'en';
    this.#hw.voice.announce(text, lang).catch((err) => this.#log.warn({ err }, 'announcement failed'));
  }

  #ledLanguage(): Language {
    return this.#active?.config.ledLanguage ?? 'zh';
  }

  #voiceLanguage(): Language {
    return this.#active?.config.voiceLanguage ?? 'zh';
  }
}

/** The cloud's online answer as a Decision, with the same LED and voice texts a local decision would have. */
function cloudDecision(
  answer: ValidateResponse,
  record: CredentialRecord | null,
  rules: TicketTypeRules | null,
  direction: Direction,
): Decision {
  if (answer.decision === 'deny') {
    const texts = reasonTexts(answer.reason);
    return { admit: false, reason: answer.reason, entriesLeft: answer.entriesLeft, persons: 0, ...texts };
  }
  const persons = record?.persons ?? 1;
  const total = record?.entriesTotal ?? null;
  const countLeft = total !== null && total > 1 && answer.entriesLeft !== null ? answer.entriesLeft : -1;
  const texts: GateTexts = rules ? admitTexts(rules, direction, countLeft, persons) : reasonTexts('OK');
  return {
    admit: true,
    reason: 'OK',
    entriesLeft: answer.entriesLeft,
    persons,
    led: texts.led,
    voice: texts.voice,
  };
}

function outcome(
  admit: boolean,
  reason: DecisionReason,
  kind: CredentialKind | null,
  ticketId: number | null,
  passed: boolean | null,
  entriesLeft: number | null,
  decidedOffline: boolean,
  correlationId: string | null,
): ScanOutcome {
  return { admit, reason, kind, ticketId, passed, entriesLeft, decidedOffline, correlationId };
}
