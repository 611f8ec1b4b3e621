/**
 * Test doubles of the driver ports, for the agent's own tests and bench: every device of a lane in memory, driven
 * by hand (scan, tap, pass, jam, insert a card) and remembering what the core asked of it (pulses, LED content,
 * spoken text, recycler actions). They keep the port contracts the core relies on — NOT_STARTED before start(),
 * passages only while running, `faultCleared` with the very error of the stuck fault — and nothing more: the
 * simulators package has the faithful twins (a register-level MFRC522, display geometry, voice timing and queueing).
 */
import { Emitter } from './emitter.js';
import { DriverError, type DriverErrorCode } from './errors.js';
import {
  type Announcement,
  type CardReader,
  type CardReaderEvents,
  type CardRecycler,
  type CardRecyclerEvents,
  type CodeScanner,
  type CodeScannerEvents,
  checkVoiceVolume,
  type GateHardware,
  type LedContent,
  type LedDisplay,
  type LedDisplayEvents,
  type PassageDirection,
  PassageInputStuckError,
  type PassageSensor,
  type PassageSensorEvents,
  type RelayEvents,
  type RelayOutput,
  type Voice,
  type VoiceEvents,
  type VoiceLang,
} from './interfaces.js';
import { fitLedText } from './led/led-frame.js';
import { relayPulseLength } from './relay-pulse.js';
import { LineSplitter } from './scanner/line-splitter.js';

/** Start/stop bookkeeping shared by the fakes. */
class FakeDevice<E extends Record<string, unknown[]>> extends Emitter<E> {
  protected running = false;

  constructor(protected readonly label: string) {
    super();
  }

  async start(): Promise<void> {
    this.running = true;
  }

  async stop(): Promise<void> {
    this.running = false;
  }

  protected check(): void {
    if (!this.running) throw new DriverError('NOT_STARTED', `${this.label} is not started`);
  }
}

/** scan() types a code with its terminator; feed() sends raw bytes through the real line rules. */
export class FakeScanner extends FakeDevice<CodeScannerEvents> implements CodeScanner {
  readonly #splitter = new LineSplitter({ maxLength: 1024 });

  constructor() {
    super('fake scanner');
  }

  scan(code: string): void {
    this.feed(Buffer.from(`${code}\r\n`, 'utf8'));
  }

  feed(bytes: Uint8Array): void {
    this.check();
    for (const result of this.#splitter.push(bytes)) {
      if ('line' in result) this.emit('line', result.line);
      else this.emit('fault', result.error);
    }
  }
}

/** tap() reports a card once until lift(); failRead() is a read that broke off mid-way. */
export class FakeCardReader extends FakeDevice<CardReaderEvents> implements CardReader {
  #held: string | null = null;

  constructor() {
    super('fake card reader');
  }

  tap(uid: string): void {
    const read = uid.toUpperCase();
    if (!this.running || this.#held === read) return;
    this.lift();
    this.#held = read;
    this.emit('card', { uid: read, sak: 0x08 });
  }

  lift(): void {
    const held = this.#held;
    this.#held = null;
    if (held !== null) this.emit('removed', held);
  }

  failRead(code: DriverErrorCode = 'CARD_PROTOCOL'): void {
    this.emit('readError', new DriverError(code, 'card read broke off'));
  }
}

export interface FakePulse {
  /** The length delivered (raised to the floor as the GPIO relay does). */
  readonly ms: number;
  readonly requestedMs: number;
  readonly at: number;
}

/** The relay events plus `released`: the arm was freed for one visitor (what a fake passage sensor watches). */
export type FakeRelayEvents = RelayEvents & { released: [] };

export class FakeRelay extends FakeDevice<FakeRelayEvents> implements RelayOutput {
  readonly pulses: FakePulse[] = [];
  #state = false;
  #timer: NodeJS.Timeout | undefined;
  #ended: (() => void)[] = [];

  constructor(readonly name: string) {
    super(`${name} relay`);
  }

  get state(): boolean {
    return this.#state;
  }

  override async stop(): Promise<void> {
    if (this.running) await this.set(false);
    await super.stop();
  }

  async set(on: boolean): Promise<void> {
    this.check();
    clearTimeout(this.#timer);
    const released = on && !this.#state;
    this.#drive(on);
    this.#endPulses();
    if (released) this.emit('released');
  }

  async pulse(requestedMs: number): Promise<void> {
    this.check();
    const { ms } = relayPulseLength(this.name, requestedMs);
    this.pulses.push({ ms, requestedMs, at: Date.now() });
    const ended = new Promise<void>((resolve) => this.#ended.push(resolve));
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#drive(false);
      this.#endPulses();
    }, ms);
    this.#drive(true);
    this.emit('released');
    return ended;
  }

  #drive(on: boolean): void {
    if (this.#state === on) return;
    this.#state = on;
    this.emit('change', on);
  }

  #endPulses(): void {
    for (const resolve of this.#ended.splice(0)) resolve();
  }
}

/** pass() is a person walking through; with `autoPass` one walks through after every release of a relay. */
export class FakePassageSensor extends FakeDevice<PassageSensorEvents> implements PassageSensor {
  readonly #jammed = new Map<PassageDirection, DriverError>();
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(autoPass?: { readonly entry: FakeRelay; readonly exit: FakeRelay; readonly afterMs: number }) {
    super('fake passage sensor');
    if (autoPass) {
      autoPass.entry.on('released', () => this.#later('in', autoPass.afterMs));
      autoPass.exit.on('released', () => this.#later('out', autoPass.afterMs));
    }
  }

  override async stop(): Promise<void> {
    await super.stop();
    this.#jammed.clear();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  pass(direction: PassageDirection): void {
    if (this.running && !this.#jammed.has(direction)) this.emit('passage', { direction, at: Date.now() });
  }

  /** That way's input sticks active: one PASSAGE_INPUT_STUCK fault, no passages that way until unjam(). */
  jam(direction: PassageDirection): void {
    if (!this.running || this.#jammed.has(direction)) return;
    const error = new PassageInputStuckError(direction, `passage ${direction} input stuck active`);
    this.#jammed.set(direction, error);
    this.emit('fault', error);
  }

  unjam(direction: PassageDirection): void {
    const error = this.#jammed.get(direction);
    if (!error) return;
    this.#jammed.delete(direction);
    this.emit('faultCleared', error);
  }

  #later(direction: PassageDirection, ms: number): void {
    if (!this.running) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.pass(direction);
    }, ms);
    this.#timers.add(timer);
  }
}

/** Keeps the lines it was asked to show, cut as a two-line, 16-byte GB2312 display cuts them. */
export class FakeLed extends FakeDevice<LedDisplayEvents> implements LedDisplay {
  #content: Required<LedContent> = { lines: [], colour: 'green' };

  constructor() {
    super('fake LED');
  }

  get content(): Required<LedContent> {
    return this.#content;
  }

  async show(content: LedContent): Promise<void> {
    this.check();
    if (content.lines.length > 2) throw new DriverError('LED_TOO_MANY_LINES', 'the fake LED has 2 lines');
    const lines = content.lines.map((line) => fitLedText(line, { charset: 'gb2312', widthBytes: 16 }).text);
    this.#content = { lines, colour: content.colour ?? 'green' };
    this.emit('shown', this.#content);
  }

  async clear(): Promise<void> {
    this.check();
    this.#content = { lines: [], colour: 'green' };
    this.emit('shown', this.#content);
  }
}

export interface FakeSpoken extends Announcement {
  readonly volume: number;
}

/** Writes instead of speaking, on the next turn of the event loop (announce() only queues, as on a gate). */
export class FakeVoice extends FakeDevice<VoiceEvents> implements Voice {
  readonly log: FakeSpoken[] = [];
  #volume = 50;

  constructor() {
    super('fake voice');
  }

  get volume(): number {
    return this.#volume;
  }

  /** The log as text, one "[lang] text" line per announcement. */
  get transcript(): string {
    return this.log.map((a) => `[${a.lang}] ${a.text}`).join('\n');
  }

  setVolume(volume: number): void {
    this.#volume = checkVoiceVolume(volume);
  }

  async announce(text: string, lang: VoiceLang): Promise<void> {
    if (text.trim() === '') throw new DriverError('VOICE_TEXT_INVALID', 'nothing to say');
    this.check();
    const volume = this.#volume;
    setTimeout(() => {
      if (!this.running) return;
      this.log.push({ text, lang, volume });
      this.emit('spoken', { text, lang });
    }, 0);
  }
}

/** insertCard() drops a card in the slot; swallow() keeps it, eject() hands it back until takeCard(). */
export class FakeRecycler extends FakeDevice<CardRecyclerEvents> implements CardRecycler {
  readonly actions: ('swallow' | 'eject')[] = [];
  binCount = 0;
  #present = false;

  constructor() {
    super('fake recycler');
  }

  get cardPresent(): boolean {
    return this.#present;
  }

  insertCard(): void {
    this.#setPresent(true);
  }

  takeCard(): void {
    this.#setPresent(false);
  }

  async swallow(): Promise<void> {
    this.check();
    this.actions.push('swallow');
    if (this.#present) this.binCount++;
    this.#setPresent(false);
  }

  async eject(): Promise<void> {
    this.check();
    this.actions.push('eject');
  }

  #setPresent(present: boolean): void {
    if (present === this.#present) return;
    this.#present = present;
    if (this.running) this.emit(present ? 'cardIn' : 'cardGone');
  }
}

/** One lane of fakes, typed so a test can drive them; `hardware` is what the agent gets. */
export interface FakeHardware {
  readonly hardware: GateHardware;
  readonly scanner: FakeScanner;
  readonly cardReader: FakeCardReader;
  readonly relays: { readonly entry: FakeRelay; readonly exit: FakeRelay; readonly alarm: FakeRelay };
  readonly passage: FakePassageSensor;
  readonly led: FakeLed;
  readonly voice: FakeVoice;
  readonly recycler: FakeRecycler | undefined;
}

export interface FakeHardwareOptions {
  /** A visitor walks through this long after each release; leave out to call passage.pass() by hand. */
  readonly autoPassAfterMs?: number;
  /** Include a card recycler. Default true. */
  readonly recycler?: boolean;
}

export function fakeHardware(options: FakeHardwareOptions = {}): FakeHardware {
  const relays = {
    entry: new FakeRelay('entry'),
    exit: new FakeRelay('exit'),
    alarm: new FakeRelay('alarm'),
  };
  const passage = new FakePassageSensor(
    options.autoPassAfterMs === undefined ? undefined : { ...relays, afterMs: options.autoPassAfterMs },
  );
  const scanner = new FakeScanner();
  const cardReader = new FakeCardReader();
  const led = new FakeLed();
  const voice = new FakeVoice();
  const recycler = options.recycler === false ? undefined : new FakeRecycler();
  const hardware: GateHardware = {
    scanner,
    cardReader,
    relays,
    passage,
    led,
    voice,
    ...(recycler ? { recycler } : {}),
  };
  return { hardware, scanner, cardReader, relays, passage, led, voice, recycler };
}
