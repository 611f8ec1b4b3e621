import {
  DriverError,
  Emitter,
  type RelayEvents,
  type RelayOutput,
  raisedPulseFault,
  relayPulseLength,
} from '@scenic/gate-agent/drivers';

export interface RelayPulse {
  /** The length delivered (a request below RELAY_MIN_PULSE_MS is raised to it, as on the GPIO relay). */
  readonly ms: number;
  /** The length asked for. */
  readonly requestedMs: number;
  /** Epoch milliseconds. */
  readonly at: number;
}

/**
 * The relay's events plus `released`: the turnstile was freed for one visitor, by every pulse (also one that
 * restarts a pulse still running, where `change` stays silent) and by switching a released relay on.
 */
export type VirtualRelayEvents = RelayEvents & { released: [] };

/** A relay that only remembers: its state, and every pulse asked of it. Same contract as the GPIO relay. */
export class VirtualRelay extends Emitter<VirtualRelayEvents> implements RelayOutput {
  readonly name: string;
  readonly pulses: RelayPulse[] = [];
  #state = false;
  #running = false;
  #timer: NodeJS.Timeout | undefined;
  #waiters: (() => void)[] = [];
  #raisedReported: number | undefined;

  constructor(name: string) {
    super();
    this.name = name;
  }

  get state(): boolean {
    return this.#state;
  }

  async start(): Promise<void> {
    this.#running = true;
  }

  async stop(): Promise<void> {
    if (!this.#running) return;
    await this.set(false);
    this.#running = false;
  }

  async set(on: boolean): Promise<void> {
    this.#check();
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const released = on && !this.#state;
    this.#drive(on);
    this.#release();
    if (released) this.emit('released');
  }

  async pulse(requestedMs: number): Promise<void> {
    this.#check();
    const { ms, raised } = relayPulseLength(this.name, requestedMs);
    if (raised && this.#raisedReported !== requestedMs) {
      this.#raisedReported = requestedMs;
      this.emit('fault', raisedPulseFault(this.name, requestedMs));
    }
    this.pulses.push({ ms, requestedMs, at: Date.now() });
    const ended = new Promise<void>((resolve) => this.#waiters.push(resolve));
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#drive(false);
      this.#release();
    }, ms);
    this.#drive(true);
    this.emit('released');
    return ended;
  }

  #check(): void {
    if (!this.#running) throw new DriverError('NOT_STARTED', `${this.name} relay is not started`);
  }

  #drive(on: boolean): void {
    if (this.#state === on) return;
    this.#state = on;
    this.emit('change', on);
  }

  #release(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve();
  }
}
