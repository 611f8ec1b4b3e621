import { Gpio } from 'onoff';
import { asDriverError } from '../errors.js';
import type { GpioInput, GpioLines, GpioOutput, Level } from './gpio-lines.js';
import {
  type GpioChipInfo,
  type GpioChipSelector,
  gpioNumber,
  listGpioChips,
  pickGpioChip,
} from './sysfs-chips.js';

/**
 * GPIO through the kernel's sysfs interface, with onoff. Board line numbers are turned into sysfs numbers with
 * the chip base (sysfs-chips.ts). `root` only moves where chips are looked up; onoff itself always exports lines
 * under /sys/class/gpio.
 */
export class OnoffGpio implements GpioLines {
  readonly #selector: GpioChipSelector;
  #chip: GpioChipInfo | undefined;

  constructor(selector: GpioChipSelector = {}) {
    this.#selector = selector;
  }

  async #number(line: number): Promise<number> {
    // Only a successful lookup is kept: after GPIO_UNAVAILABLE the next start() looks again.
    this.#chip ??= pickGpioChip(await listGpioChips(this.#selector.root), this.#selector.chipLabel);
    return gpioNumber(this.#chip, line);
  }

  async output(line: number, initial: Level): Promise<GpioOutput> {
    const n = await this.#number(line);
    let gpio: Gpio;
    try {
      gpio = new Gpio(n, initial ? 'high' : 'low');
    } catch (err) {
      throw asDriverError(err, 'GPIO_IO', `cannot claim GPIO ${n} (line ${line}) as output`);
    }
    return {
      write: async (level) => {
        try {
          await gpio.write(level);
        } catch (err) {
          throw asDriverError(err, 'GPIO_IO', `write to GPIO ${n} failed`);
        }
      },
      release: () => gpio.unexport(),
    };
  }

  async input(line: number, options: { readonly debounceMs?: number } = {}): Promise<GpioInput> {
    const n = await this.#number(line);
    let gpio: Gpio;
    try {
      gpio = new Gpio(n, 'in', 'both', { debounceTimeout: options.debounceMs ?? 10 });
    } catch (err) {
      throw asDriverError(err, 'GPIO_IO', `cannot claim GPIO ${n} (line ${line}) as input`);
    }
    return {
      read: async () => {
        try {
          return await gpio.read();
        } catch (err) {
          throw asDriverError(err, 'GPIO_IO', `read of GPIO ${n} failed`);
        }
      },
      watch: (listener) =>
        gpio.watch((err, value) => {
          if (!err) listener(value);
        }),
      release: () => gpio.unexport(),
    };
  }
}
