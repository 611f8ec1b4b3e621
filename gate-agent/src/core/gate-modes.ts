import type { GateConfig, GateMode, PublicKeyLookup } from '@scenic/protocol';
import { ActiveConfig } from './active-config.js';
import type { GateMemory, Log } from './ports.js';

/** Modes that survive a restart (see GateModes#restoreStickyMode). */
const STICKY_MODES: ReadonlySet<GateMode> = new Set(['emergency_open', 'locked', 'always_closed']);

/** Modes in which the gate never judges a card, so a card dropped in the recycler goes straight back. */
const RETURN_CARD_MODES: ReadonlySet<GateMode> = new Set([
  'always_open',
  'emergency_open',
  'locked',
  'always_closed',
]);

export function returnsCards(mode: GateMode): boolean {
  return RETURN_CARD_MODES.has(mode);
}

/**
 * The relays a mode holds released: always-open the directions the gate is configured for, emergency-open both
 * ways, every other mode none.
 */
export function heldOpen(
  mode: GateMode,
  gateDirection: 'in' | 'out' | 'both',
): { entry: boolean; exit: boolean } {
  return {
    entry: mode === 'emergency_open' || (mode === 'always_open' && gateDirection !== 'out'),
    exit: mode === 'emergency_open' || (mode === 'always_open' && gateDirection !== 'in'),
  };
}

export interface GateModesOptions {
  readonly memory: GateMemory;
  readonly siteId: string;
  readonly log: Log;
  readonly now: () => number;
}

/**
 * The gate's mode state machine and the config in force: which mode it is in since when, deny-unauthorized, what a
 * restart restores, which modes a command may enter, and in which mode a scan is judged. It only keeps state (and
 * remembers it); the core drives the devices when a mode begins.
 */
export class GateModes {
  readonly #memory: GateMemory;
  readonly #siteId: string;
  readonly #log: Log;
  readonly #now: () => number;
  #active: ActiveConfig | null = null;
  #mode: GateMode = 'locked';
  #denyUnauthorized = true;
  #since: number;

  constructor(options: GateModesOptions) {
    this.#memory = options.memory;
    this.#siteId = options.siteId;
    this.#log = options.log;
    this.#now = options.now;
    this.#since = this.#now();
    const stored = this.#memory.config();
    if (stored) {
      try {
        this.#active = new ActiveConfig(stored, this.#siteId);
        this.#mode = stored.defaultMode;
        this.#denyUnauthorized = stored.denyUnauthorized;
      } catch (err) {
        this.#log.error({ err }, 'stored gate config is unusable; staying locked until a new one arrives');
      }
    }
    this.#restoreStickyMode();
  }

  /**
   * A restart must not end a mode the control room chose for safety. Fire code: a controller that crashes or is
   * power-cycled during an evacuation has to come back open, not silently fall back to `normal` and trap people.
   * Likewise a gate locked or closed on purpose (an incident, a closed area) stays shut until the cloud commands
   * otherwise. `always_open` is not sticky: a crash should not leave a lane open for free.
   */
  #restoreStickyMode(): void {
    const last = this.#memory.savedMode();
    if (last === undefined || !STICKY_MODES.has(last as GateMode)) return;
    // Without a config only emergency_open outranks the no-config lock (locked is what the gate does anyway).
    if (!this.#active && last !== 'emergency_open') return;
    this.#mode = last as GateMode;
    this.#log.warn({ mode: last }, 'restored the mode the gate was in before it restarted');
  }

  get mode(): GateMode {
    return this.#mode;
  }

  /** When the current mode began, epoch ms. */
  get since(): number {
    return this.#since;
  }

  get denyUnauthorized(): boolean {
    return this.#denyUnauthorized;
  }

  get active(): ActiveConfig | null {
    return this.#active;
  }

  /** The mode a scan is judged in: a gate without a config is locked, unless it is evacuating. */
  get scanMode(): GateMode {
    if (this.#active) return this.#mode;
    return this.#mode === 'emergency_open' ? 'emergency_open' : 'locked';
  }

  /** The keys QR codes are checked with (none before the first config). */
  keyring(): PublicKeyLookup {
    return this.#active?.keyring ?? { publicKey: () => undefined };
  }

  /** Stores the current mode (at start, so `gate-agent status` and the next restart see it). */
  remember(): void {
    this.#memory.saveMode(this.#mode);
  }

  /**
   * Takes a config whose version is above the running one: null when it is not newer, else whether it is the
   * first. Throws (and changes nothing) when the config cannot be used.
   */
  applyConfig(config: GateConfig): { readonly first: boolean } | null {
    if (this.#active && config.version <= this.#active.config.version) return null;
    const active = new ActiveConfig(config, this.#siteId);
    const first = this.#active === null;
    this.#active = active;
    this.#memory.saveConfig(config);
    this.#denyUnauthorized = config.denyUnauthorized;
    this.#memory.saveDenyUnauthorized(this.#denyUnauthorized);
    return { first };
  }

  /**
   * Whether a command may switch to `mode`. Without a config only emergency_open and locked make sense: a gate that
   * does not know its rules stays locked, but nobody may ever be kept from evacuating.
   */
  refusal(mode: GateMode): string | null {
    if (!this.#active && mode !== 'emergency_open' && mode !== 'locked') {
      return 'no gate config yet: the gate stays locked';
    }
    return null;
  }

  enter(mode: GateMode): void {
    this.#mode = mode;
    this.#since = this.#now();
    this.#memory.saveMode(mode);
    this.#log.info({ mode }, 'gate mode changed');
  }

  /** False when it already was so. */
  setDenyUnauthorized(on: boolean): boolean {
    if (on === this.#denyUnauthorized) return false;
    this.#denyUnauthorized = on;
    this.#memory.saveDenyUnauthorized(on);
    return true;
  }
}
