import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { type EventStreamSource, sendEventStream } from './event-stream.js';
import { type EventStreamClient, openEventStream } from './testing.js';

interface Item {
  id: string;
  version: number;
}
type Events = { item: Item; note: string };
type Snapshot = { items: Item[] };

async function until(check: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A source whose changes come from an EventEmitter, like the gate status and occupancy hubs. */
function emitterSource(
  hub: EventEmitter,
  snapshot: () => Snapshot | Promise<Snapshot>,
  covered?: EventStreamSource<Snapshot, Events>['covered'],
): EventStreamSource<Snapshot, Events> {
  return {
    subscribe(push) {
      const onItem = (data: Item) => push({ event: 'item', data });
      const onNote = (data: string) => push({ event: 'note', data });
      hub.on('item', onItem);
      hub.on('note', onNote);
      return () => {
        hub.off('item', onItem);
        hub.off('note', onNote);
      };
    },
    snapshot,
    ...(covered && { covered }),
  };
}

/** Drops an item change when the snapshot has that item at the same or a later version. */
const byVersion = (snapshot: Snapshot) => {
  const versions = new Map(snapshot.items.map((item) => [item.id, item.version]));
  return (change: { event: string; data: unknown }) => {
    if (change.event !== 'item') return false;
    const item = change.data as Item;
    return (versions.get(item.id) ?? -1) >= item.version;
  };
};

describe('sendEventStream', () => {
  let app: FastifyInstance | undefined;
  const streams: EventStreamClient[] = [];
  afterEach(async () => {
    // A failed test leaves its stream open, and closing the server would wait for it.
    for (const stream of streams.splice(0)) stream.close();
    await app?.close();
    app = undefined;
  });

  async function serve(source: EventStreamSource<Snapshot, Events>, keepaliveMs?: number): Promise<number> {
    app = Fastify({ logger: false });
    app.get('/stream', (req, reply) =>
      sendEventStream(req, reply, source, keepaliveMs === undefined ? {} : { keepaliveMs }),
    );
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    return port;
  }

  function open(port: number) {
    const stream = openEventStream({ port, path: '/stream' });
    streams.push(stream);
    return stream;
  }

  /**
   * Serves a source whose snapshot read waits until the test calls `release`, and opens a stream; returns once the
   * stream listens for changes and the read has begun, so what the test emits next lands while the snapshot is read.
   */
  async function openWhileSnapshotWaits(
    hub: EventEmitter,
    covered?: EventStreamSource<Snapshot, Events>['covered'],
  ) {
    let release: ((snapshot: Snapshot) => void) | undefined;
    const port = await serve(
      emitterSource(
        hub,
        () =>
          new Promise<Snapshot>((resolve) => {
            release = resolve;
          }),
        covered,
      ),
    );
    const stream = open(port);
    await until(() => hub.listenerCount('item') === 1 && release !== undefined);
    return { stream, release: release! };
  }

  it('delivers a change that lands after the snapshot was read but before it was sent, after the snapshot', async () => {
    const hub = new EventEmitter();
    const state = new Map([['a', 1]]);
    const port = await serve(
      emitterSource(hub, async () => {
        const items = [...state].map(([id, version]) => ({ id, version }));
        // The state was read; now, before the read's answer is back, the item changes. Listening only after the
        // snapshot (the old order) misses this change for good.
        await new Promise((resolve) => setImmediate(resolve));
        state.set('a', 2);
        hub.emit('item', { id: 'a', version: 2 });
        await new Promise((resolve) => setImmediate(resolve));
        return { items };
      }),
    );
    const stream = open(port);
    await until(() => stream.events.length >= 2);
    expect(stream.events).toEqual([
      ['snapshot', { items: [{ id: 'a', version: 1 }] }],
      ['item', { id: 'a', version: 2 }],
    ]);
    stream.close();
  });

  it('sends SSE headers; held changes come after the snapshot in arrival order, then live ones', async () => {
    const hub = new EventEmitter();
    const { stream, release } = await openWhileSnapshotWaits(hub);
    hub.emit('item', { id: 'a', version: 5 });
    hub.emit('note', 'first');
    hub.emit('item', { id: 'b', version: 1 });
    release({ items: [] });
    await until(() => stream.events.length >= 4);
    hub.emit('note', 'live');
    await until(() => stream.events.length >= 5);
    expect(await stream.headers).toMatchObject({
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
    });
    expect(stream.events).toEqual([
      ['snapshot', { items: [] }],
      ['item', { id: 'a', version: 5 }],
      ['note', 'first'],
      ['item', { id: 'b', version: 1 }],
      ['note', 'live'],
    ]);
    stream.close();
  });

  it('drops changes the snapshot already covers, held or live, and sends newer ones', async () => {
    const hub = new EventEmitter();
    const { stream, release } = await openWhileSnapshotWaits(hub, byVersion);
    hub.emit('item', { id: 'a', version: 3 }); // older than the snapshot's a@4: dropped
    hub.emit('item', { id: 'a', version: 4 }); // the snapshot's own state: dropped
    hub.emit('item', { id: 'a', version: 5 }); // newer: sent
    release({ items: [{ id: 'a', version: 4 }] });
    await until(() => stream.events.length >= 2);
    hub.emit('item', { id: 'a', version: 4 }); // announced late, still covered: dropped
    hub.emit('note', 'not an item'); // not versioned: sent
    hub.emit('item', { id: 'c', version: 1 }); // not in the snapshot: sent
    await until(() => stream.events.length >= 4);
    expect(stream.events).toEqual([
      ['snapshot', { items: [{ id: 'a', version: 4 }] }],
      ['item', { id: 'a', version: 5 }],
      ['note', 'not an item'],
      ['item', { id: 'c', version: 1 }],
    ]);
    stream.close();
  });

  it('keeps the connection alive with comments and stops listening when the client goes away', async () => {
    const hub = new EventEmitter();
    const port = await serve(
      emitterSource(hub, () => ({ items: [] })),
      20,
    );
    const stream = open(port);
    await until(() => stream.events.filter(([name]) => name === '#').length >= 2);
    expect(stream.events[0]).toEqual(['snapshot', { items: [] }]);
    expect(stream.events).toContainEqual(['#', 'keepalive']);
    expect(hub.listenerCount('item')).toBe(1);
    stream.close();
    await until(() => hub.listenerCount('item') === 0 && hub.listenerCount('note') === 0);
  });

  it('stops listening when the client goes away while the snapshot is read, and sends nothing after', async () => {
    const hub = new EventEmitter();
    const { stream, release } = await openWhileSnapshotWaits(hub);
    expect((await stream.headers)['content-type']).toBe('text/event-stream; charset=utf-8');
    stream.close();
    await until(() => hub.listenerCount('item') === 0);
    // Writing to the closed response would throw ERR_STREAM_DESTROYED or write after end; it must not be tried.
    release({ items: [] });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stream.events).toEqual([]);
  });

  it('ends the stream and stops listening when the snapshot cannot be read', async () => {
    const hub = new EventEmitter();
    const port = await serve(
      emitterSource(hub, async () => {
        throw new Error('database unavailable');
      }),
    );
    const stream = open(port);
    await stream.ended;
    expect(stream.events).toEqual([]);
    expect(hub.listenerCount('item')).toBe(0);
  });
});
