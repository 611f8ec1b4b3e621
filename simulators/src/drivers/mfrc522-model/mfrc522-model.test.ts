import { describe, expect, it } from 'vitest';
import { Mfrc522Model, Mfrc522ModelError } from './mfrc522-model.js';
import { VirtualCard } from './virtual-card.js';

// Datasheet addresses, spelled out here as a third, independent copy.
const CommandReg = 0x01;
const ComIrqReg = 0x04;
const DivIrqReg = 0x05;
const ErrorReg = 0x06;
const FIFODataReg = 0x09;
const FIFOLevelReg = 0x0a;
const ControlReg = 0x0c;
const BitFramingReg = 0x0d;
const CollReg = 0x0e;
const ModeReg = 0x11;
const TxControlReg = 0x14;
const CRCResultRegH = 0x21;
const CRCResultRegL = 0x22;
const TModeReg = 0x2a;
const TPrescalerReg = 0x2b;
const TReloadRegL = 0x2d;
const VersionReg = 0x37;

const rd = (reg: number) => 0x80 | (reg << 1);
const wr = (reg: number) => reg << 1;

async function read(model: Mfrc522Model, ...regs: number[]): Promise<number[]> {
  return [...(await model.transfer(Uint8Array.from([...regs.map(rd), 0])))].slice(1);
}

async function write(model: Mfrc522Model, reg: number, ...values: number[]): Promise<void> {
  await model.transfer(Uint8Array.from([wr(reg), ...values]));
}

/** Runs one Transceive the way the datasheet describes, returning FIFO contents and the IRQ/error registers. */
async function transceive(model: Mfrc522Model, frame: number[], txLastBits = 0) {
  await write(model, ComIrqReg, 0x7f);
  await write(model, FIFOLevelReg, 0x80);
  await write(model, FIFODataReg, ...frame);
  await write(model, BitFramingReg, txLastBits);
  await write(model, CommandReg, 0x0c);
  await write(model, BitFramingReg, 0x80 | txLastBits);
  const [irq, error, level, control] = await read(model, ComIrqReg, ErrorReg, FIFOLevelReg, ControlReg);
  const data = level ? await read(model, ...new Array<number>(level).fill(FIFODataReg)) : [];
  return { irq: irq!, error: error!, data, rxLastBits: control! & 7 };
}

async function antennaOn(model: Mfrc522Model): Promise<void> {
  const [tx] = await read(model, TxControlReg);
  await write(model, TxControlReg, tx! | 0x03);
}

describe('Mfrc522Model SPI and registers', () => {
  it('answers a multi-register read one byte late, as the chip does', async () => {
    const model = new Mfrc522Model();
    const out = await model.transfer(Uint8Array.from([rd(VersionReg), rd(ModeReg), rd(TxControlReg), 0]));
    expect([...out]).toEqual([0x00, 0x92, 0x3f, 0x80]);
  });

  it('fills and drains the FIFO through FIFODataReg, and flushes with FIFOLevelReg bit 7', async () => {
    const model = new Mfrc522Model();
    await write(model, FIFODataReg, 1, 2, 3);
    expect(await read(model, FIFOLevelReg)).toEqual([3]);
    expect(await read(model, FIFODataReg, FIFODataReg)).toEqual([1, 2]);
    await write(model, FIFOLevelReg, 0x80);
    expect(await read(model, FIFOLevelReg)).toEqual([0]);
  });

  it('flags BufferOvfl when more than 64 bytes are written to the FIFO', async () => {
    const model = new Mfrc522Model();
    await write(model, FIFODataReg, ...new Array<number>(65).fill(0xaa));
    expect(await read(model, FIFOLevelReg, ErrorReg)).toEqual([64, 0x10]);
  });

  it('sets or clears interrupt bits by Set1, and restores power-on values at SoftReset', async () => {
    const model = new Mfrc522Model();
    await write(model, ComIrqReg, 0x7f);
    expect(await read(model, ComIrqReg)).toEqual([0x00]);
    await write(model, ComIrqReg, 0x80 | 0x21);
    expect(await read(model, ComIrqReg)).toEqual([0x21]);
    await write(model, ComIrqReg, 0x01);
    expect(await read(model, ComIrqReg)).toEqual([0x20]);
    await write(model, ModeReg, 0x00);
    await write(model, CommandReg, 0x0f);
    expect(await read(model, ModeReg, CommandReg, VersionReg)).toEqual([0x3f, 0x20, 0x92]);
  });

  it('computes CRC_A in the coprocessor with the preset chosen in ModeReg', async () => {
    const model = new Mfrc522Model();
    await write(model, ModeReg, 0x3d); // preset 6363
    await write(model, FIFODataReg, 0x50, 0x00);
    await write(model, CommandReg, 0x03);
    expect(await read(model, DivIrqReg, CRCResultRegL, CRCResultRegH)).toEqual([0x04, 0x57, 0xcd]);
  });

  it('rejects an address byte with bit 0 set, and commands it does not model', async () => {
    const model = new Mfrc522Model();
    await expect(model.transfer(Uint8Array.of(0x03, 0))).rejects.toBeInstanceOf(Mfrc522ModelError);
    await expect(write(model, CommandReg, 0x0e)).rejects.toThrow(/not modelled/);
  });
});

describe('Mfrc522Model NRSTPD pin', () => {
  it('ignores SPI and drops the field while held low, resets everything on the rising edge, then waits for the oscillator', async () => {
    let now = 0;
    const model = new Mfrc522Model({ now: () => now, oscillatorStartMs: 5 });
    const card = new VirtualCard('11223344');
    model.placeCard(card);
    await antennaOn(model);
    await write(model, ModeReg, 0x00);
    await model.resetPin.write(0);
    expect(model.poweredDown).toBe(true);
    expect(model.antennaOn).toBe(false);
    expect(await read(model, VersionReg, ModeReg)).toEqual([0x00, 0x00]);
    now = 1;
    await model.resetPin.write(1);
    expect(model.hardResets).toBe(1);
    now = 3; // oscillator still starting: the chip does not answer yet
    expect(await read(model, VersionReg)).toEqual([0x00]);
    now = 6.5;
    expect(await read(model, VersionReg, ModeReg, TxControlReg)).toEqual([0x92, 0x3f, 0x80]);
  });

  it('refuses a low pulse shorter than 100 ns (it would not reset the chip)', async () => {
    const model = new Mfrc522Model({ now: () => 0 });
    await model.resetPin.write(0);
    await expect(model.resetPin.write(1)).rejects.toBeInstanceOf(Mfrc522ModelError);
  });

  it('models a wedged chip that ignores SoftReset and only recovers through NRSTPD', async () => {
    let now = 0;
    const model = new Mfrc522Model({ now: () => now, oscillatorStartMs: 0 });
    model.placeCard(new VirtualCard('11223344'));
    await antennaOn(model);
    model.injectFault({ kind: 'wedged', on: 'wakeup' });
    expect((await transceive(model, [0x52], 7)).data).toEqual([]);
    await write(model, CommandReg, 0x0f); // SoftReset: ignored
    await antennaOn(model);
    expect((await transceive(model, [0x52], 7)).irq & 0x20).toBe(0);
    await model.resetPin.write(0);
    now = 1;
    await model.resetPin.write(1);
    await antennaOn(model);
    expect((await transceive(model, [0x52], 7)).data).toEqual([0x04, 0x00]);
  });
});

describe('Mfrc522Model RF exchanges', () => {
  it('answers a 7-bit REQA with the ATQA, and a full-byte 0x26 with silence', async () => {
    const model = new Mfrc522Model();
    model.placeCard(new VirtualCard('04A22B1C5D8000'));
    await antennaOn(model);
    const full = await transceive(model, [0x26]);
    expect(full.data).toEqual([]);
    const atqa = await transceive(model, [0x26], 7);
    expect(atqa.data).toEqual([0x44, 0x00]);
    expect(atqa.irq & 0x20).toBe(0x20);
  });

  it('keeps cards dark while the antenna is off', async () => {
    const model = new Mfrc522Model();
    model.placeCard(new VirtualCard('11223344'));
    expect((await transceive(model, [0x52], 7)).data).toEqual([]);
  });

  it('merges two cards answering anticollision into a bit collision with its position', async () => {
    const model = new Mfrc522Model();
    model.placeCard(new VirtualCard('01020304'));
    model.placeCard(new VirtualCard('01020384'));
    await antennaOn(model);
    await transceive(model, [0x52], 7);
    const answer = await transceive(model, [0x93, 0x20]);
    expect(answer.error & 0x08).toBe(0x08);
    // Byte 3 differs in bit 7 (bit 32 of the frame): CollPos 0 means 32. Byte 4 (BCC) differs too.
    const [coll] = await read(model, CollReg);
    expect(coll! & 0x1f).toBe(0);
    expect(coll! & 0x20).toBe(0);
  });

  it('raises TimerIRq only once the programmed timer period has passed with no answer', async () => {
    let now = 0;
    const model = new Mfrc522Model({ now: () => now });
    await antennaOn(model);
    await write(model, TModeReg, 0x80);
    await write(model, TPrescalerReg, 169); // 25 µs ticks
    await write(model, TReloadRegL, 39); // 40 ticks = 1 ms
    const answer = await transceive(model, [0x52], 7);
    expect(answer.irq & 0x01).toBe(0);
    now = 0.9;
    expect((await read(model, ComIrqReg))[0]! & 0x01).toBe(0);
    now = 1.01;
    expect((await read(model, ComIrqReg))[0]! & 0x01).toBe(1);
  });

  it('truncates an answer mid-byte on request, leaving RxLastBits set', async () => {
    const model = new Mfrc522Model();
    model.placeCard(new VirtualCard('A1B2C3D4'));
    await antennaOn(model);
    model.injectFault({ kind: 'truncate', on: 'anticollision' });
    await transceive(model, [0x52], 7);
    const answer = await transceive(model, [0x93, 0x20]);
    expect(answer.data).toHaveLength(3);
    expect(answer.rxLastBits).toBe(3);
    expect(model.pendingFaults).toEqual([]);
  });
});

describe('VirtualCard', () => {
  it('builds cascade frames with the cascade tag and BCC', () => {
    const card = new VirtualCard('04A22B1C5D8000');
    expect(card.cascadeFrames.map((f) => Buffer.from(f).toString('hex'))).toEqual([
      '8804a22b05', // 88^04^A2^2B = 05
      '1c5d8000c1', // 1C^5D^80^00 = C1
    ]);
  });

  it('goes HALT on HLTA and answers WUPA but not REQA afterwards; power-off resets it', () => {
    const card = new VirtualCard('A1B2C3D4');
    expect(card.receive(Uint8Array.of(0x26), 7)).not.toBeNull();
    const sel = [0x93, 0x70, ...card.cascadeFrames[0]!];
    const withCrc = (bytes: number[]) => {
      let crc = 0x6363;
      for (const b of bytes) {
        crc ^= b;
        for (let i = 0; i < 8; i++) crc = crc & 1 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
      }
      return Uint8Array.from([...bytes, crc & 0xff, crc >>> 8]);
    };
    expect(card.receive(withCrc(sel), 72)?.[0]).toBe(0x08);
    expect(card.state).toBe('ACTIVE');
    expect(card.receive(withCrc([0x50, 0x00]), 32)).toBeNull();
    expect(card.state).toBe('HALT');
    expect(card.receive(Uint8Array.of(0x26), 7)).toBeNull();
    expect(card.receive(Uint8Array.of(0x52), 7)).not.toBeNull();
    card.powerOff();
    expect(card.state).toBe('IDLE');
  });

  it('refuses UID lengths type A does not have', () => {
    expect(() => new VirtualCard('0102030405')).toThrow(RangeError);
  });
});
