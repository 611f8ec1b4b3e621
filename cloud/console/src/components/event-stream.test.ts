import { describe, expect, it } from 'vitest';
import {
  type EventSourceLike,
  EventStreamConnection,
  RECONNECT_MAX_MS,
  reconnectDelay,
  type StreamEnvironment,
  type StreamEvent,
} from './event-stream';

class FakeSource implements EventSourceLike {
  onopen: ((event: unknown) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  closed = false;
  readonly listeners = new Map<string, (event: { data: string }) => void>();
  constructor(readonly url: string) {}
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

/** A hand-driven clock, frame and set of sources. */
function fakeEnvironment() {
  const sources: FakeSource[] = [];
  let frame: (() => void) | undefined;
  const timers: { at: number; run: () => void }[] = [];
  let now = 1_000;
  const env: StreamEnvironment = {
    open: (url) => {
      const source = new FakeSource(url);
      sources.push(source);
      return source;
    },
    nextFrame: (run) => {
      frame = run;
      return () => {
        frame = undefined;
      };
    },
    after: (run, ms) => {
      const timer = { at: now + ms, run };
      timers.push(timer);
      return () => timers.splice(timers.indexOf(timer), 1);
    },
    now: () => now,
    random: () => 1,
  };
  return {
    env,
    sources,
    latest: () => sources[sources.length - 1]!,
    drawFrame: () => {
      const run = frame;
      frame = undefined;
      run?.();
    },
    advance: (ms: number) => {
      now += ms;
      for (const timer of [...timers].sort((a, b) => a.at - b.at))
        if (timer.at <= now) {
          timers.splice(timers.indexOf(timer), 1);
          timer.run();
        }
    },
  };
}

function connection(fake: ReturnType<typeof fakeEnvironment>) {
  const batches: StreamEvent[][] = [];
  let failures = 0;
  const stream = new EventStreamConnection(
    {
      url: '/api/v1/gates/status/stream',
      events: ['snapshot', 'status'],
      apply: (batch) => batches.push([...batch]),
    },
    fake.env,
    () => failures++,
  );
  return { stream, batches, failures: () => failures };
}

describe('reconnectDelay', () => {
  it('doubles from one second up to thirty, with jitter between half and all of it', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((n) => reconnectDelay(n, 1))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
    expect(reconnectDelay(1, 0)).toBe(500);
    expect(reconnectDelay(50, 0.5)).toBe(RECONNECT_MAX_MS * 0.75);
  });
});

describe('EventStreamConnection', () => {
  it('hands all events that arrived before a frame over as one batch, in order', () => {
    const fake = fakeEnvironment();
    const { stream, batches } = connection(fake);
    stream.start();
    expect(stream.current.state).toBe('connecting');
    fake.latest().onopen?.({});
    expect(stream.current.state).toBe('open');
    fake.latest().send('snapshot', { items: [] });
    fake.latest().send('status', { gateId: 'N1' });
    fake.latest().send('status', { gateId: 'N2' });
    fake.latest().send('unlisted', { ignored: true });
    expect(batches).toEqual([]);
    fake.drawFrame();
    expect(batches).toEqual([
      [
        { event: 'snapshot', data: { items: [] } },
        { event: 'status', data: { gateId: 'N1' } },
        { event: 'status', data: { gateId: 'N2' } },
      ],
    ]);
    fake.latest().send('status', { gateId: 'N3' });
    fake.drawFrame();
    expect(batches).toHaveLength(2);
  });

  it('reconnects after a failure with a growing back-off, and starts over once a snapshot arrives', () => {
    const fake = fakeEnvironment();
    const { stream, batches, failures } = connection(fake);
    const states: string[] = [];
    stream.watch(() => states.push(stream.current.state));
    stream.start();
    fake.latest().onopen?.({});
    fake.latest().send('status', { gateId: 'N1' });
    // The connection drops before the frame: what arrived is still handed over, then the retry waits 1 s.
    fake.latest().onerror?.({});
    expect(batches).toEqual([[{ event: 'status', data: { gateId: 'N1' } }]]);
    expect(fake.sources[0]!.closed).toBe(true);
    expect(stream.current).toEqual({ state: 'reconnecting', retryAt: 2_000, failures: 1 });
    expect(failures()).toBe(1);
    fake.advance(999);
    expect(fake.sources).toHaveLength(1);
    fake.advance(1);
    expect(fake.sources).toHaveLength(2);
    // Refused again (e.g. the cloud restarting): 2 s, then 4 s.
    fake.latest().onerror?.({});
    expect(stream.current.retryAt).toBe(2_000 + 2_000);
    fake.advance(2_000);
    fake.latest().onerror?.({});
    expect(stream.current).toMatchObject({ failures: 3, retryAt: 4_000 + 4_000 });
    fake.advance(4_000);
    expect(fake.sources).toHaveLength(4);
    fake.latest().onopen?.({});
    fake.latest().send('snapshot', { items: [] });
    expect(stream.current).toEqual({ state: 'open', retryAt: null, failures: 0 });
    fake.latest().onerror?.({});
    expect(stream.current).toMatchObject({ failures: 1, retryAt: 8_000 + 1_000 });
    // As shown to the operator: each change of state once.
    expect(states.filter((state, i) => state !== states[i - 1])).toEqual([
      'connecting',
      'open',
      'reconnecting',
      'open',
      'reconnecting',
    ]);
  });

  it('ignores a closed source and stops for good', () => {
    const fake = fakeEnvironment();
    const { stream, batches } = connection(fake);
    stream.start();
    const first = fake.latest();
    first.onerror?.({});
    fake.advance(1_000);
    // A late event from the replaced source changes nothing.
    first.send('status', { gateId: 'late' });
    fake.drawFrame();
    expect(batches).toEqual([]);
    stream.stop();
    expect(fake.latest().closed).toBe(true);
    expect(stream.current.state).toBe('stopped');
    fake.advance(60_000);
    expect(fake.sources).toHaveLength(2);
  });
});
