import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { asDriverError, DriverError } from '../errors.js';
import type { GpioOutput } from '../gpio/gpio-lines.js';
import { crcA } from './crc-a.js';
import {
  BitFramingBits,
  CHIP_CLOCK_HZ,
  Cmd,
  ComIrq,
  CommandBits,
  ControlBits,
  DivIrq,
  ErrorBits,
  FIFOLevelBits,
  Reg,
  spiAddress,
  TModeBits,
  TxASKBits,
  TxControlBits,
} from './registers.js';
import type { SpiTransport } from './spi-transport.js';

export interface Mfrc522ChipOptions {
  /** How long the chip's timer waits for a card to answer a frame. Default 25 ms; 1–1000. */
  readonly timeoutMs?: number;
  /** Who computes CRC_A for SELECT/HLTA: the chip's coprocessor (default) or this code. */
  readonly crc?: 'chip' | 'software';
  /**
   * With a reset line: how long to wait after releasing NRSTPD for the oscillator to start before talking to the
   * chip. Default 50 ms (crystal start-up plus the 37.74 µs reset phase, with margin); 1–1000.
   */
  readonly resetSettleMs?: number;
}

/** A frame a card sent back: bytes, and how many bits of the last byte are valid (8 = all). */
export interface Received {
  readonly data: Uint8Array;
  readonly lastBits: number;
}

/** Timer prescaler 169: 13.56 MHz / (2·169 + 1) = 40 kHz, a 25 µs tick. */
const PRESCALER = 169;
const TICK_US = ((2 * PRESCALER + 1) * 1e6) / CHIP_CLOCK_HZ;
/** Extra wall-clock time before a command that never finishes counts as a dead chip rather than a slow one. */
const GUARD_MS = 50;

/** Fills in defaults; throws BAD_CONFIG for values the chip's timer cannot express. */
export function checkChipOptions(options: Mfrc522ChipOptions): Required<Mfrc522ChipOptions> {
  const timeoutMs = options.timeoutMs ?? 25;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 1000) {
    throw new DriverError('BAD_CONFIG', 'MFRC522 timeoutMs must be an integer between 1 and 1000');
  }
  const resetSettleMs = options.resetSettleMs ?? 50;
  if (!Number.isInteger(resetSettleMs) || resetSettleMs < 1 || resetSettleMs > 1000) {
    throw new DriverError('BAD_CONFIG', 'MFRC522 resetSettleMs must be an integer between 1 and 1000');
  }
  return { timeoutMs, crc: options.crc ?? 'chip', resetSettleMs };
}

/** NRSTPD is held low this long for a hard reset: the datasheet asks for 100 ns, a GPIO write is far slower. */
const RESET_LOW_MS = 1;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The MFRC522's register protocol over SPI: register access, reset (hard through the NRSTPD line when one is
 * wired, soft otherwise), antenna, Transceive with the chip's own timer as the card timeout, and the CRC
 * coprocessor. Knows nothing about cards; see iso14443a.ts.
 */
export class Mfrc522Chip {
  readonly #spi: SpiTransport;
  readonly #resetLine: GpioOutput | undefined;
  readonly #resetSettleMs: number;
  readonly timeoutMs: number;
  readonly crcMode: 'chip' | 'software';

  /** `resetLine` drives the chip's NRSTPD pin (electrical level: low = hard power-down); leave out for soft reset. */
  constructor(spi: SpiTransport, options: Mfrc522ChipOptions = {}, resetLine?: GpioOutput) {
    this.#spi = spi;
    this.#resetLine = resetLine;
    ({
      timeoutMs: this.timeoutMs,
      crc: this.crcMode,
      resetSettleMs: this.#resetSettleMs,
    } = checkChipOptions(options));
  }

  get hasResetLine(): boolean {
    return this.#resetLine !== undefined;
  }

  /**
   * Hard reset: NRSTPD low (hard power-down: the chip, its oscillator and the RF field stop, and everything is
   * reset — the only cure for a chip that no longer obeys SPI commands), then high and a wait for the oscillator.
   */
  async #hardReset(line: GpioOutput): Promise<void> {
    try {
      await line.write(0);
      await sleep(RESET_LOW_MS);
      await line.write(1);
    } catch (err) {
      throw asDriverError(err, 'GPIO_IO', 'MFRC522 reset line (NRSTPD)');
    }
    await sleep(this.#resetSettleMs);
  }

  async #transfer(data: number[]): Promise<Uint8Array> {
    try {
      return await this.#spi.transfer(Uint8Array.from(data));
    } catch (err) {
      throw asDriverError(err, 'SPI_IO', 'MFRC522 SPI transfer failed');
    }
  }

  /** Reads several registers in one chip-select: each MOSI byte names the next register, MISO lags by one. */
  async readRegs(regs: readonly number[]): Promise<Uint8Array> {
    const out = await this.#transfer([...regs.map((r) => spiAddress(r, true)), 0]);
    return out.subarray(1, regs.length + 1);
  }

  async readReg(reg: number): Promise<number> {
    return (await this.readRegs([reg]))[0]!;
  }

  /** Writes each value to the same register in one chip-select (how the FIFO is filled). */
  async writeReg(reg: number, ...values: number[]): Promise<void> {
    await this.#transfer([spiAddress(reg, false), ...values]);
  }

  async setBits(reg: number, mask: number): Promise<void> {
    await this.writeReg(reg, (await this.readReg(reg)) | mask);
  }

  async clearBits(reg: number, mask: number): Promise<void> {
    await this.writeReg(reg, (await this.readReg(reg)) & ~mask & 0xff);
  }

  /**
   * Reset, identity check, timer and RF setup, antenna on. With a reset line the reset is a hard one (before the
   * identity check, so a hung chip answers again); without, a soft reset after it. Rejects with CHIP_NOT_FOUND
   * when the version register reads 00/FF (nothing on the bus, MISO stuck, or the chip held in power-down),
   * CHIP_NOT_RESPONDING when the reset never finishes, GPIO_IO when the reset line cannot be driven.
   */
  async init(): Promise<number> {
    if (this.#resetLine) await this.#hardReset(this.#resetLine);
    const version = await this.readReg(Reg.Version);
    if (version === 0x00 || version === 0xff) {
      throw new DriverError(
        'CHIP_NOT_FOUND',
        `MFRC522 not found: version register reads 0x${version.toString(16).padStart(2, '0')}`,
      );
    }
    if (!this.#resetLine) await this.writeReg(Reg.Command, Cmd.SoftReset);
    const deadline = performance.now() + GUARD_MS;
    for (;;) {
      const late = performance.now() > deadline; // before the read, as in transceive()
      if (!((await this.readReg(Reg.Command)) & CommandBits.PowerDown)) break;
      if (late) throw new DriverError('CHIP_NOT_RESPONDING', 'MFRC522 reset never ended');
      await yieldToEventLoop();
    }
    const reload = Math.min(0xffff, Math.max(1, Math.round((this.timeoutMs * 1000) / TICK_US) - 1));
    await this.writeReg(Reg.TMode, TModeBits.TAuto | ((PRESCALER >> 8) & TModeBits.TPrescalerHiMask));
    await this.writeReg(Reg.TPrescaler, PRESCALER & 0xff);
    await this.writeReg(Reg.TReloadH, reload >> 8);
    await this.writeReg(Reg.TReloadL, reload & 0xff);
    // 106 kbit/s, no hardware CRC on either side: the driver adds and checks CRC_A where the frame needs it.
    await this.writeReg(Reg.TxMode, 0x00);
    await this.writeReg(Reg.RxMode, 0x00);
    await this.writeReg(Reg.TxASK, TxASKBits.Force100ASK);
    // TxWaitRF, MFIN polarity high, CRC preset 0x6363 (CRC_A).
    await this.writeReg(Reg.Mode, 0x3d);
    await this.antenna(true);
    return version;
  }

  async antenna(on: boolean): Promise<void> {
    const mask = TxControlBits.Tx1RFEn | TxControlBits.Tx2RFEn;
    if (on) await this.setBits(Reg.TxControl, mask);
    else await this.clearBits(Reg.TxControl, mask);
  }

  /**
   * Sends a frame and waits for the answer. Resolves null when no card answered before the chip's timer ran
   * out. Throws DriverError: CARD_COLLISION (two cards answered), CARD_PROTOCOL (parity/framing errors, FIFO
   * overflow), CHIP_NOT_RESPONDING (neither an answer nor the timer within the guard time), SPI_IO.
   */
  async transceive(frame: readonly number[], txLastBits = 0): Promise<Received | null> {
    await this.writeReg(Reg.Command, Cmd.Idle);
    await this.writeReg(Reg.ComIrq, 0x7f); // clear all interrupt request bits
    await this.writeReg(Reg.FIFOLevel, FIFOLevelBits.FlushBuffer);
    await this.writeReg(Reg.FIFOData, ...frame);
    await this.writeReg(Reg.BitFraming, txLastBits & BitFramingBits.TxLastBitsMask);
    await this.writeReg(Reg.Command, Cmd.Transceive);
    await this.setBits(Reg.BitFraming, BitFramingBits.StartSend);

    const deadline = performance.now() + this.timeoutMs + GUARD_MS;
    let answered = false;
    for (;;) {
      // Past the deadline is judged before the read, never after it: under event-loop delay a read issued in time
      // can resume long after the deadline, and its stale "still busy" must not count as a hang (a false
      // CHIP_NOT_RESPONDING, then a needless reset). So the chip is always asked once more after the deadline.
      const late = performance.now() > deadline;
      const irq = await this.readReg(Reg.ComIrq);
      if (irq & (ComIrq.Rx | ComIrq.Idle)) {
        answered = true;
        break;
      }
      if (irq & ComIrq.Timer) break;
      if (late) {
        await this.writeReg(Reg.Command, Cmd.Idle);
        throw new DriverError('CHIP_NOT_RESPONDING', 'MFRC522 Transceive neither finished nor timed out');
      }
      await yieldToEventLoop();
    }
    await this.clearBits(Reg.BitFraming, BitFramingBits.StartSend);
    await this.writeReg(Reg.Command, Cmd.Idle);
    if (!answered) return null;

    const error = await this.readReg(Reg.Error);
    if (error & ErrorBits.CollErr) throw new DriverError('CARD_COLLISION', 'more than one card answered');
    if (error & (ErrorBits.BufferOvfl | ErrorBits.ParityErr | ErrorBits.ProtocolErr)) {
      throw new DriverError('CARD_PROTOCOL', `card answer garbled (ErrorReg 0x${error.toString(16)})`);
    }
    const [level, control] = await this.readRegs([Reg.FIFOLevel, Reg.Control]);
    const count = level! & FIFOLevelBits.LevelMask;
    const data =
      count > 0 ? await this.readRegs(new Array<number>(count).fill(Reg.FIFOData)) : new Uint8Array(0);
    const lastBits = control! & ControlBits.RxLastBitsMask;
    return { data: Uint8Array.from(data), lastBits: lastBits === 0 ? 8 : lastBits };
  }

  /** CRC_A of `data`, low byte first, from the coprocessor or in software as configured. */
  async crc(data: readonly number[]): Promise<[number, number]> {
    if (this.crcMode === 'software') return crcA(data);
    await this.writeReg(Reg.Command, Cmd.Idle);
    await this.writeReg(Reg.DivIrq, DivIrq.CRC); // without Set2: clears CRCIRq
    await this.writeReg(Reg.FIFOLevel, FIFOLevelBits.FlushBuffer);
    await this.writeReg(Reg.FIFOData, ...data);
    await this.writeReg(Reg.Command, Cmd.CalcCRC);
    const deadline = performance.now() + GUARD_MS;
    for (;;) {
      const late = performance.now() > deadline; // before the read, as in transceive()
      if ((await this.readReg(Reg.DivIrq)) & DivIrq.CRC) break;
      if (late) {
        await this.writeReg(Reg.Command, Cmd.Idle);
        throw new DriverError('CHIP_NOT_RESPONDING', 'MFRC522 CRC coprocessor never finished');
      }
      await yieldToEventLoop();
    }
    await this.writeReg(Reg.Command, Cmd.Idle);
    const [low, high] = await this.readRegs([Reg.CRCResultL, Reg.CRCResultH]);
    return [low!, high!];
  }
}
