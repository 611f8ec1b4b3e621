import { Emitter } from '../emitter.js';
import { asDriverError, type DriverError, type DriverErrorCode } from '../errors.js';
import type { GpioOutput } from '../gpio/gpio-lines.js';
import type { CardRead, CardReader, CardReaderEvents } from '../interfaces.js';
import { haltCard, selectCard, wakeUp } from './iso14443a.js';
import { checkChipOptions, Mfrc522Chip, type Mfrc522ChipOptions } from './mfrc522-chip.js';
import type { SpiTransport } from './spi-transport.js';

export interface Mfrc522ReaderOptions extends Mfrc522ChipOptions {
  /** Opens the bus at start(); closed again at stop(). E.g. () => openSpiDevice({ bus: 0, device: 0 }). */
  readonly openTransport: () => Promise<SpiTransport>;
  /**
   * Claims the GPIO output wired to the chip's NRSTPD pin, e.g. () => gpio.output(25, 1). With it the chip gets a
   * hard reset at start() and whenever it stops responding (a hang a soft reset cannot cure); without, soft reset.
   * Released at stop().
   */
  readonly openResetLine?: () => Promise<GpioOutput>;
  /** Pause between the end of one poll and the start of the next. Default 100 ms. */
  readonly pollIntervalMs?: number;
  /**
   * Consecutive empty polls after which a held card counts as removed. Default 2: a card that was interrupted
   * mid-read falls back to IDLE and misses exactly one wake-up, which must not look like a new placement.
   */
  readonly removeAfterMisses?: number;
}

/** What one poll found. */
type PollResult =
  | { readonly kind: 'none' }
  | { readonly kind: 'card'; readonly read: CardRead }
  | { readonly kind: 'error'; readonly error: DriverError };

/** Bus and chip trouble: reported as `fault`, and the chip is set up again before the next poll. */
const DEVICE_CODES: ReadonlySet<DriverErrorCode> = new Set([
  'SPI_IO',
  'GPIO_IO',
  'CHIP_NOT_RESPONDING',
  'CHIP_NOT_FOUND',
]);

/**
 * The IC card reader: an MFRC522 polled over SPI. Each poll wakes the field (WUPA), reads the UID through the
 * cascade and halts the card again, so a card left on the reader is seen on every poll but reported once.
 */
export class Mfrc522Reader extends Emitter<CardReaderEvents> implements CardReader {
  readonly #options: Mfrc522ReaderOptions;
  readonly #pollIntervalMs: number;
  readonly #removeAfterMisses: number;
  #spi: SpiTransport | undefined;
  #resetLine: GpioOutput | undefined;
  #chip: Mfrc522Chip | undefined;
  #running = false;
  #timer: NodeJS.Timeout | undefined;
  #inFlight: Promise<void> | undefined;
  #needsInit = false;
  #held: string | null = null;
  #misses = 0;
  #lastReadError: DriverErrorCode | null = null;
  #lastFault: DriverErrorCode | null = null;
  #chipVersion: number | undefined;

  constructor(options: Mfrc522ReaderOptions) {
    super();
    this.#options = options;
    checkChipOptions(options);
    this.#pollIntervalMs = options.pollIntervalMs ?? 100;
    this.#removeAfterMisses = options.removeAfterMisses ?? 2;
  }

  /** The chip's VersionReg as read at start (0x91/0x92 for NXP silicon, others for clones). */
  get chipVersion(): number | undefined {
    return this.#chipVersion;
  }

  async start(): Promise<void> {
    if (this.#running) return;
    let spi: SpiTransport;
    try {
      spi = await this.#options.openTransport();
    } catch (err) {
      throw asDriverError(err, 'SPI_IO', 'cannot open the MFRC522 SPI bus');
    }
    let resetLine: GpioOutput | undefined;
    try {
      resetLine = await this.#options.openResetLine?.();
    } catch (err) {
      await spi.close();
      throw asDriverError(err, 'GPIO_IO', 'cannot claim the MFRC522 reset line (NRSTPD)');
    }
    const chip = new Mfrc522Chip(spi, this.#options, resetLine);
    try {
      this.#chipVersion = await chip.init();
    } catch (err) {
      resetLine?.release();
      await spi.close();
      throw asDriverError(err, 'SPI_IO', 'MFRC522 start failed');
    }
    this.#spi = spi;
    this.#resetLine = resetLine;
    this.#chip = chip;
    this.#held = null;
    this.#misses = 0;
    this.#needsInit = false;
    this.#lastFault = null;
    this.#lastReadError = null;
    this.#running = true;
    this.#schedule(0);
  }

  async stop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    await this.#inFlight;
    const spi = this.#spi;
    const chip = this.#chip;
    const resetLine = this.#resetLine;
    this.#spi = undefined;
    this.#chip = undefined;
    this.#resetLine = undefined;
    if (!spi || !chip) return;
    // Field off: no RF while the agent is down. Best effort; the bus may be what failed.
    await chip.antenna(false).catch(() => {});
    resetLine?.release();
    await spi.close();
  }

  /** One read attempt; only the poll loop calls it, so chip access is never interleaved. */
  async #readOnce(chip: Mfrc522Chip): Promise<PollResult> {
    try {
      if (this.#needsInit) {
        await chip.init();
        this.#needsInit = false;
      }
      if (!(await wakeUp(chip))) return { kind: 'none' };
      const read = await selectCard(chip);
      await haltCard(chip);
      return { kind: 'card', read };
    } catch (err) {
      const error = asDriverError(err, 'SPI_IO', 'MFRC522 read failed');
      return { kind: 'error', error };
    }
  }

  #schedule(delayMs: number): void {
    this.#timer = setTimeout(() => {
      this.#inFlight = this.#poll().finally(() => {
        this.#inFlight = undefined;
        if (this.#running) this.#schedule(this.#pollIntervalMs);
      });
    }, delayMs);
  }

  async #poll(): Promise<void> {
    const chip = this.#chip;
    if (!chip) return;
    const result = await this.#readOnce(chip);
    if (!this.#running) return;
    if (result.kind === 'error' && DEVICE_CODES.has(result.error.code)) {
      this.#needsInit = true;
      if (this.#lastFault !== result.error.code) this.emit('fault', result.error);
      this.#lastFault = result.error.code;
      return;
    }
    this.#lastFault = null;
    switch (result.kind) {
      case 'none':
        this.#misses++;
        if (this.#misses >= this.#removeAfterMisses) {
          this.#lastReadError = null;
          if (this.#held !== null) {
            const uid = this.#held;
            this.#held = null;
            this.emit('removed', uid);
          }
        }
        return;
      case 'card': {
        this.#misses = 0;
        this.#lastReadError = null;
        const { uid } = result.read;
        if (this.#held === uid) return;
        if (this.#held !== null) this.emit('removed', this.#held);
        this.#held = uid;
        this.emit('card', result.read);
        return;
      }
      case 'error':
        this.#misses = 0;
        if (this.#lastReadError !== result.error.code) this.emit('readError', result.error);
        this.#lastReadError = result.error.code;
        return;
    }
  }
}
