import { Emitter } from '../emitter.js';
import { asDriverError, DriverError } from '../errors.js';
import type { RelayEvents, RelayOutput } from '../interfaces.js';
import { raisedPulseFault, relayPulseLength } from '../relay-pulse.js';
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

/** A relay (or solenoid driver) on one GPIO output, with the polarity handled here. */
export class GpioRelay extends Emitter<RelayEvents> implements RelayOutput {
  readonly #options: GpioRelayOptions;
  #out: GpioOutput | undefined;
  #state = false;
  #pulseTimer: NodeJS.Timeout | undefined;
  #pulseWaiters: (() => void)[] = [];
  /** The last too-short length reported, so a misconfigured lane logs it once, not on every admit. */
  #raisedReported: number | undefined;

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

  /** Pulses shorter than RELAY_MIN_PULSE_MS are raised to it (and reported once as a BAD_CONFIG fault). */
  async pulse(requestedMs: number): Promise<void> {
    const { ms, raised } = relayPulseLength(this.#options.name, requestedMs);
    if (!this.#out) throw new DriverError('NOT_STARTED', `${this.#options.name} relay is not started`);
    if (raised && this.#raisedReported !== requestedMs) {
      this.#raisedReported = requestedMs;
      this.emit('fault', raisedPulseFault(this.#options.name, requestedMs));
    }
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
