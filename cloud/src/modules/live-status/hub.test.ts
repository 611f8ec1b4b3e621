import { afterEach, describe, expect, it } from 'vitest';
import { LiveStatusHub, type SignalSource } from './hub.js';
import type { LiveFigures } from './schemas.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Figures whose sales total is whatever `value` holds when read. */
function figuresOf(siteId: string, totalFen: number, version: number): LiveFigures {
  return {
    siteId,
    siteName: { zh: siteId, en: siteId },
    timeZone: 'Asia/Shanghai',
    date: '2026-12-12',
    at: Date.now(),
    version,
    sales: { totalFen, byMethod: [], byChannel: [] },
    refunds: { count: 0, tickets: 0, amountFen: 0 },
    netFen: totalFen,
    tickets: { sold: 0, persons: 0 },
    groupPersons: 0,
    entries: 0,
    inPark: 0,
    gates: { online: 0, total: 0 },
  };
}

describe('the live figures hub', () => {
  const stops: (() => void)[] = [];
  afterEach(() => {
    for (const stop of stops.splice(0)) stop();
  });

  function setUp(options: { minIntervalMs: number; settleMs: number; refreshMs: number }) {
    const value = { park: 0, lake: 0 };
    const reads: { siteId: string; at: number }[] = [];
    let version = 0;
    let attached = 0;
    let signal: (siteId: string) => void = () => {};
    const source: SignalSource = (s) => {
      attached++;
      signal = s;
      return () => {
        attached--;
        signal = () => {};
      };
    };
    const hub = new LiveStatusHub(
      async (siteId) => {
        reads.push({ siteId, at: Date.now() });
        return figuresOf(siteId, value[siteId as 'park'], ++version);
      },
      [source],
      options,
    );
    return { hub, value, reads, attached: () => attached, signal: (siteId: string) => signal(siteId) };
  }

  it('folds a burst of signals into one reading, and reads once more a moment later', async () => {
    const t = setUp({ minIntervalMs: 150, settleMs: 20, refreshMs: 60_000 });
    const pushed: LiveFigures[] = [];
    stops.push(t.hub.watch(['park'], (f) => pushed.push(f)));
    for (let i = 0; i < 20; i++) {
      t.value.park += 100;
      t.signal('park');
    }
    await sleep(80);
    expect(t.reads).toHaveLength(1);
    expect(pushed.map((f) => f.sales.totalFen)).toEqual([2_000]);
    // The follow-up reading finds nothing new: nothing is pushed again.
    await sleep(250);
    expect(t.reads).toHaveLength(2);
    expect(pushed).toHaveLength(1);
  });

  it('reads a busy site at most once per interval, and its last figures always arrive', async () => {
    const t = setUp({ minIntervalMs: 100, settleMs: 10, refreshMs: 60_000 });
    const pushed: LiveFigures[] = [];
    stops.push(t.hub.watch(['park'], (f) => pushed.push(f)));
    const started = Date.now();
    while (Date.now() - started < 600) {
      t.value.park += 1;
      t.signal('park');
      await sleep(5);
    }
    await sleep(300);
    const gaps = t.reads.slice(1).map((r, i) => r.at - t.reads[i]!.at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(95);
    expect(t.reads.length).toBeLessThanOrEqual(10);
    expect(pushed.at(-1)!.sales.totalFen).toBe(t.value.park);
  });

  it('reads only sites someone watches, attaches its sources only while watched, and beats while watched', async () => {
    const t = setUp({ minIntervalMs: 20, settleMs: 5, refreshMs: 100 });
    t.signal('park');
    expect(t.attached()).toBe(0);
    const lake: LiveFigures[] = [];
    const beats: number[] = [];
    const stop = t.hub.watch(
      ['lake'],
      (f) => lake.push(f),
      (at) => beats.push(at),
    );
    expect(t.attached()).toBe(1);
    t.value.park = 5;
    t.signal('park');
    t.value.lake = 7;
    t.signal('lake');
    await sleep(250);
    expect(t.reads.every((r) => r.siteId === 'lake')).toBe(true);
    expect(lake.map((f) => f.sales.totalFen)).toEqual([7]);
    // The refresh reads the watched site again every refreshMs and sends a heartbeat, pushing only what changed.
    expect(beats.length).toBeGreaterThanOrEqual(2);
    t.value.lake = 8;
    await sleep(150);
    expect(lake.map((f) => f.sales.totalFen)).toEqual([7, 8]);
    stop();
    expect(t.attached()).toBe(0);
  });

  it('treats a new listener’s snapshot as pushed, so unchanged figures are not sent twice', async () => {
    const t = setUp({ minIntervalMs: 20, settleMs: 5, refreshMs: 60_000 });
    const pushed: LiveFigures[] = [];
    stops.push(t.hub.watch(['park'], (f) => pushed.push(f)));
    t.hub.seen(figuresOf('park', 0, 0));
    t.signal('park');
    await sleep(100);
    expect(t.reads.length).toBeGreaterThan(0);
    expect(pushed).toEqual([]);
  });
});
