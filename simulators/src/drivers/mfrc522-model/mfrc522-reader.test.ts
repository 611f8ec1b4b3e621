/** The agent's MFRC522 reader driver against this package's register-level chip model. */
import {
  type CardRead,
  type DriverError,
  Mfrc522Reader,
  type Mfrc522ReaderOptions,
} from '@scenic/gate-agent/drivers';
import { afterEach, describe, expect, it } from 'vitest';
import { Mfrc522Model } from './mfrc522-model.js';
import { VirtualCard } from './virtual-card.js';

const readers: Mfrc522Reader[] = [];

function setup(options: Partial<Mfrc522ReaderOptions> = {}, model = new Mfrc522Model()) {
  const reader = new Mfrc522Reader({
    openTransport: async () => model,
    timeoutMs: 2,
    pollIntervalMs: 3,
    ...options,
  });
  readers.push(reader);
  const cards: CardRead[] = [];
  const removed: string[] = [];
  const readErrors: DriverError[] = [];
  const faults: DriverError[] = [];
  reader.on('card', (c) => cards.push(c));
  reader.on('removed', (uid) => removed.push(uid));
  reader.on('readError', (e) => readErrors.push(e));
  reader.on('fault', (e) => faults.push(e));
  return { model, reader, cards, removed, readErrors, faults };
}

/** Waits until `check` holds, polling; fails the test instead of hanging. */
async function until(check: () => boolean, timeoutMs = 1000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 2));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterEach(async () => {
  await Promise.all(readers.splice(0).map((r) => r.stop()));
});

describe('Mfrc522Reader against the register-level MFRC522 model', () => {
  it('reads a 4-byte UID with the chip computing CRC_A', async () => {
    const t = setup({ crc: 'chip' });
    await t.reader.start();
    expect(t.reader.chipVersion).toBe(0x92);
    t.model.placeCard(new VirtualCard('A1B2C3D4'));
    await until(() => t.cards.length === 1);
    expect(t.cards[0]).toEqual({ uid: 'A1B2C3D4', sak: 0x08 });
    expect(t.readErrors).toEqual([]);
    expect(t.faults).toEqual([]);
  });

  it('reads a 7-byte UID through cascade levels 1 and 2 with software CRC_A', async () => {
    const t = setup({ crc: 'software' });
    const frames: string[] = [];
    t.model.on('frame', (f) => frames.push(f.kind));
    await t.reader.start();
    t.model.placeCard(new VirtualCard('04A22B1C5D8000'));
    await until(() => t.cards.length === 1);
    expect(t.cards[0]).toEqual({ uid: '04A22B1C5D8000', sak: 0x00 });
    // WUPA, CL1 anticollision + select (SAK with the cascade bit), CL2 anticollision + select, HLTA.
    expect(frames.slice(frames.lastIndexOf('wakeup'))).toEqual([
      'wakeup',
      'anticollision',
      'select',
      'anticollision',
      'select',
      'halt',
    ]);
    expect(t.model.cards[0]!.state).toBe('HALT');
  });

  it('reads a 10-byte UID (three cascade levels)', async () => {
    const t = setup();
    await t.reader.start();
    t.model.placeCard(new VirtualCard('88040A0B0C0D0E0F1011'.replace(/^88/, '01')));
    await until(() => t.cards.length === 1);
    expect(t.cards[0]!.uid).toBe('01040A0B0C0D0E0F1011');
  });

  it('reports a card held on the reader once, and again after it was removed and placed back', async () => {
    const t = setup();
    await t.reader.start();
    const card = new VirtualCard('11223344');
    t.model.placeCard(card);
    await until(() => t.cards.length === 1);
    await sleep(60); // many polls while the card stays
    expect(t.cards).toHaveLength(1);
    t.model.removeCard(card);
    await until(() => t.removed.length === 1);
    expect(t.removed).toEqual(['11223344']);
    t.model.placeCard(card);
    await until(() => t.cards.length === 2);
    expect(t.cards.map((c) => c.uid)).toEqual(['11223344', '11223344']);
  });

  it('reports a different card at once, with the removal of the first', async () => {
    const t = setup();
    await t.reader.start();
    const first = new VirtualCard('11223344');
    t.model.placeCard(first);
    await until(() => t.cards.length === 1);
    t.model.removeCard(first);
    t.model.placeCard(new VirtualCard('55667788'));
    await until(() => t.cards.length === 2);
    expect(t.removed).toEqual(['11223344']);
    expect(t.cards[1]!.uid).toBe('55667788');
  });

  it('detects a wrong BCC as a read error, then reads the card on a later poll', async () => {
    const t = setup();
    await t.reader.start();
    t.model.injectFault({ kind: 'corruptBcc' });
    t.model.placeCard(new VirtualCard('DEADBEEF'));
    await until(() => t.cards.length === 1);
    expect(t.readErrors.map((e) => e.code)).toEqual(['CARD_BCC']);
    expect(t.cards[0]!.uid).toBe('DEADBEEF');
  });

  it('detects a wrong SAK CRC as a read error', async () => {
    const t = setup();
    await t.reader.start();
    t.model.injectFault({ kind: 'corruptCrc' });
    t.model.placeCard(new VirtualCard('DEADBEEF'));
    await until(() => t.cards.length === 1);
    expect(t.readErrors.map((e) => e.code)).toEqual(['CARD_CRC']);
  });

  it('turns a truncated answer into a read error, and a held card is not re-announced after it', async () => {
    const t = setup();
    await t.reader.start();
    t.model.placeCard(new VirtualCard('04A22B1C5D8000'));
    await until(() => t.cards.length === 1);
    t.model.injectFault({ kind: 'truncate', on: 'anticollision' });
    await until(() => t.readErrors.length === 1);
    expect(t.readErrors[0]!.code).toBe('CARD_PROTOCOL');
    await sleep(40);
    expect(t.cards).toHaveLength(1);
    expect(t.removed).toEqual([]);
  });

  it('turns a card that stops answering mid-read into a CARD_TIMEOUT read error, not a hang', async () => {
    const t = setup();
    await t.reader.start();
    t.model.injectFault({ kind: 'mute', on: 'select' });
    t.model.placeCard(new VirtualCard('CAFEBABE'));
    await until(() => t.readErrors.length === 1);
    expect(t.readErrors[0]!.code).toBe('CARD_TIMEOUT');
    await until(() => t.cards.length === 1);
  });

  it('reports a parity error as a read error', async () => {
    const t = setup();
    await t.reader.start();
    t.model.injectFault({ kind: 'parity', on: 'anticollision' });
    t.model.placeCard(new VirtualCard('01020304'));
    await until(() => t.cards.length === 1);
    expect(t.readErrors.map((e) => e.code)).toEqual(['CARD_PROTOCOL']);
  });

  it('reports two cards in the field as one collision, for as long as they stay', async () => {
    const t = setup();
    await t.reader.start();
    t.model.placeCard(new VirtualCard('01020304'));
    t.model.placeCard(new VirtualCard('01020305'));
    await until(() => t.readErrors.length === 1);
    expect(t.readErrors[0]!.code).toBe('CARD_COLLISION');
    expect(t.model.peek(0x0e) & 0x1f).toBe(25); // CollReg: first differing bit is bit 25 (byte 4, bit 0)
    await sleep(40);
    expect(t.readErrors).toHaveLength(1);
    expect(t.cards).toEqual([]);
    t.model.removeCard(t.model.cards[1]!);
    await until(() => t.cards.length === 1);
    expect(t.cards[0]!.uid).toBe('01020304');
  });

  it('survives a chip that hangs: one fault, a soft reset, and reading resumes', async () => {
    const t = setup();
    await t.reader.start();
    t.model.injectFault({ kind: 'stuck', on: 'wakeup' });
    t.model.placeCard(new VirtualCard('A0A1A2A3'));
    await until(() => t.cards.length === 1);
    expect(t.faults.map((f) => f.code)).toEqual(['CHIP_NOT_RESPONDING']);
  });

  it('without a reset line, a chip that ignores soft reset stays dead (one fault, no reads)', async () => {
    const t = setup();
    await t.reader.start();
    t.model.injectFault({ kind: 'wedged', on: 'wakeup' });
    t.model.placeCard(new VirtualCard('A0A1A2A3'));
    await sleep(150);
    expect(t.cards).toEqual([]);
    expect(t.faults.map((f) => f.code)).toEqual(['CHIP_NOT_RESPONDING']);
  });

  it('hard-resets through NRSTPD at start and when the chip hangs, and reading resumes', async () => {
    const model = new Mfrc522Model();
    const levels: number[] = [];
    const pin = model.resetPin;
    const t = setup(
      {
        resetSettleMs: 10,
        openResetLine: async () => ({
          write: async (level) => {
            levels.push(level);
            await pin.write(level);
          },
          release: () => pin.release(),
        }),
      },
      model,
    );
    await t.reader.start();
    expect(model.hardResets).toBe(1);
    expect(levels).toEqual([0, 1]);
    expect(model.antennaOn).toBe(true);
    t.model.injectFault({ kind: 'wedged', on: 'wakeup' });
    t.model.placeCard(new VirtualCard('A0A1A2A3'));
    await until(() => t.cards.length === 1);
    expect(t.cards[0]!.uid).toBe('A0A1A2A3');
    expect(t.faults.map((f) => f.code)).toEqual(['CHIP_NOT_RESPONDING']);
    expect(model.hardResets).toBe(2);
  });

  it('waits for the oscillator after releasing NRSTPD: too short a settle time finds no chip', async () => {
    const model = new Mfrc522Model({ oscillatorStartMs: 30 });
    const t = setup({ resetSettleMs: 1, openResetLine: async () => model.resetPin }, model);
    await expect(t.reader.start()).rejects.toMatchObject({ code: 'CHIP_NOT_FOUND' });
    const ok = setup({ resetSettleMs: 40, openResetLine: async () => model.resetPin }, model);
    await ok.reader.start();
    expect(ok.reader.chipVersion).toBe(0x92);
  });

  it('fails start() with GPIO_IO when the reset line cannot be claimed or driven, closing the bus', async () => {
    let closed = 0;
    const model = new Mfrc522Model();
    const transport = { transfer: (d: Uint8Array) => model.transfer(d), close: async () => void closed++ };
    const claimFails = setup({
      openTransport: async () => transport,
      openResetLine: async () => {
        throw new Error('EBUSY');
      },
    });
    await expect(claimFails.reader.start()).rejects.toMatchObject({ code: 'GPIO_IO' });
    const writeFails = setup({
      openTransport: async () => transport,
      openResetLine: async () => ({
        write: async () => {
          throw new Error('EIO');
        },
        release: () => {},
      }),
    });
    await expect(writeFails.reader.start()).rejects.toMatchObject({ code: 'GPIO_IO' });
    expect(closed).toBe(2);
  });

  it('refuses a nonsense reset settle time', () => {
    expect(() => setup({ resetSettleMs: 0 })).toThrow(expect.objectContaining({ code: 'BAD_CONFIG' }));
  });

  it('rejects start() with CHIP_NOT_FOUND when the version register reads 00', async () => {
    const t = setup({}, new Mfrc522Model({ version: 0x00 }));
    await expect(t.reader.start()).rejects.toMatchObject({ code: 'CHIP_NOT_FOUND' });
  });

  it('switches the antenna off at stop()', async () => {
    const t = setup();
    await t.reader.start();
    expect(t.model.antennaOn).toBe(true);
    await t.reader.stop();
    expect(t.model.antennaOn).toBe(false);
  });
});
