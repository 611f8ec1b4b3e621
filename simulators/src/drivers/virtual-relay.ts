import { DriverError, Emitter, type RelayEvents, type RelayOutput } from '@scenic/gate-agent/drivers';

export interface RelayPulse {
  readonly ms: number;
  /** Epoch milliseconds. */
  readonly at: number;
}

/** A relay that only remembers: its state, and every pulse asked of it. Same contract as the GPIO relay. */
export class VirtualRelay extends Emitter<RelayEvents> implements RelayOutput {
  readonly name: string;
  readonly pulses: RelayPulse[] = [];
  #state = false;
  #running = false;
  #timer: NodeJS.Timeout | undefined;
  #waiters: (() => void)[] = [];

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
    this.#drive(on);
    this.#release();
  }

  async pulse(ms: number): Promise<void> {
    this.#check();
    if (!Number.isFinite(ms) || ms <= 0 || ms > 60_000) {
      throw new DriverError('BAD_CONFIG', `${this.name} relay pulse must be 1–60000 ms, got ${ms}`);
    }
    this.pulses.push({ ms, at: Date.now() });
    const ended = new Promise<void>((resolve) => this.#waiters.push(resolve));
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#drive(false);
      this.#release();
    }, ms);
    this.#drive(true);
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
