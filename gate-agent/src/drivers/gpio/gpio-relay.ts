import { Emitter } from '../emitter.js';
import { asDriverError, DriverError } from '../errors.js';
import type { RelayEvents, RelayOutput } from '../interfaces.js';
import type { GpioLines, GpioOutput, Level } from './gpio-lines.js';

export interface GpioPin {
  /** Board line number on the GPIO chip (BCM number on a Raspberry Pi), not the sysfs number. */
  readonly line: number;
  /** The relay board energises on a low level (most opto-isolated boards do). */
  readonly activeLow?: boolean;
}

export interface GpioRelayOptions extends GpioPin {
  readonly gpio: GpioLines;
  /** For messages: "entry", "exit", "alarm", "swallow", … */
  readonly name: string;
}

/** Longest pulse accepted: a turnstile release or a solenoid, not a way to hold a relay on (use set()). */
const MAX_PULSE_MS = 60_000;

/** A relay (or solenoid driver) on one GPIO output, with the polarity handled here. */
export class GpioRelay extends Emitter<RelayEvents> implements RelayOutput {
  readonly #options: GpioRelayOptions;
  #out: GpioOutput | undefined;
  #state = false;
  #pulseTimer: NodeJS.Timeout | undefined;
  #pulseWaiters: (() => void)[] = [];

  constructor(options: GpioRelayOptions) {
    super();
    this.#options = options;
  }

  get state(): boolean {
    return this.#state;
  }

  #level(on: boolean): Level {
    return on !== (this.#options.activeLow ?? false) ? 1 : 0;
  }

  async start(): Promise<void> {
    if (this.#out) return;
    this.#out = await this.#options.gpio.output(this.#options.line, this.#level(false));
    this.#state = false;
  }

  async stop(): Promise<void> {
    const out = this.#out;
    if (!out) return;
    await this.set(false);
    this.#out = undefined;
    out.release();
  }

  async set(on: boolean): Promise<void> {
    clearTimeout(this.#pulseTimer);
    this.#pulseTimer = undefined;
    await this.#drive(on);
    this.#endPulses();
  }

  async pulse(ms: number): Promise<void> {
    if (!Number.isFinite(ms) || ms <= 0 || ms > MAX_PULSE_MS) {
      throw new DriverError(
        'BAD_CONFIG',
        `${this.#options.name} relay pulse must be 1–${MAX_PULSE_MS} ms, got ${ms}`,
      );
    }
    if (!this.#out) throw new DriverError('NOT_STARTED', `${this.#options.name} relay is not started`);
    const ended = new Promise<void>((resolve) => this.#pulseWaiters.push(resolve));
    clearTimeout(this.#pulseTimer);
    this.#pulseTimer = setTimeout(() => {
      this.#pulseTimer = undefined;
      void this.#drive(false).then(() => this.#endPulses());
    }, ms);
    await this.#drive(true);
    return ended;
  }

  #endPulses(): void {
    const waiters = this.#pulseWaiters;
    this.#pulseWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Drives the line; an I/O failure is a fault, never a rejection on the relay path. */
  async #drive(on: boolean): Promise<void> {
    const out = this.#out;
    if (!out) throw new DriverError('NOT_STARTED', `${this.#options.name} relay is not started`);
    try {
      await out.write(this.#level(on));
    } catch (err) {
      this.emit('fault', asDriverError(err, 'GPIO_IO', `${this.#options.name} relay`));
    }
    if (this.#state !== on) {
      this.#state = on;
      this.emit('change', on);
    }
  }
}
