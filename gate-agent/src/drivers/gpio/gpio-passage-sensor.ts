import { Emitter } from '../emitter.js';
import { asDriverError, DriverError } from '../errors.js';
import {
  type PassageDirection,
  PassageInputStuckError,
  type PassageSensor,
  type PassageSensorEvents,
} from '../interfaces.js';
import type { GpioInput, GpioLines, Level } from './gpio-lines.js';
import type { GpioPin } from './gpio-relay.js';

export interface GpioPassageSensorOptions {
  readonly gpio: GpioLines;
  /**
   * The turnstile mechanism's "passage completed" outputs, one per direction: a tripod's rotation switch or a
   * flap/swing controller's passage signal. Each inactive→active edge is one passage.
   */
  readonly entry: GpioPin;
  readonly exit: GpioPin;
  /** Contact bounce filter. Default 20 ms. */
  readonly debounceMs?: number;
  /**
   * An input active for longer than this is reported as a PASSAGE_INPUT_STUCK fault (a jammed arm, a blocked
   * beam, a shorted cable). Default 10 000 ms; at least 100 ms.
   */
  readonly stuckAfterMs?: number;
}

/** One direction's input and what is known about it. */
interface Channel {
  readonly direction: PassageDirection;
  readonly input: GpioInput;
  active: boolean;
  timer: NodeJS.Timeout | undefined;
  stuck: DriverError | undefined;
}

/**
 * Passage detection from two GPIO inputs, one per direction. Counts inactive→active edges, never levels: a
 * debounced GPIO watcher may report the same level twice (a glitch inside the pulse settles back to active), and
 * that must not be a second visitor.
 */
export class GpioPassageSensor extends Emitter<PassageSensorEvents> implements PassageSensor {
  readonly #options: GpioPassageSensorOptions;
  readonly #stuckAfterMs: number;
  #channels: Channel[] = [];
  #running = false;

  constructor(options: GpioPassageSensorOptions) {
    super();
    this.#options = options;
    this.#stuckAfterMs = options.stuckAfterMs ?? 10_000;
    if (!Number.isFinite(this.#stuckAfterMs) || this.#stuckAfterMs < 100) {
      throw new DriverError(
        'BAD_CONFIG',
        `passage stuckAfterMs must be at least 100, got ${this.#stuckAfterMs}`,
      );
    }
  }

  async start(): Promise<void> {
    if (this.#running) return;
    const debounceMs = this.#options.debounceMs ?? 20;
    const pins: [GpioPin, PassageDirection][] = [
      [this.#options.entry, 'in'],
      [this.#options.exit, 'out'],
    ];
    try {
      for (const [pin, direction] of pins) {
        const input = await this.#options.gpio.input(pin.line, { debounceMs });
        const activeLevel: Level = pin.activeLow ? 0 : 1;
        const channel: Channel = { direction, input, active: false, timer: undefined, stuck: undefined };
        this.#channels.push(channel);
        // Already active at start: no passage (no edge seen), but the stuck clock runs.
        channel.active = (await input.read()) === activeLevel;
        if (channel.active) this.#armStuck(channel);
        input.watch((level) => this.#onLevel(channel, level === activeLevel));
      }
    } catch (err) {
      await this.stop();
      throw asDriverError(err, 'GPIO_IO', 'passage sensor');
    }
    this.#running = true;
  }

  async stop(): Promise<void> {
    this.#running = false;
    for (const channel of this.#channels.splice(0)) {
      clearTimeout(channel.timer);
      channel.input.release();
    }
  }

  #onLevel(channel: Channel, active: boolean): void {
    if (!this.#channels.includes(channel)) return;
    if (active === channel.active) return; // the same level reported again: not an edge
    channel.active = active;
    if (active) {
      this.#armStuck(channel);
      this.emit('passage', { direction: channel.direction, at: Date.now() });
      return;
    }
    clearTimeout(channel.timer);
    channel.timer = undefined;
    const stuck = channel.stuck;
    channel.stuck = undefined;
    if (stuck) this.emit('faultCleared', stuck);
  }

  #armStuck(channel: Channel): void {
    clearTimeout(channel.timer);
    channel.timer = setTimeout(() => {
      channel.timer = undefined;
      if (!channel.active || !this.#channels.includes(channel)) return;
      channel.stuck = new PassageInputStuckError(
        channel.direction,
        `passage ${channel.direction === 'in' ? 'entry' : 'exit'} input active for over ${this.#stuckAfterMs} ms`,
      );
      this.emit('fault', channel.stuck);
    }, this.#stuckAfterMs);
    channel.timer.unref?.();
  }
}
