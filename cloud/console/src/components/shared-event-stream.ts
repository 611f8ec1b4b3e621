/**
 * One push stream shared by every console tab of the browser. Browsers allow six HTTP/1.1 connections per server,
 * and each open EventSource holds one for good: three control room tabs with two streams each would leave no
 * connection for anything else, and every page would hang. So per stream URL one tab, the leader, holds the
 * EventSource and relays each batch of events to the other tabs over a BroadcastChannel; they apply them to their
 * own caches exactly as the leader does.
 *
 * The leader is whoever holds a short lease in localStorage (renewed every second, lost after five without renewal),
 * which works on a plain-HTTP LAN address where the Web Locks API is unavailable. Two tabs may lead for a moment
 * (both took an expired lease); the one that sees the other's lease steps down at its next renewal, and meanwhile a
 * follower applies the same events twice, which every stream reducer tolerates (a snapshot replaces, a status or
 * figure overwrites, a passage or alert is kept once per id). A tab that starts following says hello, and the leader
 * answers with a snapshot of what its cache holds, so the newcomer starts from the same state; a leader that stops
 * says goodbye, and a follower takes over with a connection of its own, whose snapshot brings everyone up to date.
 */
import {
  EventStreamConnection,
  type StreamEnvironment,
  type StreamEvent,
  type StreamSource,
  type StreamStatus,
} from './event-stream';

export interface SharedStreamSource extends StreamSource {
  /** What the tab's cache holds now, as the stream's `snapshot` event would carry it; undefined before any. */
  readonly snapshot: () => unknown;
}

export type ShareMessage =
  | { readonly kind: 'events'; readonly from: string; readonly batch: readonly StreamEvent[] }
  | { readonly kind: 'status'; readonly from: string; readonly status: StreamStatus }
  | { readonly kind: 'hello'; readonly from: string }
  | { readonly kind: 'bye'; readonly from: string };

export interface ShareChannel {
  post(message: ShareMessage): void;
  listen(listener: (message: ShareMessage) => void): void;
  close(): void;
}

export interface Lease {
  readonly tab: string;
  readonly until: number;
}

export interface ShareEnvironment extends StreamEnvironment {
  readonly tabId: string;
  openChannel(name: string): ShareChannel;
  readLease(key: string): Lease | undefined;
  writeLease(key: string, lease: Lease): void;
  removeLease(key: string): void;
  every(run: () => void, ms: number): () => void;
}

export const LEASE_MS = 5_000;
export const RENEW_MS = 1_000;

const STOPPED: StreamStatus = { state: 'stopped', retryAt: null, failures: 0 };
const CONNECTING: StreamStatus = { state: 'connecting', retryAt: null, failures: 0 };

export class SharedEventStream {
  private role: 'idle' | 'leader' | 'follower' = 'idle';
  private connection: EventStreamConnection | undefined;
  private unwatch: (() => void) | undefined;
  private channel: ShareChannel | undefined;
  private cancelTimer: (() => void) | undefined;
  private status: StreamStatus = STOPPED;
  private readonly listeners = new Set<() => void>();
  private readonly key: string;

  constructor(
    private readonly source: SharedStreamSource,
    private readonly env: ShareEnvironment,
    private readonly onFailure: () => void = () => {},
  ) {
    this.key = `console.stream:${source.url}`;
  }

  get current(): StreamStatus {
    return this.status;
  }

  get leading(): boolean {
    return this.role === 'leader';
  }

  watch(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  start(): void {
    if (this.role !== 'idle') return;
    const channel = this.env.openChannel(this.key);
    this.channel = channel;
    channel.listen((message) => this.receive(message));
    this.tick();
    this.cancelTimer = this.env.every(() => this.tick(), RENEW_MS);
  }

  stop(): void {
    if (this.role === 'idle') return;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    const wasLeader = this.role === 'leader';
    this.dropConnection();
    if (wasLeader) {
      if (this.env.readLease(this.key)?.tab === this.env.tabId) this.env.removeLease(this.key);
      this.post({ kind: 'bye', from: this.env.tabId });
    }
    this.channel?.close();
    this.channel = undefined;
    this.role = 'idle';
    this.setStatus(STOPPED);
  }

  private tick(): void {
    const lease = this.env.readLease(this.key);
    const now = this.env.now();
    const heldByOther = lease !== undefined && lease.tab !== this.env.tabId && lease.until > now;
    if (this.role === 'leader') {
      if (heldByOther) this.follow();
      else this.env.writeLease(this.key, { tab: this.env.tabId, until: now + LEASE_MS });
    } else if (!heldByOther) this.lead();
    else if (this.role === 'idle') this.follow();
  }

  private lead(): void {
    this.env.writeLease(this.key, { tab: this.env.tabId, until: this.env.now() + LEASE_MS });
    this.role = 'leader';
    const connection = new EventStreamConnection(
      {
        url: this.source.url,
        events: this.source.events,
        apply: (batch) => {
          this.source.apply(batch);
          this.post({ kind: 'events', from: this.env.tabId, batch });
        },
      },
      this.env,
      this.onFailure,
    );
    this.connection = connection;
    this.unwatch = connection.watch(() => {
      this.setStatus(connection.current);
      this.post({ kind: 'status', from: this.env.tabId, status: connection.current });
    });
    connection.start();
  }

  private follow(): void {
    this.dropConnection();
    this.role = 'follower';
    this.setStatus(CONNECTING);
    this.post({ kind: 'hello', from: this.env.tabId });
  }

  /** Closes this tab's own connection, quietly: the followers hear from the next leader. */
  private dropConnection(): void {
    this.unwatch?.();
    this.unwatch = undefined;
    const connection = this.connection;
    this.connection = undefined;
    connection?.stop();
  }

  private receive(message: ShareMessage): void {
    if (message.from === this.env.tabId) return;
    switch (message.kind) {
      case 'events':
        // A leader has its own connection; another leader's events are the same ones.
        if (this.role === 'follower') this.source.apply(message.batch);
        break;
      case 'status':
        if (this.role === 'follower') this.setStatus(message.status);
        break;
      case 'hello':
        if (this.role === 'leader') {
          const snapshot = this.source.snapshot();
          if (snapshot !== undefined)
            this.post({
              kind: 'events',
              from: this.env.tabId,
              batch: [{ event: 'snapshot', data: snapshot }],
            });
          this.post({ kind: 'status', from: this.env.tabId, status: this.status });
        }
        break;
      case 'bye':
        if (this.role === 'follower') this.tick();
        break;
    }
  }

  private post(message: ShareMessage): void {
    this.channel?.post(message);
  }

  private setStatus(next: StreamStatus): void {
    this.status = next;
    for (const listener of this.listeners) listener();
  }
}
