import {
  Emitter,
  type GateRelays,
  type PassageDirection,
  type PassageSensor,
  type PassageSensorEvents,
} from '@scenic/gate-agent/drivers';

export interface AutoPass {
  /** Watch these relays: a visitor walks through `afterMs` after the entry (exit) relay releases the gate. */
  readonly relays: Pick<GateRelays, 'entry' | 'exit'>;
  readonly afterMs: number;
}

/** A passage sensor you trigger with pass(), or that lets a virtual visitor through whenever the gate opens. */
export class VirtualPassageSensor extends Emitter<PassageSensorEvents> implements PassageSensor {
  readonly #autoPass: AutoPass | undefined;
  readonly #timers = new Set<NodeJS.Timeout>();
  #running = false;

  constructor(options: { readonly autoPass?: AutoPass } = {}) {
    super();
    this.#autoPass = options.autoPass;
    if (this.#autoPass) {
      const { relays, afterMs } = this.#autoPass;
      relays.entry.on('change', (on) => on && this.#later('in', afterMs));
      relays.exit.on('change', (on) => on && this.#later('out', afterMs));
    }
  }

  async start(): Promise<void> {
    this.#running = true;
  }

  async stop(): Promise<void> {
    this.#running = false;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  /** A person walks through now (ignored while stopped, as a real sensor's edges are). */
  pass(direction: PassageDirection): void {
    if (this.#running) this.emit('passage', { direction, at: Date.now() });
  }

  #later(direction: PassageDirection, ms: number): void {
    if (!this.#running) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.pass(direction);
    }, ms);
    this.#timers.add(timer);
  }
}
