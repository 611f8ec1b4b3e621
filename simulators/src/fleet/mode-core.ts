/**
 * The core a fleet gate runs the agent's GateLink on: modes, deny-unauthorized and the config, as the agent's
 * GateCore keeps them, without a lane (no scanner, turnstile or announcements). Commands and configs reach it
 * through the link exactly as they reach a real gate; the fleet's scans are counted here and their events handed
 * to the link's outbox drain.
 */
import { Emitter } from '@scenic/gate-agent/drivers';
import type { LinkCore, LinkCoreEvents, LinkGateStatus } from '@scenic/gate-agent/link';
import type { GateConfig, GateMode } from '@scenic/protocol';

export class ModeCore extends Emitter<LinkCoreEvents> implements LinkCore {
  readonly counters = { scans: 0, admits: 0, denies: 0 };
  #mode: GateMode = 'locked';
  #denyUnauthorized = true;
  #since = Date.now();
  #config: GateConfig | null = null;

  /** `onConfig` is told the version of every config applied. */
  constructor(private readonly onConfig: (version: number) => void) {
    super();
  }

  get status(): LinkGateStatus {
    return {
      mode: this.#mode,
      denyUnauthorized: this.#denyUnauthorized,
      configVersion: this.#config?.version ?? null,
      since: this.#since,
      degraded: [],
    };
  }

  get config(): GateConfig | null {
    return this.#config;
  }

  /** As the agent: a newer version only; the first config ends the no-config lock with its defaultMode. */
  async applyConfig(config: GateConfig): Promise<boolean> {
    if (this.#config && config.version <= this.#config.version) return false;
    const first = this.#config === null;
    this.#config = config;
    this.#denyUnauthorized = config.denyUnauthorized;
    if (first && this.#mode !== 'emergency_open') this.#enterMode(config.defaultMode);
    this.emit('state', this.status);
    this.onConfig(config.version);
    return true;
  }

  async setMode(mode: GateMode): Promise<{ ok: true } | { ok: false; reason: string }> {
    if (!this.#config && mode !== 'emergency_open' && mode !== 'locked') {
      return { ok: false, reason: 'no gate config yet: the gate stays locked' };
    }
    if (mode !== this.#mode) {
      this.#enterMode(mode);
      this.emit('state', this.status);
    }
    return { ok: true };
  }

  setDenyUnauthorized(on: boolean): void {
    if (on === this.#denyUnauthorized) return;
    this.#denyUnauthorized = on;
    this.emit('state', this.status);
  }

  /** A scan's event is in the outbox: count it and let the link publish it. */
  recorded(type: 'passage' | 'denial'): void {
    this.counters.scans++;
    if (type === 'passage') this.counters.admits++;
    else this.counters.denies++;
    this.emit('event');
  }

  #enterMode(mode: GateMode): void {
    this.#mode = mode;
    this.#since = Date.now();
  }
}
