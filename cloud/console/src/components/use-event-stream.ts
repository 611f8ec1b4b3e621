/**
 * The console's one way to a push stream: `useEventStream(source)` keeps one connection per stream URL for the
 * whole browser — shared by every component of a tab, and across tabs through shared-event-stream.ts — and returns
 * its connection state for display. The source's `apply` feeds the TanStack Query cache, where components read the
 * data like any other query. A stream nobody in the tab shows for 5 s is released; one that fails makes the session
 * check itself, so an expired sign-in leads back to the sign-in page instead of retrying for ever.
 */
import { useCallback, useEffect, useSyncExternalStore } from 'react';
import { ME_KEY } from '../auth/session';
import { queryClient } from '../query-client';
import { browserEnvironment, EventStreamConnection, type StreamStatus } from './event-stream';
import { SharedEventStream, type SharedStreamSource, type ShareEnvironment } from './shared-event-stream';

export type { StreamEvent, StreamState, StreamStatus } from './event-stream';
export type { SharedStreamSource } from './shared-event-stream';

const IDLE_CLOSE_MS = 5_000;
const STOPPED: StreamStatus = { state: 'stopped', retryAt: null, failures: 0 };

interface Stream {
  readonly current: StreamStatus;
  watch(listener: () => void): () => void;
  start(): void;
  stop(): void;
}

interface Shared {
  readonly stream: Stream;
  users: number;
  closeTimer: number | undefined;
}

const streams = new Map<string, Shared>();

/** This tab among the console's tabs: BroadcastChannel between them and leases in localStorage. */
function shareEnvironment(): ShareEnvironment | undefined {
  if (typeof BroadcastChannel === 'undefined' || typeof localStorage === 'undefined') return undefined;
  const tabId = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  return {
    ...browserEnvironment(),
    tabId,
    openChannel: (name) => {
      const channel = new BroadcastChannel(name);
      return {
        post: (message) => channel.postMessage(message),
        listen: (listener) => {
          channel.onmessage = (event: MessageEvent) => listener(event.data);
        },
        close: () => channel.close(),
      };
    },
    readLease: (key) => {
      try {
        const text = localStorage.getItem(key);
        return text ? JSON.parse(text) : undefined;
      } catch {
        return undefined;
      }
    },
    writeLease: (key, lease) => localStorage.setItem(key, JSON.stringify(lease)),
    removeLease: (key) => localStorage.removeItem(key),
    every: (run, ms) => {
      const timer = window.setInterval(run, ms);
      return () => window.clearInterval(timer);
    },
  };
}

let environment: ShareEnvironment | null | undefined;

function sessionCheck(): void {
  void queryClient.invalidateQueries({ queryKey: ME_KEY });
}

function entryFor(source: SharedStreamSource): Shared {
  let entry = streams.get(source.url);
  if (!entry) {
    if (environment === undefined) {
      environment = shareEnvironment() ?? null;
      // A closing tab hands its streams over at once instead of after the lease runs out.
      window.addEventListener('pagehide', () => {
        for (const shared of streams.values()) shared.stream.stop();
      });
      // Back from the back-forward cache: the page's components are still there and want their streams.
      window.addEventListener('pageshow', (event) => {
        if (!event.persisted) return;
        for (const shared of streams.values()) if (shared.users > 0) shared.stream.start();
      });
    }
    const stream: Stream = environment
      ? new SharedEventStream(source, environment, sessionCheck)
      : new EventStreamConnection(source, browserEnvironment(), sessionCheck);
    entry = { stream, users: 0, closeTimer: undefined };
    streams.set(source.url, entry);
  }
  return entry;
}

function acquire(source: SharedStreamSource): () => void {
  const entry = entryFor(source);
  entry.users += 1;
  window.clearTimeout(entry.closeTimer);
  entry.stream.start();
  return () => {
    entry.users -= 1;
    if (entry.users > 0) return;
    entry.closeTimer = window.setTimeout(() => {
      if (entry.users > 0) return;
      entry.stream.stop();
      streams.delete(source.url);
    }, IDLE_CLOSE_MS);
  };
}

/** Subscribes to the stream while the component is shown (nothing when `source` is undefined). */
export function useEventStream(source: SharedStreamSource | undefined): StreamStatus {
  const url = source?.url;
  // One subscription per URL: a new source object for the same URL (a re-render) is the same stream.
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed by the URL on purpose
  useEffect(() => (source ? acquire(source) : undefined), [url]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed by the URL on purpose
  const watch = useCallback(
    (notify: () => void) => (source ? entryFor(source).stream.watch(notify) : () => {}),
    [url],
  );
  return useSyncExternalStore(watch, () => (url ? (streams.get(url)?.stream.current ?? STOPPED) : STOPPED));
}
