/**
 * Live figures pushed to the console as they change, read at most once a second per site however busy it is.
 *
 * What changes them is signalled per site: a taking recorded (sales, refunds, supplements, group orders), a passage
 * stored, a gate going on- or offline. A signal does not carry the figures: it marks the site to be read again, and
 * every signal that arrives meanwhile is folded into that one reading, taken no sooner than `settleMs` after the
 * signal and `minIntervalMs` after the site's last reading. The figures are pushed only when they differ from the
 * last ones pushed, to every listener watching the site.
 *
 * A taking signals from inside its transaction, before its commit, so a reading may miss it: each reading a signal
 * caused is followed by one more `minIntervalMs` later, and while anyone listens every watched site is read again
 * every `refreshMs` (which also turns the figures over at midnight and picks up what another cloud instance
 * recorded), each listener getting a heartbeat then. Sources are attached only while someone listens: with nobody
 * watching, a signal costs nothing.
 */
import type { LiveFigures } from './schemas.js';

export type LiveListener = (figures: LiveFigures) => void;
/** Starts a source of signals; returns what stops it. */
export type SignalSource = (signal: (siteId: string) => void) => () => void;

export interface LiveHubOptions {
  readonly minIntervalMs?: number;
  readonly settleMs?: number;
  readonly refreshMs?: number;
  readonly onError?: (error: unknown) => void;
}

interface SiteState {
  timer: NodeJS.Timeout | undefined;
  lastReadAt: number;
  /** The last figures pushed, without their time and version. */
  last: string | undefined;
  reading: boolean;
  /** A signal arrived while reading: read again. */
  dirty: boolean;
  /** The follow-up reading after a signalled one is due. */
  followUp: boolean;
}

interface Watcher {
  readonly sites: ReadonlySet<string>;
  readonly listener: LiveListener;
  readonly heartbeat: ((at: number) => void) | undefined;
}

const comparable = (figures: LiveFigures): string => JSON.stringify({ ...figures, at: 0, version: 0 });

export class LiveStatusHub {
  private readonly watchers = new Set<Watcher>();
  private readonly sites = new Map<string, SiteState>();
  private detach: (() => void)[] = [];
  private refresh: NodeJS.Timeout | undefined;
  private readonly minIntervalMs: number;
  private readonly settleMs: number;
  private readonly refreshMs: number;

  constructor(
    private readonly read: (siteId: string) => Promise<LiveFigures>,
    private readonly sources: readonly SignalSource[],
    private readonly options: LiveHubOptions = {},
  ) {
    this.minIntervalMs = options.minIntervalMs ?? 1_000;
    this.settleMs = options.settleMs ?? 250;
    this.refreshMs = options.refreshMs ?? 15_000;
  }

  /**
   * Pushes the figures of `sites` to `listener` whenever they change, and calls `heartbeat` every `refreshMs`,
   * until the answer is called.
   */
  watch(sites: readonly string[], listener: LiveListener, heartbeat?: (at: number) => void): () => void {
    const watcher: Watcher = { sites: new Set(sites), listener, heartbeat };
    if (this.watchers.size === 0) this.start();
    this.watchers.add(watcher);
    return () => {
      this.watchers.delete(watcher);
      if (this.watchers.size === 0) this.stop();
    };
  }

  /** Something that moves the site's figures happened (or is about to commit). */
  signal(siteId: string): void {
    if (!this.watched(siteId)) return;
    const state = this.stateOf(siteId);
    state.followUp = true;
    this.schedule(siteId, state, this.settleMs);
  }

  /**
   * Figures read for a new listener (its snapshot): unless figures were pushed already, they count as the last
   * pushed, so the next reading is sent only if something changed since.
   */
  seen(figures: LiveFigures): void {
    const state = this.stateOf(figures.siteId);
    if (state.last === undefined) state.last = comparable(figures);
  }

  private watched(siteId: string): boolean {
    for (const watcher of this.watchers) if (watcher.sites.has(siteId)) return true;
    return false;
  }

  private stateOf(siteId: string): SiteState {
    let state = this.sites.get(siteId);
    if (!state) {
      state = {
        timer: undefined,
        lastReadAt: 0,
        last: undefined,
        reading: false,
        dirty: false,
        followUp: false,
      };
      this.sites.set(siteId, state);
    }
    return state;
  }

  /** Reads the site once `settle` ms have passed and at least `minIntervalMs` after its last reading. */
  private schedule(siteId: string, state: SiteState, settle: number): void {
    if (state.reading) {
      state.dirty = true;
      return;
    }
    if (state.timer) return;
    const wait = Math.max(settle, state.lastReadAt + this.minIntervalMs - Date.now());
    state.timer = setTimeout(() => {
      state.timer = undefined;
      void this.readSite(siteId, state);
    }, wait);
    state.timer.unref();
  }

  private async readSite(siteId: string, state: SiteState): Promise<void> {
    if (!this.watched(siteId)) return;
    state.reading = true;
    state.dirty = false;
    const followUp = state.followUp;
    state.followUp = false;
    try {
      const figures = await this.read(siteId);
      const now = comparable(figures);
      if (now !== state.last) {
        state.last = now;
        for (const watcher of this.watchers)
          if (watcher.sites.has(siteId)) {
            try {
              watcher.listener(figures);
            } catch (error) {
              this.options.onError?.(error);
            }
          }
      }
    } catch (error) {
      this.options.onError?.(error);
    } finally {
      state.reading = false;
      state.lastReadAt = Date.now();
    }
    if (state.dirty) this.schedule(siteId, state, 0);
    else if (followUp) this.schedule(siteId, state, this.minIntervalMs);
  }

  private start(): void {
    this.detach = this.sources.map((source) => source((siteId) => this.signal(siteId)));
    this.refresh = setInterval(() => {
      for (const siteId of new Set([...this.watchers].flatMap((w) => [...w.sites])))
        this.schedule(siteId, this.stateOf(siteId), 0);
      const at = Date.now();
      for (const watcher of this.watchers)
        try {
          watcher.heartbeat?.(at);
        } catch (error) {
          this.options.onError?.(error);
        }
    }, this.refreshMs);
    this.refresh.unref();
  }

  private stop(): void {
    for (const stop of this.detach) stop();
    this.detach = [];
    clearInterval(this.refresh);
    this.refresh = undefined;
    for (const state of this.sites.values()) clearTimeout(state.timer);
    this.sites.clear();
  }
}
