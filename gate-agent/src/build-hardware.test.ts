import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, expect, it } from 'vitest';
import { createRealHardware } from './build-hardware.js';
import { agentConfigSchema, type HardwareDriversConfig } from './config.js';
import { MemoryGpio } from './drivers/hardware.js';
import type { DriverError, GateHardware } from './drivers/index.js';

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
