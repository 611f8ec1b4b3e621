/**
 * The agent's real-hardware wiring of the card reader's reset line (createRealHardware), on in-memory GPIO lines and
 * this package's chip model in place of spidev.
 */
import { createRealHardware } from '@scenic/gate-agent';
import { MemoryGpio } from '@scenic/gate-agent/drivers/hardware';
import { realHardwareFixture } from '@scenic/gate-agent/testing';
import { afterAll, afterEach, expect, it } from 'vitest';
import { Mfrc522Model } from './mfrc522-model.js';

const fixture = realHardwareFixture('mfrc522-reset-');
const { dir, started, drivers } = fixture;
afterEach(() => fixture.stopStarted());
afterAll(() => fixture.remove());

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
