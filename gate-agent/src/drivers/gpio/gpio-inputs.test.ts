import { describe, expect, it } from 'vitest';
import type { Passage } from '../interfaces.js';
import { waitForPassage } from '../wait-for-passage.js';
import { GpioCardRecycler } from './gpio-card-recycler.js';
import { GpioPassageSensor } from './gpio-passage-sensor.js';
import { MemoryGpio } from './memory-gpio.js';

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
      actuateMs: 15,
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
