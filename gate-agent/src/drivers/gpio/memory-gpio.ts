import { DriverError } from '../errors.js';
import type { GpioInput, GpioLines, GpioOutput, Level } from './gpio-lines.js';

/**
 * GPIO lines in memory: outputs record every level written, inputs are driven with drive(). Lets the GPIO drivers
 * (polarity, debounce-free edge logic, pulse timing) run on any PC and in tests.
 */
export class MemoryGpio implements GpioLines {
  /** Every level written per line, in order, starting with the initial level. */
  readonly writes = new Map<number, Level[]>();
  readonly #inputs = new Map<number, { level: Level; listeners: ((level: Level) => void)[] }>();
  readonly #claimed = new Set<number>();
  readonly #broken = new Set<number>();

  #claim(line: number): void {
    if (this.#claimed.has(line)) throw new DriverError('GPIO_IO', `GPIO line ${line} is already claimed`);
    this.#claimed.add(line);
  }

  level(line: number): Level | undefined {
    return this.writes.get(line)?.at(-1) ?? this.#inputs.get(line)?.level;
  }

  claimed(line: number): boolean {
    return this.#claimed.has(line);
  }

  async output(line: number, initial: Level): Promise<GpioOutput> {
    this.#claim(line);
    const log: Level[] = [initial];
    this.writes.set(line, log);
    return {
      write: async (level) => {
        if (this.#broken.has(line)) throw new DriverError('GPIO_IO', `GPIO line ${line}: write failed (EIO)`);
        log.push(level);
      },
      release: () => this.#claimed.delete(line),
    };
  }

  async input(line: number): Promise<GpioInput> {
    this.#claim(line);
    const state = this.#inputs.get(line) ?? { level: 0 as Level, listeners: [] };
    this.#inputs.set(line, state);
    return {
      read: async () => state.level,
      watch: (listener) => state.listeners.push(listener),
      release: () => {
        state.listeners.length = 0;
        this.#claimed.delete(line);
      },
    };
  }

  /** Makes writes to an output line fail from now on, as when the line is unexported under the driver. */
  breakLine(line: number): void {
    this.#broken.add(line);
  }

  /**
   * A glitch shorter than the debounce window: the line flicks to the other level and back. A debounced watcher
   * (onoff's debounceTimeout) re-reads the line once it settles and reports that level again although it did not
   * change, so drivers must not take every callback for an edge.
   */
  glitch(line: number): void {
    const state = this.#inputs.get(line);
    if (!state) return;
    for (const listener of [...state.listeners]) listener(state.level);
  }

  /** Sets an input line's electrical level; watchers hear about it only when it changes (an edge). */
  drive(line: number, level: Level): void {
    const state = this.#inputs.get(line) ?? { level: 0 as Level, listeners: [] };
    this.#inputs.set(line, state);
    if (state.level === level) return;
    state.level = level;
    for (const listener of [...state.listeners]) listener(level);
  }
}
