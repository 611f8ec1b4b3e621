import { RELAY_PULSE_MIN_MS } from '@scenic/protocol';
import { describe, expect, it } from 'vitest';
import type { DriverError } from '../errors.js';
import { RELAY_MAX_PULSE_MS, RELAY_MIN_PULSE_MS } from '../relay-pulse.js';
import { GpioRelay } from './gpio-relay.js';
import { MemoryGpio } from './memory-gpio.js';

describe('GpioRelay', () => {
  it('drives an active-high relay high for on', async () => {
    const gpio = new MemoryGpio();
    const relay = new GpioRelay({ gpio, line: 5, name: 'entry' });
    await relay.start();
    await relay.set(true);
    await relay.set(false);
    expect(gpio.writes.get(5)).toEqual([0, 1, 0]);
  });

  it('inverts an active-low relay: claimed high (off) with no glitch, low for on', async () => {
    const gpio = new MemoryGpio();
    const relay = new GpioRelay({ gpio, line: 6, activeLow: true, name: 'entry' });
    await relay.start();
    expect(gpio.writes.get(6)).toEqual([1]);
    expect(relay.state).toBe(false);
    await relay.set(true);
    expect(relay.state).toBe(true);
    expect(gpio.level(6)).toBe(0);
    await relay.stop();
    expect(gpio.writes.get(6)).toEqual([1, 0, 1]);
    expect(gpio.claimed(6)).toBe(false);
  });

  it('pulses: on now, off after the time, resolving when off', async () => {
    const gpio = new MemoryGpio();
    const relay = new GpioRelay({ gpio, line: 7, activeLow: true, name: 'exit' });
    const changes: boolean[] = [];
    relay.on('change', (on) => changes.push(on));
    await relay.start();
    const started = performance.now();
    const pulse = relay.pulse(60);
    await new Promise((r) => setTimeout(r, 5));
    expect(relay.state).toBe(true);
    await pulse;
    expect(performance.now() - started).toBeGreaterThanOrEqual(59);
    expect(relay.state).toBe(false);
    expect(changes).toEqual([true, false]);
    expect(gpio.writes.get(7)).toEqual([1, 0, 1]);
  });

  it('restarts the off-timer when pulsed again, and set() cancels a pulse', async () => {
    const gpio = new MemoryGpio();
    const relay = new GpioRelay({ gpio, line: 8, name: 'entry' });
    await relay.start();
    const first = relay.pulse(60);
    await new Promise((r) => setTimeout(r, 10));
    const started = performance.now();
    const second = relay.pulse(80);
    await first;
    expect(performance.now() - started).toBeGreaterThanOrEqual(79);
    await second;
    const third = relay.pulse(10_000);
    await relay.set(false);
    await third;
    expect(relay.state).toBe(false);
  });

  it('raises a pulse below 50 ms to 50 ms, and reports the misconfiguration once', async () => {
    const gpio = new MemoryGpio();
    const relay = new GpioRelay({ gpio, line: 11, name: 'entry' });
    const faults: DriverError[] = [];
    relay.on('fault', (e) => faults.push(e));
    await relay.start();
    expect(RELAY_MIN_PULSE_MS).toBe(RELAY_PULSE_MIN_MS); // the same floor as the cloud's gate config
    for (let i = 0; i < 2; i++) {
      const started = performance.now();
      await relay.pulse(20);
      expect(performance.now() - started).toBeGreaterThanOrEqual(RELAY_MIN_PULSE_MS - 1);
    }
    expect(gpio.writes.get(11)).toEqual([0, 1, 0, 1, 0]);
    expect(faults.map((e) => e.code)).toEqual(['BAD_CONFIG']);
    expect(faults[0]!.message).toMatch(/20 ms raised to 50 ms/);
    await relay.pulse(RELAY_MIN_PULSE_MS);
    expect(faults).toHaveLength(1);
  });

  it('rejects nonsense pulse lengths and use before start()', async () => {
    const relay = new GpioRelay({ gpio: new MemoryGpio(), line: 9, name: 'alarm' });
    await expect(relay.pulse(100)).rejects.toMatchObject({ code: 'NOT_STARTED' });
    await relay.start();
    await expect(relay.pulse(0)).rejects.toMatchObject({ code: 'BAD_CONFIG' });
    await expect(relay.pulse(Number.NaN)).rejects.toMatchObject({ code: 'BAD_CONFIG' });
    await expect(relay.pulse(-5)).rejects.toMatchObject({ code: 'BAD_CONFIG' });
    await expect(relay.pulse(RELAY_MAX_PULSE_MS + 1)).rejects.toMatchObject({ code: 'BAD_CONFIG' });
  });

  it('reports a failing write as a fault, not as a rejection on the relay path', async () => {
    const gpio = new MemoryGpio();
    const relay = new GpioRelay({ gpio, line: 10, name: 'entry' });
    await relay.start();
    const faults: string[] = [];
    relay.on('fault', (e) => faults.push(e.code));
    gpio.breakLine(10);
    await expect(relay.set(true)).resolves.toBeUndefined();
    expect(faults).toEqual(['GPIO_IO']);
  });
});
