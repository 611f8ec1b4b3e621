import { Mfrc522Model, VirtualCard } from '@scenic/simulators/drivers';
import { describe, expect, it } from 'vitest';
import { crcA } from './crc-a.js';
import { Mfrc522Chip } from './mfrc522-chip.js';

describe('crcA', () => {
  it('matches the ISO/IEC 14443-3 annex B examples', () => {
    expect(crcA([0x00, 0x00])).toEqual([0xa0, 0x1e]);
    expect(crcA([0x12, 0x34])).toEqual([0x26, 0xcf]);
    // HLTA as every MFRC522 library sends it.
    expect(crcA([0x50, 0x00])).toEqual([0x57, 0xcd]);
  });
});

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
});
