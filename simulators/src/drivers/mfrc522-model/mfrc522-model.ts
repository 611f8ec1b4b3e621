import { Emitter, type GpioOutput, type Level, type SpiTransport } from '@scenic/gate-agent/drivers';
import { crc16A } from './crc-a.js';
import type { VirtualCard } from './virtual-card.js';

/**
 * Register numbers and bits from the NXP MFRC522 datasheet (rev. 3.9), kept apart from the driver's copy on
 * purpose: the model is the driver's test oracle, so it must not inherit the driver's mistakes.
 */
const R = {
  Command: 0x01,
  ComIrq: 0x04,
  DivIrq: 0x05,
  Error: 0x06,
  FIFOData: 0x09,
  FIFOLevel: 0x0a,
  Control: 0x0c,
  BitFraming: 0x0d,
  Coll: 0x0e,
  Mode: 0x11,
  TxMode: 0x12,
  RxMode: 0x13,
  TxControl: 0x14,
  CRCResultH: 0x21,
  CRCResultL: 0x22,
  TMode: 0x2a,
  TPrescaler: 0x2b,
  TReloadH: 0x2c,
  TReloadL: 0x2d,
  Version: 0x37,
} as const;

const CMD = { Idle: 0x0, CalcCRC: 0x3, NoCmdChange: 0x7, Transceive: 0xc, SoftReset: 0xf } as const;
const IRQ = { Tx: 0x40, Rx: 0x20, Err: 0x02, Timer: 0x01 } as const;
const ERR = { BufferOvfl: 0x10, CollErr: 0x08, CRCErr: 0x04, ParityErr: 0x02 } as const;
const DIV_CRC = 0x04;
const FIFO_SIZE = 64;
const CLOCK_HZ = 13_560_000;
const CRC_PRESETS = [0x0000, 0x6363, 0xa671, 0xffff] as const;

/** Power-on values of the registers the model gives meaning to (datasheet section 9.3). */
const RESET_VALUES: ReadonlyArray<[number, number]> = [
  [R.Command, 0x20],
  [0x02, 0x80], // ComIEnReg
  [R.ComIrq, 0x14],
  [0x07, 0x21], // Status1Reg
  [0x0b, 0x08], // WaterLevelReg
  [R.Control, 0x10],
  [R.Coll, 0xa0],
  [R.Mode, 0x3f],
  [R.TxControl, 0x80],
  [0x16, 0x10], // TxSelReg
  [0x17, 0x84], // RxSelReg
  [0x18, 0x84], // RxThresholdReg
  [0x19, 0x4d], // DemodReg
  [0x1c, 0x62], // MfTxReg
  [0x1f, 0xeb], // SerialSpeedReg
  [R.CRCResultH, 0xff],
  [R.CRCResultL, 0xff],
  [0x24, 0x26], // ModWidthReg
  [0x26, 0x48], // RFCfgReg
  [0x27, 0x88], // GsNReg
  [0x28, 0x20], // CWGsPReg
  [0x29, 0x20], // ModGsPReg
];

/** Which exchange a fault is aimed at. */
export type FrameKind = 'wakeup' | 'anticollision' | 'select' | 'halt' | 'other';

/**
 * Faults the model can inject into the next matching exchange:
 * - truncate: the card's answer breaks off mid-byte (half the bytes, then 3 stray bits);
 * - corruptBcc / corruptCrc: the anticollision BCC / the SAK's CRC_A arrives wrong;
 * - parity: the answer arrives with a parity error (ErrorReg ParityErr);
 * - mute: no card answers this one frame (card at the edge of the field), so the chip's timer runs out;
 * - stuck: the chip hangs — the command neither completes nor times out (a brown-out, a dead oscillator); a soft
 *   reset cures it;
 * - wedged: hangs like stuck, but no longer obeys SPI commands, SoftReset included (a latched-up chip): only a
 *   hard reset through NRSTPD (or a power cycle) brings it back.
 */
export type FaultKind = 'truncate' | 'corruptBcc' | 'corruptCrc' | 'parity' | 'mute' | 'stuck' | 'wedged';

export interface FaultInjection {
  readonly kind: FaultKind;
  /** Default: the next exchange of any kind (for corruptBcc, the next anticollision; corruptCrc, the next select). */
  readonly on?: FrameKind;
}

export interface FrameRecord {
  readonly kind: FrameKind;
  readonly tx: Uint8Array;
  readonly bits: number;
  /** What reached the FIFO, or null when the timer ran out. */
  readonly rx: Uint8Array | null;
}

export type Mfrc522ModelEvents = {
  cardPlaced: [card: VirtualCard];
  cardRemoved: [card: VirtualCard];
  frame: [record: FrameRecord];
};

export interface Mfrc522ModelOptions {
  /** VersionReg value: 0x92 = MFRC522 v2.0 (default), 0x91 = v1.0, 0x88 = FM17522 clone, 0x00 = no chip. */
  readonly version?: number;
  /** Milliseconds clock for the chip's timer; tests may drive it by hand. Default performance.now. */
  readonly now?: () => number;
  /** After NRSTPD goes high, the chip ignores SPI (reads 00) until its oscillator has started. Default 5 ms. */
  readonly oscillatorStartMs?: number;
}

/** Shortest low level on NRSTPD that resets the chip (datasheet: 100 ns), in ms. */
const NRSTPD_MIN_LOW_MS = 0.0001;

/** The driver did something the real chip would not accept, or that this model does not cover. */
export class Mfrc522ModelError extends Error {
  override readonly name = 'Mfrc522ModelError';
}

function frameKind(tx: Uint8Array, bits: number): FrameKind {
  if (bits === 7) return 'wakeup';
  if (tx[0] === 0x50) return 'halt';
  if (tx[0] === 0x93 || tx[0] === 0x95 || tx[0] === 0x97) {
    if (tx[1] === 0x20) return 'anticollision';
    if (tx[1] === 0x70) return 'select';
  }
  return 'other';
}

/**
 * A register-level model of the MFRC522 behind an SPI transport: register file, 64-byte FIFO, the command
 * register (Idle, SoftReset, CalcCRC, Transceive, NoCmdChange), interrupt request bits with Set1/Set2 semantics,
 * the error register, the CRC coprocessor, the timer (TAuto, TPrescaler, TReload in real time), TxLastBits framing,
 * hardware CRC on TX/RX, and an RF field where cards are placed and removed. Several cards answering at once
 * produce a real bitwise collision (CollErr, CollReg position).
 */
export class Mfrc522Model extends Emitter<Mfrc522ModelEvents> implements SpiTransport {
  readonly #regs = new Uint8Array(64);
  readonly #fifo: number[] = [];
  readonly #cards = new Set<VirtualCard>();
  readonly #faults: FaultInjection[] = [];
  readonly #now: () => number;
  readonly #version: number;
  readonly #oscillatorStartMs: number;
  #timerDeadline: number | null = null;
  #stuck = false;
  #wedged = false;
  /** NRSTPD level; low = hard power-down. The pin floats high on most modules (pull-up), so it starts high. */
  #nrstpd: Level = 1;
  #lowSince = 0;
  /** The chip answers SPI from this time on (oscillator running). */
  #readyAt = Number.NEGATIVE_INFINITY;
  #hardResets = 0;

  constructor(options: Mfrc522ModelOptions = {}) {
    super();
    this.#now = options.now ?? (() => performance.now());
    this.#version = options.version ?? 0x92;
    this.#oscillatorStartMs = options.oscillatorStartMs ?? 5;
    this.#reset();
  }

  // ---- the NRSTPD pin -------------------------------------------------------------------------------------

  /**
   * The chip's NRSTPD input, as a GPIO output driving it (hand it to the driver's openResetLine). Low: hard
   * power-down — SPI is ignored (reads 00), the RF field is off. The rising edge resets every register and clears
   * any hang; the chip answers again once its oscillator has started.
   */
  readonly resetPin: GpioOutput = {
    write: async (level) => this.#driveNrstpd(level),
    release: () => this.#driveNrstpd(1),
  };

  /** Completed hard resets (low pulses of at least 100 ns followed by a rising edge). */
  get hardResets(): number {
    return this.#hardResets;
  }

  get poweredDown(): boolean {
    return this.#nrstpd === 0;
  }

  #driveNrstpd(level: Level): void {
    if (level === this.#nrstpd) return;
    this.#nrstpd = level;
    if (level === 0) {
      this.#lowSince = this.#now();
      for (const card of this.#cards) card.powerOff();
      return;
    }
    if (this.#now() - this.#lowSince < NRSTPD_MIN_LOW_MS) {
      throw new Mfrc522ModelError('NRSTPD low pulse shorter than 100 ns: no reset');
    }
    this.#reset();
    this.#stuck = false;
    this.#wedged = false;
    this.#hardResets++;
    this.#readyAt = this.#now() + this.#oscillatorStartMs;
  }

  /** Powered down, or the oscillator still starting: the SPI interface does not answer. */
  #deaf(): boolean {
    return this.#nrstpd === 0 || this.#now() < this.#readyAt;
  }

  // ---- the RF field -------------------------------------------------------------------------------------

  get cards(): readonly VirtualCard[] {
    return [...this.#cards];
  }

  get antennaOn(): boolean {
    return this.#nrstpd === 1 && (this.#regs[R.TxControl]! & 0x03) !== 0;
  }

  placeCard(card: VirtualCard): void {
    if (this.#cards.has(card)) return;
    card.powerOff();
    this.#cards.add(card);
    this.emit('cardPlaced', card);
  }

  removeCard(card: VirtualCard): void {
    if (!this.#cards.delete(card)) return;
    card.powerOff();
    this.emit('cardRemoved', card);
  }

  removeAllCards(): void {
    for (const card of this.cards) this.removeCard(card);
  }

  injectFault(fault: FaultInjection): void {
    this.#faults.push(fault);
  }

  /** Faults injected but not yet triggered. */
  get pendingFaults(): readonly FaultInjection[] {
    return [...this.#faults];
  }

  /** Direct register access for tests and UIs (no side effects). */
  peek(reg: number): number {
    return this.#regs[reg & 0x3f]!;
  }

  // ---- SPI ------------------------------------------------------------------------------------------------

  async transfer(data: Uint8Array): Promise<Uint8Array> {
    const out = new Uint8Array(data.length);
    if (data.length === 0) return out;
    const first = data[0]!;
    if (first & 0x01) throw new Mfrc522ModelError('SPI address byte with bit 0 set');
    if (this.#deaf()) return out;
    if (first & 0x80) {
      // Read: every byte but the last names the register whose value comes back one byte later.
      for (let i = 0; i < data.length - 1; i++) {
        const address = data[i]!;
        if (!(address & 0x80) || address & 0x01) {
          throw new Mfrc522ModelError(
            `byte ${i} of a read transfer is not a read address: 0x${address.toString(16)}`,
          );
        }
        out[i + 1] = this.#read((address >> 1) & 0x3f);
      }
    } else {
      const reg = (first >> 1) & 0x3f;
      for (let i = 1; i < data.length; i++) this.#write(reg, data[i]!);
    }
    return out;
  }

  async close(): Promise<void> {}

  // ---- registers ----------------------------------------------------------------------------------------

  #reset(): void {
    this.#regs.fill(0);
    for (const [reg, value] of RESET_VALUES) this.#regs[reg] = value;
    this.#regs[R.Version] = this.#version;
    this.#fifo.length = 0;
    this.#timerDeadline = null;
    // TxControl resets to antenna off: every card in the field loses power.
    for (const card of this.#cards) card.powerOff();
  }

  #read(reg: number): number {
    switch (reg) {
      case R.FIFOData:
        return this.#fifo.shift() ?? 0;
      case R.FIFOLevel:
        return this.#fifo.length;
      case R.ComIrq:
        if (this.#timerDeadline !== null && this.#now() >= this.#timerDeadline) {
          this.#timerDeadline = null;
          this.#regs[R.ComIrq]! |= IRQ.Timer;
        }
        return this.#regs[R.ComIrq]! & 0x7f;
      default:
        return this.#regs[reg]!;
    }
  }

  #write(reg: number, value: number): void {
    switch (reg) {
      case R.Command:
        this.#command(value);
        return;
      case R.ComIrq:
      case R.DivIrq:
        // Bit 7 (Set1/Set2) chooses whether the other marked bits are set or cleared.
        if (value & 0x80) this.#regs[reg]! |= value & 0x7f;
        else this.#regs[reg]! &= ~value & 0x7f;
        return;
      case R.FIFOData:
        if (this.#fifo.length >= FIFO_SIZE) this.#regs[R.Error]! |= ERR.BufferOvfl;
        else this.#fifo.push(value);
        return;
      case R.FIFOLevel:
        if (value & 0x80) {
          this.#fifo.length = 0;
          this.#regs[R.Error]! &= ~ERR.BufferOvfl;
        }
        return;
      case R.BitFraming:
        this.#regs[reg] = value;
        if (value & 0x70) throw new Mfrc522ModelError('RxAlign (bit-oriented anticollision) is not modelled');
        if (value & 0x80 && this.#currentCommand() === CMD.Transceive) this.#transceive();
        return;
      case R.TxControl:
        this.#regs[reg] = value;
        if (!this.antennaOn) for (const card of this.#cards) card.powerOff();
        return;
      case R.Version:
      case R.Error:
        return; // read-only
      default:
        this.#regs[reg] = value;
    }
  }

  #currentCommand(): number {
    return this.#regs[R.Command]! & 0x0f;
  }

  #command(value: number): void {
    const command = value & 0x0f;
    const keepBits = value & 0x30; // RcvOff, PowerDown
    if (this.#wedged) return; // latched up: not even SoftReset is obeyed
    if (command === CMD.SoftReset) {
      this.#reset();
      this.#stuck = false;
      return;
    }
    if (command === CMD.NoCmdChange) {
      this.#regs[R.Command] = (this.#regs[R.Command]! & 0x0f) | keepBits;
      return;
    }
    this.#regs[R.Command] = command | keepBits;
    this.#timerDeadline = null;
    switch (command) {
      case CMD.Idle:
        return;
      case CMD.CalcCRC:
        if (this.#stuck) return;
        this.#calcCrc();
        return;
      case CMD.Transceive:
        if (this.#regs[R.BitFraming]! & 0x80) this.#transceive();
        return;
      default:
        throw new Mfrc522ModelError(`command 0x${command.toString(16)} is not modelled`);
    }
  }

  #crcPreset(): number {
    return CRC_PRESETS[this.#regs[R.Mode]! & 0x03]!;
  }

  #calcCrc(): void {
    const crc = crc16A(this.#fifo.splice(0), this.#crcPreset());
    this.#regs[R.CRCResultH] = crc >>> 8;
    this.#regs[R.CRCResultL] = crc & 0xff;
    this.#regs[R.DivIrq]! |= DIV_CRC;
  }

  #takeFault(kind: FrameKind): FaultKind | null {
    const i = this.#faults.findIndex((f) => {
      const target =
        f.on ?? (f.kind === 'corruptBcc' ? 'anticollision' : f.kind === 'corruptCrc' ? 'select' : kind);
      return target === kind;
    });
    if (i < 0) return null;
    return this.#faults.splice(i, 1)[0]!.kind;
  }

  #transceive(): void {
    if (this.#stuck || this.#wedged) return;
    const txLastBits = this.#regs[R.BitFraming]! & 0x07;
    const tx = Uint8Array.from(this.#fifo.splice(0));
    const bits = txLastBits === 0 ? tx.length * 8 : (tx.length - 1) * 8 + txLastBits;
    const kind = frameKind(tx, bits);
    const fault = this.#takeFault(kind);
    this.#regs[R.Error]! &= 0x40; // a new command clears all but TempErr
    this.#regs[R.ComIrq]! |= IRQ.Tx;
    if (fault === 'stuck' || fault === 'wedged') {
      if (fault === 'stuck') this.#stuck = true;
      else this.#wedged = true;
      return;
    }

    let frame = tx;
    if (this.#regs[R.TxMode]! & 0x80 && txLastBits === 0) {
      const crc = crc16A(tx, this.#crcPreset());
      frame = Uint8Array.from([...tx, crc & 0xff, crc >>> 8]);
    }
    const answers: Uint8Array[] = [];
    if (this.antennaOn) {
      for (const card of this.#cards) {
        const answer = card.receive(frame, txLastBits === 0 ? frame.length * 8 : bits);
        if (answer) answers.push(answer);
      }
    }
    if (answers.length === 0 || fault === 'mute') {
      this.#startTimer();
      this.emit('frame', { kind, tx, bits, rx: null });
      return;
    }

    let rx = this.#combine(answers);
    let rxLastBits = 0;
    if (fault === 'corruptBcc' && kind === 'anticollision') rx[4]! ^= 0x01;
    if (fault === 'corruptCrc') rx[rx.length - 1]! ^= 0x01;
    if (fault === 'parity') this.#regs[R.Error]! |= ERR.ParityErr;
    if (fault === 'truncate') {
      rx = rx.subarray(0, Math.floor(rx.length / 2) + 1);
      rx[rx.length - 1]! &= 0x07;
      rxLastBits = 3;
    }
    if (this.#regs[R.RxMode]! & 0x80 && rxLastBits === 0) {
      const body = rx.subarray(0, Math.max(0, rx.length - 2));
      const crc = crc16A(body, this.#crcPreset());
      if (rx.length < 2 || rx[rx.length - 2] !== (crc & 0xff) || rx[rx.length - 1] !== crc >>> 8) {
        this.#regs[R.Error]! |= ERR.CRCErr;
      }
      rx = body;
    }
    for (const b of rx) {
      if (this.#fifo.length >= FIFO_SIZE) this.#regs[R.Error]! |= ERR.BufferOvfl;
      else this.#fifo.push(b);
    }
    this.#regs[R.Control] = (this.#regs[R.Control]! & ~0x07) | rxLastBits;
    this.#regs[R.ComIrq]! |= IRQ.Rx | (this.#regs[R.Error]! & 0x1f ? IRQ.Err : 0);
    this.emit('frame', { kind, tx, bits, rx: Uint8Array.from(rx) });
  }

  /**
   * What the receiver decodes when every answer is on air at once: identical bits pass, differing bits collide.
   * The first collision sets CollErr and CollReg's position; with ValuesAfterColl clear, later bits read 0.
   */
  #combine(answers: Uint8Array[]): Uint8Array {
    const length = Math.max(...answers.map((a) => a.length));
    const merged = new Uint8Array(length);
    let firstCollision = -1;
    for (let bit = 0; bit < length * 8; bit++) {
      const byte = bit >> 3;
      const mask = 1 << (bit & 7);
      const values = new Set(answers.map((a) => (byte < a.length ? a[byte]! & mask : -1)));
      if (values.size > 1 && firstCollision < 0) firstCollision = bit;
      if ([...values].some((v) => v > 0)) merged[byte]! |= mask;
    }
    if (firstCollision >= 0) {
      this.#regs[R.Error]! |= ERR.CollErr;
      const position = firstCollision + 1;
      const coll = this.#regs[R.Coll]! & 0x80;
      this.#regs[R.Coll] = position > 32 ? coll | 0x20 : coll | (position & 0x1f);
      if (!(coll & 0x80)) {
        for (let bit = firstCollision + 1; bit < length * 8; bit++) merged[bit >> 3]! &= ~(1 << (bit & 7));
      }
    }
    return merged;
  }

  /** TAuto: the timer starts at the end of the transmission and, with no answer, raises TimerIRq on underflow. */
  #startTimer(): void {
    if (!(this.#regs[R.TMode]! & 0x80)) return;
    const prescaler = ((this.#regs[R.TMode]! & 0x0f) << 8) | this.#regs[R.TPrescaler]!;
    const reload = (this.#regs[R.TReloadH]! << 8) | this.#regs[R.TReloadL]!;
    const periodMs = (((2 * prescaler + 1) * (reload + 1)) / CLOCK_HZ) * 1000;
    this.#timerDeadline = this.#now() + periodMs;
  }
}
