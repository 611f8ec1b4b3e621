/**
 * One Server-Sent Events connection of the console (the cloud's push streams: a `snapshot`, then one event per
 * change). It reconnects by itself with a growing, jittered back-off (1 s, 2 s, 4 s … at most 30 s), reports its
 * state to whoever shows it, and hands the events on in batches, at most one batch per animation frame: 500 gates
 * reporting their new mode within a second become a few cache updates and renders, not 500.
 *
 * No React and no DOM here beyond what `browserEnvironment` wraps, so the reconnect and batching rules are tested
 * in Node with a fake EventSource (event-stream.test.ts).
 */

export type StreamState = 'connecting' | 'open' | 'reconnecting' | 'stopped';

export interface StreamEvent {
  readonly event: string;
  readonly data: unknown;
}

export interface StreamSource {
  /** Same-origin path with its query: one connection per distinct URL. */
  readonly url: string;
  /** The event names the stream sends (`snapshot` first). */
  readonly events: readonly string[];
  /** Takes a batch of events in arrival order; called at most once per frame. */
  readonly apply: (batch: readonly StreamEvent[]) => void;
}

export interface StreamStatus {
  readonly state: StreamState;
  /** When the next attempt starts (epoch ms), while reconnecting. */
  readonly retryAt: number | null;
  /** Failed attempts in a row. */
  readonly failures: number;
}

/** The part of EventSource this uses. */
export interface EventSourceLike {
  onopen: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  addEventListener(name: string, listener: (event: { data: string }) => void): void;
  close(): void;
}

export interface StreamEnvironment {
  open(url: string): EventSourceLike;
  /** Runs `run` at the next frame (or soon, when frames are not drawn); returns what cancels it. */
  nextFrame(run: () => void): () => void;
  /** Runs `run` after `ms`; returns what cancels it. */
  after(run: () => void, ms: number): () => void;
  now(): number;
  random(): number;
}

export const RECONNECT_MIN_MS = 1_000;
export const RECONNECT_MAX_MS = 30_000;

/** Wait before attempt `failures` + 1: doubling from 1 s up to 30 s, each between 50 % and 100 % of that. */
export function reconnectDelay(failures: number, random: number): number {
  const ceiling = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** Math.max(0, failures - 1));
  return Math.round(ceiling * (0.5 + 0.5 * random));
}

export class EventStreamConnection {
  private source: EventSourceLike | undefined;
  private queue: StreamEvent[] = [];
  private cancelFrame: (() => void) | undefined;
  private cancelRetry: (() => void) | undefined;
  private status: StreamStatus = { state: 'stopped', retryAt: null, failures: 0 };
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly spec: StreamSource,
    private readonly env: StreamEnvironment,
    /** Told after each failed attempt (e.g. to check whether the session ended). */
    private readonly onFailure: () => void = () => {},
  ) {}

  get current(): StreamStatus {
    return this.status;
  }

  /** Listens for state changes; returns what stops listening. */
  watch(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  start(): void {
    if (this.status.state !== 'stopped') return;
    this.connect('connecting');
  }

  stop(): void {
    this.source?.close();
    this.source = undefined;
    this.cancelRetry?.();
    this.cancelRetry = undefined;
    this.flush();
    this.setStatus({ state: 'stopped', retryAt: null, failures: 0 });
  }

  private connect(state: 'connecting' | 'reconnecting'): void {
    this.cancelRetry = undefined;
    this.setStatus({ ...this.status, state, retryAt: null });
    const source = this.env.open(this.spec.url);
    this.source = source;
    source.onopen = () => {
      if (this.source === source) this.setStatus({ ...this.status, state: 'open', retryAt: null });
    };
    source.onerror = () => {
      if (this.source === source) this.failed();
    };
    for (const name of this.spec.events) {
      source.addEventListener(name, (event) => {
        if (this.source !== source) return;
        let data: unknown;
        try {
          data = JSON.parse(event.data);
        } catch {
          return;
        }
        // A snapshot proves the stream works end to end: the back-off starts over.
        if (name === 'snapshot' && this.status.failures > 0)
          this.setStatus({ state: 'open', retryAt: null, failures: 0 });
        this.queue.push({ event: name, data });
        this.cancelFrame ??= this.env.nextFrame(() => {
          this.cancelFrame = undefined;
          this.flush();
        });
      });
    }
  }

  /**
   * The connection broke or was refused. EventSource would retry a broken one by itself after a fixed delay, but
   * give up for good on an HTTP error; closing and reopening here treats both alike, with the back-off.
   */
  private failed(): void {
    this.source?.close();
    this.source = undefined;
    this.flush();
    const failures = this.status.failures + 1;
    const wait = reconnectDelay(failures, this.env.random());
    this.setStatus({ state: 'reconnecting', retryAt: this.env.now() + wait, failures });
    this.cancelRetry = this.env.after(() => this.connect('reconnecting'), wait);
    this.onFailure();
  }

  private flush(): void {
    this.cancelFrame?.();
    this.cancelFrame = undefined;
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    this.spec.apply(batch);
  }

  private setStatus(next: StreamStatus): void {
    const previous = this.status;
    if (
      previous.state === next.state &&
      previous.retryAt === next.retryAt &&
      previous.failures === next.failures
    )
      return;
    this.status = next;
    for (const listener of this.listeners) listener();
  }
}

/**
 * The browser's EventSource, animation frames and clock. Frames stop in a hidden tab (a control room PC showing
 * another window), so a timer stands in for the frame when none comes within 250 ms.
 */
export function browserEnvironment(): StreamEnvironment {
  return {
    open: (url) => new EventSource(url, { withCredentials: true }) as unknown as EventSourceLike,
    nextFrame: (run) => {
      let done = false;
      const once = () => {
        if (done) return;
        done = true;
        window.cancelAnimationFrame(frame);
        window.clearTimeout(timer);
        run();
      };
      const frame = window.requestAnimationFrame(once);
      const timer = window.setTimeout(once, 250);
      return () => {
        done = true;
        window.cancelAnimationFrame(frame);
        window.clearTimeout(timer);
      };
    },
    after: (run, ms) => {
      const timer = window.setTimeout(run, ms);
      return () => window.clearTimeout(timer);
    },
    now: () => Date.now(),
    random: () => Math.random(),
  };
}
