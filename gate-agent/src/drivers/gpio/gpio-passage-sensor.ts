import { Emitter } from '../emitter.js';
import { asDriverError } from '../errors.js';
import type { PassageDirection, PassageSensor, PassageSensorEvents } from '../interfaces.js';
import type { GpioInput, GpioLines, Level } from './gpio-lines.js';
import type { GpioPin } from './gpio-relay.js';

export interface GpioPassageSensorOptions {
  readonly gpio: GpioLines;
  /**
   * The turnstile mechanism's "passage completed" outputs, one per direction: a tripod's rotation switch or a
   * flap/swing controller's passage signal. Each active edge is one passage.
   */
  readonly entry: GpioPin;
  readonly exit: GpioPin;
  /** Contact bounce filter. Default 20 ms. */
  readonly debounceMs?: number;
}

/** Passage detection from two GPIO inputs, one per direction. */
export class GpioPassageSensor extends Emitter<PassageSensorEvents> implements PassageSensor {
  readonly #options: GpioPassageSensorOptions;
  #inputs: GpioInput[] = [];

  constructor(options: GpioPassageSensorOptions) {
    super();
    this.#options = options;
  }

  async start(): Promise<void> {
    if (this.#inputs.length > 0) return;
    const debounceMs = this.#options.debounceMs ?? 20;
    const pins: [GpioPin, PassageDirection][] = [
      [this.#options.entry, 'in'],
      [this.#options.exit, 'out'],
    ];
    try {
      for (const [pin, direction] of pins) {
        const input = await this.#options.gpio.input(pin.line, { debounceMs });
        this.#inputs.push(input);
        const active: Level = pin.activeLow ? 0 : 1;
        input.watch((level) => {
          if (level === active) this.emit('passage', { direction, at: Date.now() });
        });
      }
    } catch (err) {
      await this.stop();
      throw asDriverError(err, 'GPIO_IO', 'passage sensor');
    }
  }

  async stop(): Promise<void> {
    for (const input of this.#inputs.splice(0)) input.release();
  }
}
