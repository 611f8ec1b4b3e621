import { Emitter } from '../emitter.js';
import { asDriverError, DriverError } from '../errors.js';
import type { CardRecycler, CardRecyclerEvents } from '../interfaces.js';
import type { GpioInput, GpioLines } from './gpio-lines.js';
import { type GpioPin, GpioRelay } from './gpio-relay.js';

export interface GpioCardRecyclerOptions {
  readonly gpio: GpioLines;
  /** The slot's card-in sensor (optical or micro switch). */
  readonly sensor: GpioPin;
  /** Solenoid/motor output that drops the card into the bin. */
  readonly swallow: GpioPin;
  /** Output that returns the card to the visitor. */
  readonly eject: GpioPin;
  /** How long an output is energised per action. Default 600 ms. */
  readonly actuateMs?: number;
  readonly debounceMs?: number;
}

/** A card recycling unit on GPIO: one sensor input and two actuator outputs, one action at a time. */
export class GpioCardRecycler extends Emitter<CardRecyclerEvents> implements CardRecycler {
  readonly #options: GpioCardRecyclerOptions;
  readonly #swallow: GpioRelay;
  readonly #eject: GpioRelay;
  #sensor: GpioInput | undefined;
  #present = false;
  /** Serialises actions: swallowing and ejecting at once would jam the mechanism. */
  #busy: Promise<void> = Promise.resolve();

  constructor(options: GpioCardRecyclerOptions) {
    super();
    this.#options = options;
    this.#swallow = new GpioRelay({ gpio: options.gpio, name: 'recycler swallow', ...options.swallow });
    this.#eject = new GpioRelay({ gpio: options.gpio, name: 'recycler eject', ...options.eject });
    for (const output of [this.#swallow, this.#eject]) output.on('fault', (e) => this.emit('fault', e));
  }

  get cardPresent(): boolean {
    return this.#present;
  }

  async start(): Promise<void> {
    if (this.#sensor) return;
    const active = this.#options.sensor.activeLow ? 0 : 1;
    try {
      await this.#swallow.start();
      await this.#eject.start();
      const sensor = await this.#options.gpio.input(this.#options.sensor.line, {
        debounceMs: this.#options.debounceMs ?? 20,
      });
      this.#sensor = sensor;
      this.#present = (await sensor.read()) === active;
      sensor.watch((level) => {
        const present = level === active;
        if (present === this.#present) return;
        this.#present = present;
        this.emit(present ? 'cardIn' : 'cardGone');
      });
    } catch (err) {
      await this.stop();
      throw asDriverError(err, 'GPIO_IO', 'card recycler');
    }
  }

  async stop(): Promise<void> {
    await this.#busy;
    this.#sensor?.release();
    this.#sensor = undefined;
    await this.#swallow.stop();
    await this.#eject.stop();
  }

  swallow(): Promise<void> {
    return this.#act(this.#swallow);
  }

  eject(): Promise<void> {
    return this.#act(this.#eject);
  }

  #act(output: GpioRelay): Promise<void> {
    if (!this.#sensor) return Promise.reject(new DriverError('NOT_STARTED', 'card recycler is not started'));
    const run = this.#busy.then(() => output.pulse(this.#options.actuateMs ?? 600));
    this.#busy = run.catch(() => {});
    return run;
  }
}
