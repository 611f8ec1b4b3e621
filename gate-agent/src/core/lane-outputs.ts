import {
  type Direction,
  type GateConfig,
  type GateMode,
  type GateTexts,
  type Language,
  type LedLines,
  reasonTexts,
} from '@scenic/protocol';
import {
  type CardRecycler,
  type DegradedDevice,
  type DriverError,
  type GateDeviceRole,
  type GateHardware,
  type LedColour,
  type PassageDirection,
  PassageInputStuckError,
  type RelayOutput,
} from '../drivers/index.js';
import { returnsCards } from './gate-modes.js';
import { CARD_RETRY, idleLed } from './mode-texts.js';
import type { Log } from './ports.js';

export interface LaneOutputsOptions {
  readonly hardware: GateHardware;
  readonly log: Log;
  /** Speak announcements (LED texts are always shown). */
  readonly voice: boolean;
  /** The way this lane admits: a stuck passage input that way takes the lane out of service. */
  readonly scanDirection: Direction;
  /** The config in force, for the LED and voice languages (Chinese before the first one). */
  readonly config: () => GateConfig | null;
  /** The current mode: its idle text is what the LED goes back to, and some modes hand every card back. */
  readonly mode: () => GateMode;
  /** A stuck passage input appeared or was released (the core reports its state). */
  readonly onStuckChange: () => void;
}

/**
 * What the lane shows and does for the visitor: LED and voice in the config's languages, the turnstile relays, the
 * card recycler's policy (hand a card back once, keep only what the scan path swallows), the alarm for a stuck
 * passage input — all around the devices that are degraded, which it leaves alone.
 */
export class LaneOutputs {
  readonly #hw: GateHardware;
  readonly #log: Log;
  readonly #voice: boolean;
  readonly #direction: Direction;
  readonly #config: () => GateConfig | null;
  readonly #mode: () => GateMode;
  readonly #onStuckChange: () => void;
  /** Non-essential devices that could not be started (setDegraded); the lane works around them. */
  #degraded: ReadonlySet<GateDeviceRole> = new Set();
  /** Active PASSAGE_INPUT_STUCK faults and the directions each one blocks, until its faultCleared. */
  readonly #stuck = new Map<DriverError, readonly PassageDirection[]>();
  /** The card now in the recycler slot has already been handed back (one eject per card). */
  #cardReturned = false;

  constructor(options: LaneOutputsOptions) {
    this.#hw = options.hardware;
    this.#log = options.log;
    this.#voice = options.voice;
    this.#direction = options.scanDirection;
    this.#config = options.config;
    this.#mode = options.mode;
    this.#onStuckChange = options.onStuckChange;
  }

  /** Listens to device faults, stuck passage inputs, failed card reads and cards dropped in the recycler. */
  listen(): void {
    const hw = this.#hw;
    hw.cardReader.on('readError', this.#onReadError);
    for (const device of this.#devices()) device.on('fault', this.#onFault);
    hw.passage.on('fault', this.#onPassageFault);
    hw.passage.on('faultCleared', this.#onPassageFaultCleared);
    hw.recycler?.on('cardIn', this.#onCardIn);
  }

  unlisten(): void {
    const hw = this.#hw;
    hw.cardReader.off('readError', this.#onReadError);
    for (const device of this.#devices()) device.off('fault', this.#onFault);
    hw.passage.off('fault', this.#onPassageFault);
    hw.passage.off('faultCleared', this.#onPassageFaultCleared);
    hw.recycler?.off('cardIn', this.#onCardIn);
  }

  /**
   * What the lane runs without, sorted: device roles as in GateHardware and stuck passage inputs ('passage.in',
   * 'passage.out').
   */
  degraded(): string[] {
    return [...this.#degraded, ...[...this.#stuckDirections()].map((d) => `passage.${d}`)].sort();
  }

  /**
   * Takes the list of degraded devices; false when it did not change. A degraded LED is not written to and a
   * degraded voice not asked to speak (each call would only fail and log a warning per scan); a degraded recycler
   * counts as no recycler. An LED that comes back shows the current idle text at once (when `redraw`).
   */
  setDegraded(list: readonly Pick<DegradedDevice, 'role'>[], redraw: boolean): boolean {
    const next = new Set(list.map((d) => d.role));
    if (next.size === this.#degraded.size && [...next].every((role) => this.#degraded.has(role)))
      return false;
    const ledBack = this.#degraded.has('led') && !next.has('led');
    this.#degraded = next;
    if (ledBack && redraw) this.showIdle();
    return true;
  }

  /** The input for the way this lane admits is stuck. */
  laneStuck(): boolean {
    return this.#stuckDirections().has(this.#direction);
  }

  /** Sets the entry and exit relays (held released or locked), then the mode's idle text. */
  async hold(released: { readonly entry: boolean; readonly exit: boolean }): Promise<void> {
    const { relays } = this.#hw;
    await Promise.all([
      this.#setRelay(relays.entry, released.entry),
      this.#setRelay(relays.exit, released.exit),
    ]);
    this.showIdle();
  }

  /** Frees the turnstile for one person in the lane's direction. */
  release(ms: number): void {
    const relay = this.#direction === 'in' ? this.#hw.relays.entry : this.#hw.relays.exit;
    relay.pulse(ms).catch((err) => this.#log.error({ err }, 'relay pulse failed'));
  }

  showIdle(): void {
    const mode = this.#mode();
    if (mode === 'normal' && this.laneStuck()) {
      this.show(reasonTexts('OUT_OF_SERVICE').led[this.ledLanguage()], 'red');
      return;
    }
    this.show(idleLed(mode, this.ledLanguage()), mode === 'emergency_open' ? 'red' : 'yellow');
  }

  /** The texts in the config's LED and voice languages. */
  announce(texts: GateTexts, colour: LedColour): void {
    this.show(texts.led[this.ledLanguage()], colour);
    this.say(texts.voice[this.voiceLanguage()]);
  }

  show(lines: LedLines, colour: LedColour): void {
    if (this.#degraded.has('led')) return;
    this.#hw.led.show({ lines, colour }).catch((err) => this.#log.warn({ err }, 'LED update failed'));
  }

  say(text: string): void {
    if (!this.#voice || text === '' || this.#degraded.has('voice')) return;
    const lang = this.voiceLanguage() === 'zh' ? 'zh-CN' : 'en';
    this.#hw.voice.announce(text, lang).catch((err) => this.#log.warn({ err }, 'announcement failed'));
  }

  /** Never throws: the schema keeps voiceVolume within 0–100, and a voice that refuses it must not stop a config. */
  setVolume(volume: number): void {
    try {
      this.#hw.voice.setVolume(volume);
    } catch (err) {
      this.#log.warn({ err, volume }, 'voice volume not applied');
    }
  }

  ledLanguage(): Language {
    return this.#config()?.ledLanguage ?? 'zh';
  }

  voiceLanguage(): Language {
    return this.#config()?.voiceLanguage ?? 'zh';
  }

  /** Ejects the card in the recycler slot once; a no-op without a recycler or a card. */
  async returnCard(): Promise<void> {
    const recycler = this.#recycler();
    if (!recycler?.cardPresent || this.#cardReturned) return;
    this.#cardReturned = true;
    await recycler.eject().catch((err) => this.#log.error({ err }, 'card recycler failed to eject'));
  }

  /** Whether keepCard() would keep the card now in the slot (a working recycler holds one not handed back). */
  willKeepCard(): boolean {
    return this.#recycler()?.cardPresent === true && !this.#cardReturned;
  }

  /** Keeps the card in the slot for reissue, unless it was handed back already. */
  async keepCard(): Promise<void> {
    const recycler = this.#recycler();
    if (!recycler?.cardPresent || this.#cardReturned) return;
    await recycler.swallow().catch((err) => this.#log.error({ err }, 'card recycler failed to swallow'));
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

  readonly #onReadError = (error: DriverError) => {
    this.#log.info({ code: error.code }, 'card read failed; asking to tap again');
    this.show(CARD_RETRY[this.ledLanguage()].led, 'yellow');
    this.say(CARD_RETRY[this.voiceLanguage()].voice);
    // A card that cannot be read is never swallowed: the visitor gets it back to try again or ask staff.
    void this.returnCard();
  };

  readonly #onCardIn = () => {
    this.#cardReturned = false;
    // Open, emergency and shut modes never judge a card, so nothing would ever hand it back.
    if (returnsCards(this.#mode())) void this.returnCard();
  };

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

  #stuckChanged(): void {
    void this.#setRelay(this.#hw.relays.alarm, this.#stuck.size > 0);
    this.showIdle();
    this.#onStuckChange();
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
}
