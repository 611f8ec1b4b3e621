/**
 * The ports the gate core uses to talk to turnstile hardware. Every real driver (gate-agent/src/drivers/<name>/)
 * and every virtual twin (simulators/src/drivers/) implements these, and the core depends on nothing else.
 *
 * Contract shared by all devices:
 * - start() acquires the hardware and resolves once events can flow; it rejects with a DriverError (typed code)
 *   only when the device cannot be acquired at all. Calling start() on a started device is a no-op.
 * - stop() releases the hardware, resolves once no further events will be emitted, never rejects, and may be
 *   called more than once (also on a device whose start() failed).
 * - Problems while running are never thrown at the core and never crash the process: they are emitted as
 *   `fault` (device-level: a cable, a bus) or as a device-specific event such as CardReader `readError`. Emitting
 *   with no listener is harmless (see emitter.ts).
 * - Nothing a driver does may block the relay path: methods return promptly and do slow work in the background.
 */
import type { Observable } from './emitter.js';
import { DriverError } from './errors.js';

export interface Device {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * `fault` reports a device-level problem. A driver that can tell a lasting condition has ended (a stuck input
 * released) emits `faultCleared` with the very DriverError object it emitted as `fault`, so a status view can
 * match the two; faults that are one-off events (a dropped line) are never cleared.
 */
export type FaultEvents = { fault: [error: DriverError]; faultCleared: [error: DriverError] };

/**
 * A barcode / QR scanner (serial, USB-CDC or keyboard wedge).
 * - `line` carries one scanned code: the text between terminators, decoded as UTF-8, without the terminator,
 *   never empty, never longer than the configured maximum, free of control characters.
 * - A line that breaks those rules is dropped whole and reported once as `fault` (LINE_TOO_LONG, LINE_NOT_TEXT);
 *   the next well-formed line is delivered normally.
 */
export type CodeScannerEvents = FaultEvents & { line: [text: string] };
export interface CodeScanner extends Device, Observable<CodeScannerEvents> {}

/** One successful card read. */
export interface CardRead {
  /** Upper-case hex of the complete UID (4, 7 or 10 bytes), no separators, e.g. "04A22B1C5D8000". */
  readonly uid: string;
  /** The SAK of the final cascade level (0x08 MIFARE Classic 1K, 0x00 Ultralight/NTAG, …). */
  readonly sak: number;
}

/**
 * An IC card (ISO/IEC 14443 type A) reader.
 * - `card` fires once when a card enters the field. While the same card stays in the field no further `card`
 *   event fires; after it has left (`removed`) a new placement fires `card` again. A different card fires `card`
 *   at once.
 * - A read that fails mid-way (timeout, collision, truncated or corrupt frame, bad BCC/CRC) emits `readError` with
 *   a CARD_* code: it never throws and never hangs the poll loop. The same error repeated on consecutive polls is
 *   reported once.
 * - `removed` fires when the card that produced the last `card` event is no longer answering.
 * - Bus-level trouble (the SPI transfer itself failing) is a `fault`.
 * - The UID is reported as read; whether it is acceptable (random IDs, …) is the core's decision.
 */
export type CardReaderEvents = FaultEvents & {
  card: [read: CardRead];
  removed: [uid: string];
  readError: [error: DriverError];
};
export interface CardReader extends Device, Observable<CardReaderEvents> {}

/**
 * One relay output (turnstile release for entry or exit, alarm).
 * - `state` is the logical state: true = energised, whatever the wiring polarity (active-low is the driver's job).
 * - pulse(ms) energises now and de-energises after `ms`; it resolves when the pulse has ended. A pulse while
 *   another runs restarts the off-timer (the relay stays on until the later end); set() cancels a running pulse.
 * - `change` fires on every logical state change, so a UI can animate the gate.
 */
export type RelayEvents = FaultEvents & { change: [on: boolean] };
export interface RelayOutput extends Device, Observable<RelayEvents> {
  readonly state: boolean;
  pulse(ms: number): Promise<void>;
  set(on: boolean): Promise<void>;
}

export interface GateRelays {
  readonly entry: RelayOutput;
  readonly exit: RelayOutput;
  readonly alarm: RelayOutput;
}

export type PassageDirection = 'in' | 'out';

export interface Passage {
  readonly direction: PassageDirection;
  /** Epoch milliseconds when the passage was detected. */
  readonly at: number;
}

/**
 * Detects a person actually passing the gate (tripod rotation, flap/swing beam pair).
 * - `passage` fires once per completed passage with its direction: on the input's inactive→active edge only. A
 *   level that stays active, or is reported active again without having been seen inactive (a glitch inside the
 *   pulse, a level-type output), is the same passage. An input already active at start() is no passage.
 * - An input that stays active longer than the sensor's stuck limit (default 10 s) emits `fault`
 *   PASSAGE_INPUT_STUCK once, as a PassageInputStuckError naming the direction; while it is stuck no passage in
 *   that direction can be seen. When it returns to inactive the sensor emits `faultCleared` with the same error,
 *   and the next active edge counts again.
 * - The core either listens, or waits for one with a timeout via waitForPassage() (wait-for-passage.ts), which
 *   every sensor supports through this event.
 */
export type PassageSensorEvents = FaultEvents & { passage: [passage: Passage] };

/**
 * The PASSAGE_INPUT_STUCK fault, naming the direction whose input is stuck: the core stops admitting that way
 * (it could never confirm the passage) and must know which way without parsing a message.
 */
export class PassageInputStuckError extends DriverError {
  constructor(
    readonly direction: PassageDirection,
    message: string,
  ) {
    super('PASSAGE_INPUT_STUCK', message);
  }
}
export interface PassageSensor extends Device, Observable<PassageSensorEvents> {}

/**
 * The card recycling unit: a slot with a card-in sensor, a gate that swallows the card into the bin, and a
 * return that ejects it to the visitor.
 * - `cardIn` fires when a card arrives in the slot, `cardGone` when the slot is empty again; `cardPresent` is the
 *   current sensor state.
 * - swallow() / eject() drive the mechanism and resolve when its actuation time has elapsed.
 */
export type CardRecyclerEvents = FaultEvents & { cardIn: []; cardGone: [] };
export interface CardRecycler extends Device, Observable<CardRecyclerEvents> {
  readonly cardPresent: boolean;
  swallow(): Promise<void>;
  eject(): Promise<void>;
}

export type LedColour = 'red' | 'green' | 'yellow';

export interface LedContent {
  /** One string per display line, top first. Lines the display cannot hold at all are an error. */
  readonly lines: readonly string[];
  /** Defaults to the display's configured colour. */
  readonly colour?: LedColour;
}

/**
 * The LED text display above the lane.
 * - show() replaces the whole display: lines not given are blanked. Text too wide for a line is cut at a
 *   character boundary (the display cannot scroll, and a cut name beats an empty screen); control characters are
 *   shown as spaces; characters the display's charset lacks are shown as "?". More lines than the display has
 *   reject with LED_TOO_MANY_LINES: that is a layout bug, not data.
 * - show()/clear() resolve when the content has been handed to the device.
 * - `content` is what the display now shows (after cutting), for UIs and tests.
 */
export type LedDisplayEvents = FaultEvents & { shown: [content: Required<LedContent>] };
export interface LedDisplay extends Device, Observable<LedDisplayEvents> {
  readonly content: Required<LedContent>;
  show(content: LedContent): Promise<void>;
  clear(): Promise<void>;
}

export type VoiceLang = 'zh-CN' | 'en';

export interface Announcement {
  readonly text: string;
  readonly lang: VoiceLang;
}

/**
 * Spoken announcements.
 * - announce() resolves as soon as the announcement is queued: it never waits for rendering or playback, so it
 *   can sit on the relay path. It rejects only for text that can never be spoken (VOICE_TEXT_INVALID: empty, too
 *   long, NUL characters).
 * - Announcements play one at a time in order, never overlapping. When the queue is full the oldest waiting one is
 *   dropped (`dropped`): stale greetings are worse than none.
 * - The text is speech, never a command: no shell, no markup interpretation.
 * - `spoken` fires after each announcement has played; render/playback failures are `fault`s and the queue goes on.
 * - setVolume(0–100) takes the gate config's `voiceVolume`; it applies to announcements not yet played, works
 *   before and after start(), and throws BAD_CONFIG outside 0–100. 0 is silence: announcements are still queued
 *   and reported `spoken`, but nothing is rendered or played. Until it is called a driver uses its own default.
 */
export type VoiceEvents = FaultEvents & { spoken: [a: Announcement]; dropped: [a: Announcement] };
export interface Voice extends Device, Observable<VoiceEvents> {
  announce(text: string, lang: VoiceLang): Promise<void>;
  setVolume(volume: number): void;
  readonly volume: number;
}

/** Checks a 0–100 volume (the gate config's `voiceVolume`) and rounds it to a whole number. */
export function checkVoiceVolume(volume: number): number {
  if (typeof volume !== 'number' || !Number.isFinite(volume) || volume < 0 || volume > 100) {
    throw new DriverError('BAD_CONFIG', `voice volume must be 0–100, got ${volume}`);
  }
  return Math.round(volume);
}

/**
 * Everything one gate controller drives. A gate without a recycling unit leaves `recycler` out.
 *
 * Essential and non-essential devices (startGateHardware in gate-hardware.ts): the relays, the passage sensor and
 * at least one of scanner / card reader are essential; if one cannot be started the gate does not start. The LED,
 * the voice, the recycler and the second reader are not: startGateHardware resolves with the list of those that
 * failed (DegradedDevice: role, device, error) and the lane runs without them. A degraded device stays stopped —
 * calls into it reject with NOT_STARTED — until restartDegraded() starts it.
 */
export interface GateHardware {
  readonly scanner: CodeScanner;
  readonly cardReader: CardReader;
  readonly relays: GateRelays;
  readonly passage: PassageSensor;
  readonly led: LedDisplay;
  readonly voice: Voice;
  readonly recycler?: CardRecycler;
}
