import {
  type DriverError,
  Emitter,
  type PassageDirection,
  PassageInputStuckError,
  type PassageSensor,
  type PassageSensorEvents,
} from '@scenic/gate-agent/drivers';
import type { VirtualRelay } from './virtual-relay.js';

export interface AutoPass {
  /**
   * Watch these relays: a visitor walks through `afterMs` after each release by the entry (exit) relay, including
   * a pulse that restarts one still running (the next visitor in a queue scanned within the pulse).
   */
  readonly relays: { readonly entry: VirtualRelay; readonly exit: VirtualRelay };
  readonly afterMs: number;
}

/** A passage sensor you trigger with pass(), or that lets a virtual visitor through whenever the gate opens. */
export class VirtualPassageSensor extends Emitter<PassageSensorEvents> implements PassageSensor {
  readonly #autoPass: AutoPass | undefined;
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #jammed = new Map<PassageDirection, DriverError>();
  /** A group at the lane (group()): how many of its visitors are still to walk; absent = one per release. */
  readonly #group = new Map<PassageDirection, number>();
  #running = false;

  constructor(options: { readonly autoPass?: AutoPass } = {}) {
    super();
    this.#autoPass = options.autoPass;
    if (this.#autoPass) {
      const { relays, afterMs } = this.#autoPass;
      relays.entry.on('released', () => this.#later('in', afterMs));
      relays.exit.on('released', () => this.#later('out', afterMs));
    }
  }

  async start(): Promise<void> {
    this.#running = true;
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#jammed.clear();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  /**
   * A group of `persons` arrives at the lane (auto-pass only): the next `persons` releases that way each let one of
   * them through, and releases after those find nobody — so a group pass of a larger code ends by its idle timeout
   * with this headcount. Until autoPassEach() brings back one visitor per release.
   */
  group(direction: PassageDirection, persons: number): void {
    this.#group.set(direction, persons);
  }

  /** Back to the usual auto-pass: a visitor after every release. */
  autoPassEach(): void {
    this.#group.clear();
  }

  /** Whether that direction's input is jammed (jam() until unjam()). */
  isJammed(direction: PassageDirection): boolean {
    return this.#jammed.has(direction);
  }

  /** A person walks through now (ignored while stopped, as a real sensor's edges are). */
  pass(direction: PassageDirection): void {
    if (this.#running && !this.#jammed.has(direction)) this.emit('passage', { direction, at: Date.now() });
  }

  /**
   * That direction's input sticks active (a jammed arm, a blocked beam), as the GPIO sensor reports it once its
   * stuck limit has passed: one PASSAGE_INPUT_STUCK fault, and no passages that way until unjam().
   */
  jam(direction: PassageDirection): void {
    if (!this.#running || this.#jammed.has(direction)) return;
    const error = new PassageInputStuckError(
      direction,
      `passage ${direction === 'in' ? 'entry' : 'exit'} input stuck active`,
    );
    this.#jammed.set(direction, error);
    this.emit('fault', error);
  }

  /** The jammed input is released: `faultCleared` with the same error, and passages count again. */
  unjam(direction: PassageDirection): void {
    const error = this.#jammed.get(direction);
    if (!error) return;
    this.#jammed.delete(direction);
    this.emit('faultCleared', error);
  }

  #later(direction: PassageDirection, ms: number): void {
    if (!this.#running) return;
    const group = this.#group.get(direction);
    if (group !== undefined) {
      if (group === 0) return;
      this.#group.set(direction, group - 1);
    }
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.pass(direction);
    }, ms);
    this.#timers.add(timer);
  }
}
