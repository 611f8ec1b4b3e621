import {
  type AgentConfig,
  Emitter,
  type LedColour,
  type PassageDirection,
  type RunningAgent,
  type ScanOutcome,
  startAgent,
} from '@scenic/gate-agent';
import { type DecisionReason, type GateMode, reasonTexts } from '@scenic/protocol';
import { createVirtualGate, type VirtualGate } from '../drivers/index.js';
import { DEVICE_LABELS } from './labels.js';
import { SimLog } from './sim-log.js';

/** One scan as the screens list it. */
export interface SimDecision {
  readonly at: number;
  readonly admit: boolean;
  readonly reason: DecisionReason;
  /** The reason in words, Chinese then English. */
  readonly text: string;
  readonly kind: ScanOutcome['kind'];
  readonly ticketId: number | null;
  readonly entriesLeft: number | null;
  readonly passed: boolean | null;
  /** The headcount of an admit that passed (a group pass may count fewer than it admitted); null otherwise. */
  readonly persons: number | null;
  readonly offline: boolean;
}

/**
 * One device of the lane: `degraded` when the agent runs without it (it could not be started), `stuck` for a
 * passage input stuck active (a jam: the lane refuses scans that way and sounds the alarm).
 */
export interface SimDevice {
  readonly id: string;
  readonly zh: string;
  readonly en: string;
  readonly status: 'ok' | 'degraded' | 'stuck';
}

/** Everything the terminal and browser screens show, as plain JSON. */
export interface SimState {
  readonly siteId: string;
  readonly gateId: string;
  readonly direction: 'in' | 'out';
  readonly broker: string;
  readonly online: boolean;
  readonly mode: GateMode;
  readonly denyUnauthorized: boolean;
  readonly configVersion: number | null;
  readonly whitelistVersion: number;
  readonly whitelistCount: number;
  readonly outboxDepth: number;
  readonly led: { readonly lines: readonly string[]; readonly colour: LedColour };
  readonly voice: string | null;
  readonly relays: { readonly entry: boolean; readonly exit: boolean; readonly alarm: boolean };
  /** The card lying on the reader, or null. */
  readonly card: string | null;
  readonly recycler: {
    readonly cardPresent: boolean;
    readonly binCount: number;
    readonly last: string | null;
  } | null;
  readonly autoPass: boolean;
  readonly autoPassMs: number;
  /** Persons of a group still queued at the lane (walk), each waiting for a release of the turnstile. */
  readonly waiting: number;
  /** Every device of the lane, the ones the agent reports degraded or stuck marked so. */
  readonly devices: readonly SimDevice[];
  /** The simulated jam of this lane's passage input is on. */
  readonly jammed: boolean;
  /** Newest first. */
  readonly decisions: readonly SimDecision[];
  /** The latest warnings and errors from the agent's log, newest last. */
  readonly problems: readonly string[];
}

/** What a technician can do at the simulated gate (terminal keys and browser buttons both end here). */
export type SimAction =
  | { readonly kind: 'scan'; readonly code: string }
  | { readonly kind: 'tap'; readonly uid: string }
  | { readonly kind: 'lift' }
  | { readonly kind: 'pass'; readonly direction: PassageDirection }
  /**
   * `persons` visitors queue at the lane and walk through one per release of the turnstile (a group pass releases
   * once per person), `autoPassMs` after it; nobody beyond them walks, whatever auto-pass says. A release that
   * nobody used yet lets the first walk at once (the group code was scanned first).
   */
  | { readonly kind: 'walk'; readonly direction: PassageDirection; readonly persons: number }
  | { readonly kind: 'autoPass'; readonly on?: boolean }
  /** Sticks (or frees) the passage input of the lane's direction, as a jammed arm or a blocked beam would. */
  | { readonly kind: 'jam'; readonly on?: boolean };

export type GateSimEvents = { change: [] };

const DECISIONS_KEPT = 12;
/** Warnings stay on screen this long (a broker that was down a minute ago is old news once connected). */
const PROBLEMS_SHOWN_MS = 30_000;
/** Link state, whitelist and outbox have no events of their own: look at them this often. */
const POLL_MS = 500;

/**
 * One simulated gate: the real agent (GateCore, GateStore, GateLink, wired by gate-agent's startAgent) running on
 * the virtual devices, plus the visitor's side — scanning, tapping, walking through. The virtual visitor who walks
 * through after each release is the simulator's own, so it can be switched on and off while running.
 */
export class GateSim extends Emitter<GateSimEvents> {
  readonly gate: VirtualGate;
  readonly log = new SimLog();
  readonly #config: AgentConfig;
  #agent: RunningAgent | null = null;
  #autoPass: boolean;
  readonly #autoPassMs: number;
  readonly #decisions: SimDecision[] = [];
  #voice: string | null = null;
  #card: string | null = null;
  #poll: NodeJS.Timeout | undefined;
  #lastPolled = '';
  readonly #walkers = new Set<NodeJS.Timeout>();
  /** Queued visitors per direction (walk). */
  readonly #waiting: Record<PassageDirection, number> = { in: 0, out: 0 };
  /** A release that no visitor walked through yet, per direction; forgotten when the scan's outcome is known. */
  readonly #unused: Record<PassageDirection, boolean> = { in: false, out: false };

  constructor(config: AgentConfig) {
    super();
    this.#config = config;
    this.#autoPassMs = config.drivers.kind === 'virtual' ? config.drivers.autoPassAfterMs : 500;
    this.#autoPass = true;
    // Quick card polling: a technician's tap should show at once.
    this.gate = createVirtualGate({ cardReader: { pollIntervalMs: 50 }, voice: { speakMs: 0 } });
  }

  get agent(): RunningAgent {
    if (!this.#agent) throw new Error('the simulated gate is not running');
    return this.#agent;
  }

  async start(): Promise<void> {
    const g = this.gate;
    const changed = () => this.emit('change');
    g.led.on('shown', changed);
    g.voice.on('spoken', (a) => {
      this.#voice = a.text;
      changed();
    });
    for (const [name, relay] of Object.entries(g.relays)) {
      relay.on('change', changed);
      // Every release, also a pulse that restarts one still running (the next visitor scanned in time).
      relay.on('released', () => {
        if (name !== 'alarm') this.#released(name === 'entry' ? 'in' : 'out');
      });
    }
    g.cardReader.on('removed', changed);
    g.recycler?.on('cardIn', changed);
    g.recycler?.on('cardGone', changed);
    this.log.onEntry = (entry) => {
      if (entry.level !== 'info') changed();
    };
    this.#agent = await startAgent(this.#config, this.log, { hardware: g.hardware });
    this.#agent.core.on('state', changed);
    this.#agent.core.on('outcome', (outcome) => {
      // The pass is over: a queue it did not take (more walkers than it admitted) goes home.
      this.#waiting.in = this.#waiting.out = 0;
      this.#unused.in = this.#unused.out = false;
      this.#decisions.unshift(toDecision(outcome));
      this.#decisions.length = Math.min(this.#decisions.length, DECISIONS_KEPT);
      changed();
    });
    this.#poll = setInterval(() => {
      const s = this.state;
      // Warnings expire from the screen, so their count is watched too.
      const polled = JSON.stringify([
        s.online,
        s.outboxDepth,
        s.whitelistVersion,
        s.whitelistCount,
        s.problems.length,
      ]);
      if (polled !== this.#lastPolled) {
        this.#lastPolled = polled;
        changed();
      }
    }, POLL_MS);
    this.#poll.unref();
  }

  /** Publishes the offline state and releases everything, as a gate's SIGTERM would. */
  async stop(): Promise<void> {
    clearInterval(this.#poll);
    for (const timer of this.#walkers) clearTimeout(timer);
    this.#walkers.clear();
    const agent = this.#agent;
    this.#agent = null;
    await agent?.stop();
  }

  /** Performs one action; throws an Error with a message for the screen when it cannot be done. */
  act(action: SimAction): void {
    const g = this.gate;
    switch (action.kind) {
      case 'scan': {
        const code = action.code.trim();
        if (code === '') throw new Error('nothing to scan');
        g.scanner.scan(code);
        return;
      }
      case 'tap': {
        const uid = action.uid.replace(/[\s:-]/g, '').toUpperCase();
        if (!/^([0-9A-F]{8}|[0-9A-F]{14}|[0-9A-F]{20})$/.test(uid)) {
          throw new Error('a card UID is 4, 7 or 10 bytes of hex, e.g. 04A2B3C4');
        }
        // At a lane with a recycler the card goes into its slot, where the reader sits.
        g.recycler?.insertCard();
        g.cardReader.tap(uid);
        this.#card = uid;
        this.emit('change');
        return;
      }
      case 'lift':
        g.cardReader.lift();
        g.recycler?.takeCard();
        this.#card = null;
        this.emit('change');
        return;
      case 'pass':
        g.passage.pass(action.direction);
        return;
      case 'walk': {
        if (!Number.isInteger(action.persons) || action.persons < 1 || action.persons > 999)
          throw new Error('a group walks 1–999 persons');
        const direction = action.direction;
        this.#waiting[direction] += action.persons;
        if (this.#unused[direction]) {
          this.#unused[direction] = false;
          this.#waiting[direction]--;
          this.#walkLater(direction);
        }
        this.emit('change');
        return;
      }
      case 'autoPass':
        this.#autoPass = action.on ?? !this.#autoPass;
        this.emit('change');
        return;
      case 'jam': {
        const direction = this.#config.direction;
        if (action.on ?? !g.passage.isJammed(direction)) g.passage.jam(direction);
        else g.passage.unjam(direction);
        this.emit('change');
        return;
      }
    }
  }

  get state(): SimState {
    const agent = this.#agent;
    const g = this.gate;
    const status = agent?.core.status;
    const store = agent?.store;
    return {
      siteId: this.#config.siteId,
      gateId: this.#config.gateId,
      direction: this.#config.direction,
      broker: this.#config.broker.url,
      online: agent?.link.connected ?? false,
      mode: status?.mode ?? 'locked',
      denyUnauthorized: status?.denyUnauthorized ?? true,
      configVersion: status?.configVersion ?? null,
      whitelistVersion: store?.db.open ? store.whitelist.version() : 0,
      whitelistCount: store?.db.open ? store.whitelist.count() : 0,
      outboxDepth: store?.db.open ? store.outbox.depth() : 0,
      led: { lines: [...g.led.content.lines], colour: g.led.content.colour },
      voice: this.#voice,
      relays: { entry: g.relays.entry.state, exit: g.relays.exit.state, alarm: g.relays.alarm.state },
      card: this.#card,
      recycler: g.recycler
        ? {
            cardPresent: g.recycler.cardPresent,
            binCount: g.recycler.binCount,
            last: g.recycler.actions.at(-1) ?? null,
          }
        : null,
      autoPass: this.#autoPass,
      autoPassMs: this.#autoPassMs,
      waiting: this.#waiting[this.#config.direction],
      devices: devices(status?.degraded ?? [], g.recycler !== undefined),
      jammed: g.passage.isJammed(this.#config.direction),
      decisions: [...this.#decisions],
      problems: this.log
        .problems(3)
        .filter((e) => e.at > Date.now() - PROBLEMS_SHOWN_MS)
        .map((e) => `${e.level}: ${e.message}${detail(e.fields)}`),
    };
  }

  /** The turnstile was released that way: the next queued visitor walks, else the auto-pass visitor, else nobody. */
  #released(direction: PassageDirection): void {
    if (this.#waiting[direction] > 0) {
      this.#waiting[direction]--;
      this.#walkLater(direction);
      this.emit('change');
    } else if (this.#autoPass) this.#walkLater(direction);
    else this.#unused[direction] = true;
  }

  #walkLater(direction: PassageDirection): void {
    const timer = setTimeout(() => {
      this.#walkers.delete(timer);
      this.gate.passage.pass(direction);
    }, this.#autoPassMs);
    this.#walkers.add(timer);
  }
}

function devices(degraded: readonly string[], recycler: boolean): SimDevice[] {
  return DEVICE_LABELS.filter((d) => recycler || d.id !== 'recycler').map((d) => ({
    ...d,
    status: !degraded.includes(d.id) ? 'ok' : d.id.startsWith('passage.') ? 'stuck' : 'degraded',
  }));
}

function toDecision(o: ScanOutcome): SimDecision {
  const texts = reasonTexts(o.reason);
  return {
    at: Date.now(),
    admit: o.admit,
    reason: o.reason,
    text: `${lineText(texts.led.zh)} / ${lineText(texts.led.en)}`,
    kind: o.kind,
    ticketId: o.ticketId,
    entriesLeft: o.entriesLeft,
    passed: o.passed,
    persons: o.persons,
    offline: o.decidedOffline,
  };
}

function lineText(lines: readonly string[]): string {
  return lines.filter((l) => l !== '').join(' ');
}

/** A log entry's most telling field, for one screen line. */
function detail(fields: object): string {
  const f = fields as Record<string, unknown>;
  const value = f.err ?? f.code ?? f.reason;
  if (value === undefined) return '';
  return ` (${value instanceof Error ? value.message : String(value)})`;
}
