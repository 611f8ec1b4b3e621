import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Mfrc522Model } from '@scenic/simulators/drivers';
import { afterAll, afterEach, expect, it } from 'vitest';
import { agentConfigSchema, type HardwareDriversConfig } from './config.js';
import { MemoryGpio } from './drivers/hardware.js';
import type { DriverError, GateHardware } from './drivers/index.js';
import { createRealHardware } from './main.js';

const dir = mkdtempSync(join(tmpdir(), 'gate-real-hw-'));
const started: GateHardware[] = [];
afterEach(async () => {
  for (const hw of started.splice(0)) {
    await hw.passage.stop();
    await hw.cardReader.stop();
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function drivers(extra: { passage?: object; cardReader?: object } = {}): HardwareDriversConfig {
  const config = agentConfigSchema.parse({
    siteId: 'park',
    gateId: 'G01',
    direction: 'in',
    broker: { url: 'mqtt://127.0.0.1:1' },
    dataDir: dir,
    drivers: {
      kind: 'hardware',
      relays: { entry: { line: 17 }, exit: { line: 27 }, alarm: { line: 22 } },
      passage: { entry: { line: 5 }, exit: { line: 6 }, ...extra.passage },
      scanner: { kind: 'stdin' },
      cardReader: { ...extra.cardReader },
      led: { path: join(dir, 'led') },
    },
  });
  if (config.drivers.kind !== 'hardware') throw new Error('expected hardware drivers');
  return config.drivers;
}

it('defaults the new hardware keys: 10 s stuck limit, no reset line, 50 ms reset settle', () => {
  const d = drivers();
  expect(d.passage.stuckAfterMs).toBe(10_000);
  expect(d.cardReader.resetLine).toBeUndefined();
  expect(d.cardReader.resetSettleMs).toBe(50);
  expect(() => drivers({ passage: { stuckAfterMs: 50 } })).toThrow(/stuckAfterMs/);
  expect(() => drivers({ cardReader: { resetLine: 2000 } })).toThrow(/resetLine/);
});

it('wires the passage stuck limit from the config into the GPIO passage sensor', async () => {
  const gpio = new MemoryGpio();
  const hw = await createRealHardware(drivers({ passage: { stuckAfterMs: 150 } }), dir, { gpio });
  started.push(hw);
  await hw.passage.start();
  const began = performance.now();
  const fault = new Promise<DriverError>((resolve) => hw.passage.once('fault', resolve));
  gpio.drive(5, 1); // the entry input goes active and stays so
  expect(await fault).toMatchObject({ code: 'PASSAGE_INPUT_STUCK' });
  const after = performance.now() - began;
  expect(after).toBeGreaterThanOrEqual(140);
  expect(after).toBeLessThan(2_000);
});

it('hard-resets the card reader through the configured NRSTPD line, claimed high, then waits to settle', async () => {
  const gpio = new MemoryGpio();
  const model = new Mfrc522Model();
  const hw = await createRealHardware(drivers({ cardReader: { resetLine: 25, resetSettleMs: 120 } }), dir, {
    gpio,
    openSpi: async () => model,
  });
  started.push(hw);
  const began = performance.now();
  await hw.cardReader.start();
  expect(performance.now() - began).toBeGreaterThanOrEqual(115);
  // Claimed released (high), pulled low for the reset, released again.
  expect(gpio.writes.get(25)).toEqual([1, 0, 1]);
  await hw.cardReader.stop();
  expect(gpio.claimed(25)).toBe(false);
});

it('leaves the reset line alone when none is configured', async () => {
  const gpio = new MemoryGpio();
  const hw = await createRealHardware(drivers(), dir, { gpio, openSpi: async () => new Mfrc522Model() });
  started.push(hw);
  await hw.cardReader.start();
  expect([...gpio.writes.keys()]).toEqual([]);
});
