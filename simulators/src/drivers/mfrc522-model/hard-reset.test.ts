/**
 * The agent's real-hardware wiring of the card reader's reset line (createRealHardware), on in-memory GPIO lines and
 * this package's chip model in place of spidev.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  agentConfigSchema,
  createRealHardware,
  type GateHardware,
  type HardwareDriversConfig,
} from '@scenic/gate-agent';
import { MemoryGpio } from '@scenic/gate-agent/drivers/hardware';
import { afterAll, afterEach, expect, it } from 'vitest';
import { Mfrc522Model } from './mfrc522-model.js';

const dir = mkdtempSync(join(tmpdir(), 'mfrc522-reset-'));
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
