/** The agent's MFRC522 chip layer against this package's register-level chip model. */
import { crcA, Mfrc522Chip, type SpiTransport } from '@scenic/gate-agent/drivers';
import { describe, expect, it } from 'vitest';
import { Mfrc522Model } from './mfrc522-model.js';
import { VirtualCard } from './virtual-card.js';

/** ComIrqReg, as the datasheet numbers it (the driver's own register map is not borrowed: see registers.ts). */
const COM_IRQ = 0x04;

/** The SPI address byte that reads `reg`. */
const readAddress = (reg: number) => ((reg << 1) & 0x7e) | 0x80;

/**
 * The model behind a bus whose caller is busy: the chip answers a read of `reg` at once (as the SPI transfer
 * happens), but the process then blocks for `blockMs` before the driver sees the answer — a GC pause, a burst of
 * SQLite work, a loaded controller. Only the first `times` such reads are delayed.
 */
function busyCaller(model: Mfrc522Model, reg: number, blockMs: number, times = 1): SpiTransport {
  let left = times;
  return {
    async transfer(data) {
      const out = await model.transfer(data);
      if (left > 0 && data[0] === readAddress(reg)) {
        left--;
        const until = performance.now() + blockMs;
        while (performance.now() < until) {
          // Blocks the event loop on purpose: no timer, no other task runs meanwhile.
        }
      }
      return out;
    },
    close: () => model.close(),
  };
}

describe('Mfrc522Chip against the model', () => {
  it('gets the same CRC_A from the coprocessor as from software', async () => {
    const model = new Mfrc522Model();
    const chip = new Mfrc522Chip(model, { crc: 'chip' });
    await chip.init();
    const frame = [0x93, 0x70, 0x01, 0x02, 0x03, 0x04, 0x04];
    expect(await chip.crc(frame)).toEqual(crcA(frame));
  });

  it('waits for the card answer as long as the chip timer it programmed, then reports silence', async () => {
    const model = new Mfrc522Model();
    const chip = new Mfrc522Chip(model, { timeoutMs: 20 });
    await chip.init();
    // TModeReg TAuto, 25 µs ticks: reload 799 → 800 ticks = 20 ms.
    expect(model.peek(0x2a) & 0x80).toBe(0x80);
    expect((model.peek(0x2c) << 8) | model.peek(0x2d)).toBe(799);
    const started = performance.now();
    await expect(chip.transceive([0x52], 7)).resolves.toBeNull();
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(19);
    expect(elapsed).toBeLessThan(70);
  });

  it('returns the ATQA of a card in the field, and nothing for a full-byte REQA (it must be a 7-bit frame)', async () => {
    const model = new Mfrc522Model();
    model.placeCard(new VirtualCard('04A22B1C5D8000'));
    const chip = new Mfrc522Chip(model, { timeoutMs: 2 });
    await chip.init();
    expect(await chip.transceive([0x26], 8)).toBeNull();
    const atqa = await chip.transceive([0x26], 7);
    expect(atqa && [...atqa.data]).toEqual([0x44, 0x00]);
  });

  it('hears nothing with the antenna off', async () => {
    const model = new Mfrc522Model();
    model.placeCard(new VirtualCard('11223344'));
    const chip = new Mfrc522Chip(model, { timeoutMs: 2 });
    await chip.init();
    await chip.antenna(false);
    expect(await chip.transceive([0x52], 7)).toBeNull();
  });

  it('does not take a poll delayed past its deadline for a hung chip: it reads the status once more', async () => {
    const model = new Mfrc522Model();
    // The first ComIrq read sees the chip still waiting (its 20 ms timer has not run out), then the process is
    // busy for 150 ms — well past the driver's 70 ms deadline, while the chip's timer completes meanwhile.
    const chip = new Mfrc522Chip(busyCaller(model, COM_IRQ, 150), { timeoutMs: 20 });
    await chip.init();
    await expect(chip.transceive([0x52], 7)).resolves.toBeNull();
    // And a card that answered during the pause is read, not lost to a false fault.
    model.placeCard(new VirtualCard('04A22B1C5D8000'));
    const slow = new Mfrc522Chip(busyCaller(model, COM_IRQ, 150), { timeoutMs: 20 });
    await slow.init();
    const atqa = await slow.transceive([0x26], 7);
    expect(atqa && [...atqa.data]).toEqual([0x44, 0x00]);
  });

  it('still reports a chip that neither answers nor times out, after asking once past the deadline', async () => {
    const model = new Mfrc522Model();
    const chip = new Mfrc522Chip(busyCaller(model, COM_IRQ, 150), { timeoutMs: 20 });
    await chip.init();
    model.injectFault({ kind: 'stuck' });
    const started = performance.now();
    await expect(chip.transceive([0x52], 7)).rejects.toMatchObject({ code: 'CHIP_NOT_RESPONDING' });
    expect(performance.now() - started).toBeLessThan(400);
  });
});
