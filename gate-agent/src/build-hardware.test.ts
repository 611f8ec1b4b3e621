import { afterAll, afterEach, expect, it } from 'vitest';
import { createRealHardware } from './build-hardware.js';
import { MemoryGpio } from './drivers/hardware.js';
import type { DriverError } from './drivers/index.js';
import { realHardwareFixture } from './testing.js';

const fixture = realHardwareFixture('gate-real-hw-');
const { dir, started, drivers } = fixture;
afterEach(() => fixture.stopStarted());
afterAll(() => fixture.remove());

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
