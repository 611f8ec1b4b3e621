import { describe, expect, it } from 'vitest';
import type { EventSourceLike, StreamEvent } from './event-stream';
import {
  LEASE_MS,
  type Lease,
  RENEW_MS,
  type ShareChannel,
  SharedEventStream,
  type ShareEnvironment,
  type ShareMessage,
} from './shared-event-stream';

class FakeSource implements EventSourceLike {
  onopen: ((event: unknown) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  closed = false;
  readonly listeners = new Map<string, (event: { data: string }) => void>();
  addEventListener(name: string, listener: (event: { data: string }) => void): void {
    this.listeners.set(name, listener);
  }
  close(): void {
    this.closed = true;
  }
  send(name: string, data: unknown): void {
    this.listeners.get(name)?.({ data: JSON.stringify(data) });
  }
}

/** A browser with several tabs: one clock, one localStorage, BroadcastChannels between the tabs. */
function browser() {
  let now = 0;
  const timers: { at: number; every: number; run: () => void; tab: string }[] = [];
  const leases = new Map<string, Lease>();
  const channels: { name: string; tab: string; listener?: (message: ShareMessage) => void }[] = [];
  const sources: { tab: string; source: FakeSource }[] = [];
  const frames: (() => void)[] = [];

  function tab(tabId: string): ShareEnvironment {
    return {
      tabId,
      open: () => {
        const source = new FakeSource();
        sources.push({ tab: tabId, source });
        return source;
      },
      nextFrame: (run) => {
        frames.push(run);
        return () => frames.splice(frames.indexOf(run), 1);
      },
      after: (run, ms) => {
        const timer = { at: now + ms, every: 0, run, tab: tabId };
        timers.push(timer);
        return () => timers.splice(timers.indexOf(timer), 1);
      },
      every: (run, ms) => {
        const timer = { at: now + ms, every: ms, run, tab: tabId };
        timers.push(timer);
        return () => timers.splice(timers.indexOf(timer), 1);
      },
      now: () => now,
      random: () => 1,
      openChannel: (name): ShareChannel => {
        const entry: (typeof channels)[number] = { name, tab: tabId };
        channels.push(entry);
        return {
          post: (message) => {
            for (const other of channels)
              if (other !== entry && other.name === name) other.listener?.(structuredClone(message));
          },
          listen: (listener) => {
            entry.listener = listener;
          },
          close: () => channels.splice(channels.indexOf(entry), 1),
        };
      },
      readLease: (key) => leases.get(key),
      writeLease: (key, lease) => leases.set(key, lease),
      removeLease: (key) => leases.delete(key),
    };
  }

  return {
    tab,
    open: () => sources.filter((entry) => !entry.source.closed),
    /** Every tab draws its next frame. */
    draw() {
      for (const run of frames.splice(0)) run();
    },
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const next = [...timers].sort((a, b) => a.at - b.at)[0];
        if (!next || next.at > end) break;
        now = next.at;
        if (next.every) next.at += next.every;
        else timers.splice(timers.indexOf(next), 1);
        next.run();
      }
      now = end;
    },
    /** A tab closed without saying goodbye (crashed, killed): its timers stop. */
    crash(tabId: string) {
      for (const timer of timers.filter((t) => t.tab === tabId)) timers.splice(timers.indexOf(timer), 1);
      for (const channel of channels.filter((c) => c.tab === tabId))
        channels.splice(channels.indexOf(channel), 1);
    },
  };
}

/** A tab's cache of the stream: the last snapshot plus the events applied on it. */
function tabStream(env: ShareEnvironment) {
  const state: { items: string[] } = { items: [] };
  let snapshots = 0;
  const stream = new SharedEventStream(
    {
      url: '/api/v1/gates/status/stream',
      events: ['snapshot', 'status'],
      apply: (batch: readonly StreamEvent[]) => {
        for (const { event, data } of batch) {
          if (event === 'snapshot') {
            snapshots += 1;
            state.items = [...(data as { items: string[] }).items];
          } else if (!state.items.includes(data as string)) state.items.push(data as string);
        }
      },
      snapshot: () => (snapshots > 0 ? { items: [...state.items] } : undefined),
    },
    env,
  );
  return { stream, state };
}

describe('a stream shared by the tabs of a browser', () => {
  it('is held by one tab; the others get its events, and a latecomer starts from the leader’s state', () => {
    const b = browser();
    const one = tabStream(b.tab('one'));
    const two = tabStream(b.tab('two'));
    one.stream.start();
    two.stream.start();
    expect(one.stream.leading).toBe(true);
    expect(two.stream.leading).toBe(false);
    expect(b.open()).toHaveLength(1);

    const source = b.open()[0]!.source;
    source.onopen?.({});
    source.send('snapshot', { items: ['N1'] });
    source.send('status', 'N2');
    b.draw();
    expect(one.state.items).toEqual(['N1', 'N2']);
    expect(two.state.items).toEqual(['N1', 'N2']);
    expect(two.stream.current.state).toBe('open');

    const three = tabStream(b.tab('three'));
    three.stream.start();
    expect(three.state.items).toEqual(['N1', 'N2']);
    expect(three.stream.current.state).toBe('open');
    b.advance(10 * RENEW_MS);
    expect(b.open()).toHaveLength(1);
  });

  it('passes to another tab when the leader stops, or when its tab dies and the lease runs out', () => {
    const b = browser();
    const one = tabStream(b.tab('one'));
    const two = tabStream(b.tab('two'));
    const three = tabStream(b.tab('three'));
    one.stream.start();
    two.stream.start();
    three.stream.start();
    one.stream.stop();
    // Both followers heard goodbye; at most a moment of two leaders, then one.
    b.advance(RENEW_MS);
    expect([two.stream.leading, three.stream.leading].filter(Boolean)).toHaveLength(1);
    expect(b.open()).toHaveLength(1);
    const leader = two.stream.leading ? 'two' : 'three';
    const follower = leader === 'two' ? three : two;
    b.crash(leader);
    b.advance(LEASE_MS - RENEW_MS);
    expect(follower.stream.leading).toBe(false);
    b.advance(2 * RENEW_MS);
    expect(follower.stream.leading).toBe(true);
    const latest = b.open().at(-1)!;
    expect(latest.tab).not.toBe(leader);
    latest.source.send('snapshot', { items: ['N9'] });
    b.draw();
    expect(follower.state.items).toEqual(['N9']);
  });

  it('settles on one leader when two took an expired lease at once', () => {
    const b = browser();
    const one = tabStream(b.tab('one'));
    const two = tabStream(b.tab('two'));
    one.stream.start();
    // The second tab missed the lease (written in the same instant elsewhere) and leads as well.
    (two.stream as unknown as { lead(): void }).lead();
    expect(one.stream.leading && two.stream.leading).toBe(true);
    b.advance(RENEW_MS);
    expect([one.stream.leading, two.stream.leading].filter(Boolean)).toHaveLength(1);
    expect(b.open()).toHaveLength(1);
  });
});
