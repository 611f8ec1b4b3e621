import { describe, expect, it } from 'vitest';
import type { DriverError } from '../errors.js';
import { type Passage, PassageInputStuckError } from '../interfaces.js';
import { waitForPassage } from '../wait-for-passage.js';
import { GpioCardRecycler } from './gpio-card-recycler.js';
import { GpioPassageSensor } from './gpio-passage-sensor.js';
import { MemoryGpio } from './memory-gpio.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('GpioPassageSensor', () => {
  it('turns active edges into passages with direction, honouring active-low inputs', async () => {
    const gpio = new MemoryGpio();
    const sensor = new GpioPassageSensor({ gpio, entry: { line: 20 }, exit: { line: 21, activeLow: true } });
    const passages: Passage[] = [];
    sensor.on('passage', (p) => passages.push(p));
    gpio.drive(21, 1); // idle level of an active-low input
    await sensor.start();
    gpio.drive(20, 1);
    gpio.drive(20, 0);
    gpio.drive(21, 0);
    gpio.drive(21, 1);
    expect(passages.map((p) => p.direction)).toEqual(['in', 'out']);
    await sensor.stop();
    gpio.drive(20, 1);
    expect(passages).toHaveLength(2);
  });

  it('counts edges, not levels: a glitch inside a pulse or a held level is one passage', async () => {
    const gpio = new MemoryGpio();
    const sensor = new GpioPassageSensor({ gpio, entry: { line: 20 }, exit: { line: 21, activeLow: true } });
    const passages: Passage[] = [];
    sensor.on('passage', (p) => passages.push(p));
    gpio.drive(21, 1);
    await sensor.start();
    gpio.drive(20, 1);
    gpio.glitch(20); // bounce inside the pulse: the debounced watcher reports "active" again
    gpio.glitch(20);
    gpio.drive(20, 0);
    gpio.glitch(20); // and "inactive" again while idle
    gpio.drive(21, 0); // an active-low level output held active
    gpio.glitch(21);
    expect(passages.map((p) => p.direction)).toEqual(['in', 'out']);
    gpio.drive(21, 1);
    gpio.drive(21, 0); // a real second edge counts
    expect(passages.map((p) => p.direction)).toEqual(['in', 'out', 'out']);
    await sensor.stop();
  });

  it('does not count an input that is already active at start() as a passage', async () => {
    const gpio = new MemoryGpio();
    gpio.drive(20, 1);
    const sensor = new GpioPassageSensor({ gpio, entry: { line: 20 }, exit: { line: 21 } });
    const passages: Passage[] = [];
    sensor.on('passage', (p) => passages.push(p));
    await sensor.start();
    gpio.glitch(20);
    expect(passages).toEqual([]);
    gpio.drive(20, 0);
    gpio.drive(20, 1);
    expect(passages).toHaveLength(1);
    await sensor.stop();
  });

  it('reports an input stuck active as PASSAGE_INPUT_STUCK once, and clears it when the input returns', async () => {
    const gpio = new MemoryGpio();
    const sensor = new GpioPassageSensor({
      gpio,
      entry: { line: 20 },
      exit: { line: 21 },
      stuckAfterMs: 100,
    });
    const faults: DriverError[] = [];
    const cleared: DriverError[] = [];
    const passages: Passage[] = [];
    sensor.on('fault', (e) => faults.push(e));
    sensor.on('faultCleared', (e) => cleared.push(e));
    sensor.on('passage', (p) => passages.push(p));
    await sensor.start();
    gpio.drive(21, 1);
    gpio.drive(21, 0); // a normal pulse: no fault
    gpio.drive(20, 1); // then the entry arm jams
    await sleep(60);
    expect(faults).toEqual([]);
    await sleep(80);
    expect(faults.map((e) => e.code)).toEqual(['PASSAGE_INPUT_STUCK']);
    expect(faults[0]!.message).toMatch(/entry/);
    expect(faults[0]).toBeInstanceOf(PassageInputStuckError);
    expect((faults[0] as PassageInputStuckError).direction).toBe('in');
    await sleep(150);
    expect(faults).toHaveLength(1); // reported once, not every period
    gpio.drive(20, 0);
    expect(cleared).toEqual(faults);
    gpio.drive(20, 1); // working again: the next edge is a passage
    expect(passages.map((p) => p.direction)).toEqual(['out', 'in', 'in']);
    await sensor.stop();
    await sleep(150);
    expect(faults).toHaveLength(1); // no timer survives stop()
  });

  it('also reports an input stuck from start(), and refuses a nonsense stuck limit', async () => {
    const gpio = new MemoryGpio();
    gpio.drive(21, 1);
    const sensor = new GpioPassageSensor({
      gpio,
      entry: { line: 20 },
      exit: { line: 21 },
      stuckAfterMs: 100,
    });
    const faults: string[] = [];
    sensor.on('fault', (e) => faults.push(e.message));
    await sensor.start();
    await sleep(140);
    expect(faults).toHaveLength(1);
    expect(faults[0]).toMatch(/exit/);
    await sensor.stop();
    expect(
      () => new GpioPassageSensor({ gpio, entry: { line: 1 }, exit: { line: 2 }, stuckAfterMs: 5 }),
    ).toThrow(expect.objectContaining({ code: 'BAD_CONFIG' }));
  });

  it('lets the core wait for a passage in one direction, or time out', async () => {
    const gpio = new MemoryGpio();
    const sensor = new GpioPassageSensor({ gpio, entry: { line: 20 }, exit: { line: 21 } });
    await sensor.start();
    const waiting = waitForPassage(sensor, { timeoutMs: 500, direction: 'in' });
    gpio.drive(21, 1); // someone leaving: not what we wait for
    gpio.drive(20, 1);
    expect((await waiting)?.direction).toBe('in');
    await expect(waitForPassage(sensor, { timeoutMs: 10 })).resolves.toBeNull();
    const controller = new AbortController();
    const aborted = waitForPassage(sensor, { timeoutMs: 10_000, signal: controller.signal });
    controller.abort();
    await expect(aborted).resolves.toBeNull();
    await sensor.stop();
  });
});

describe('GpioCardRecycler', () => {
  it('reports cards arriving and leaving, and pulses swallow/eject one at a time', async () => {
    const gpio = new MemoryGpio();
    const recycler = new GpioCardRecycler({
      gpio,
      sensor: { line: 16, activeLow: true },
      swallow: { line: 17 },
      eject: { line: 18, activeLow: true },
      actuateMs: 50,
    });
    gpio.drive(16, 1);
    await recycler.start();
    expect(recycler.cardPresent).toBe(false);
    const events: string[] = [];
    recycler.on('cardIn', () => events.push('in'));
    recycler.on('cardGone', () => events.push('gone'));
    gpio.drive(16, 0);
    expect(recycler.cardPresent).toBe(true);
    const swallowed = recycler.swallow();
    const ejected = recycler.eject();
    await swallowed;
    // The eject pulse has not started while the swallow pulse ran.
    expect(gpio.writes.get(18)).toEqual([1]);
    await ejected;
    gpio.drive(16, 1);
    expect(events).toEqual(['in', 'gone']);
    expect(gpio.writes.get(17)).toEqual([0, 1, 0]);
    expect(gpio.writes.get(18)).toEqual([1, 0, 1]);
    await recycler.stop();
    expect(gpio.claimed(16)).toBe(false);
  });
});
