import { crcBytes } from './crc-a.js';

/** ISO/IEC 14443-3 type A card states; `halted` marks the READY* and ACTIVE* variants (woken from HALT by WUPA). */
export type PiccState = 'IDLE' | 'READY' | 'ACTIVE' | 'HALT';

export interface VirtualCardOptions {
  /** Final SAK. Default 0x08 (MIFARE Classic 1K) for 4-byte UIDs, 0x00 (Ultralight/NTAG) otherwise. */
  readonly sak?: number;
}

const REQA = 0x26;
const WUPA = 0x52;
const HLTA = 0x50;
const CASCADE_TAG = 0x88;
const SEL = [0x93, 0x95, 0x97] as const;
const SAK_CASCADE = 0x04;

function parseUid(uid: string | ArrayLike<number>): Uint8Array {
  const bytes =
    typeof uid === 'string'
      ? Uint8Array.from(Buffer.from(uid.replace(/[\s:-]/g, ''), 'hex'))
      : Uint8Array.from(uid);
  if (bytes.length !== 4 && bytes.length !== 7 && bytes.length !== 10) {
    throw new RangeError(`a type A UID has 4, 7 or 10 bytes, not ${bytes.length}`);
  }
  return bytes;
}

/**
 * A contactless card in the simulated RF field: the ISO/IEC 14443-3 state machine with the anticollision/select
 * cascade. It answers REQA, WUPA, ANTICOLLISION (NVB 0x20), SELECT (NVB 0x70) and HLTA; frames with a bad CRC are
 * ignored, as a real card does. Bit-oriented anticollision (partial NVB) is not modelled: the card stays silent,
 * which a driver that needs it would see as a timeout.
 */
export class VirtualCard {
  readonly uid: Uint8Array;
  /** Upper-case hex, the form the reader reports. */
  readonly uidHex: string;
  readonly sak: number;
  #state: PiccState = 'IDLE';
  #halted = false;
  #level = 0;

  constructor(uid: string | ArrayLike<number>, options: VirtualCardOptions = {}) {
    this.uid = parseUid(uid);
    this.uidHex = Buffer.from(this.uid).toString('hex').toUpperCase();
    this.sak = options.sak ?? (this.uid.length === 4 ? 0x08 : 0x00);
  }

  get state(): PiccState {
    return this.#state;
  }

  /** ATQA: bits 8..7 of the first byte give the UID size, bit 3 the anticollision scheme. */
  get atqa(): Uint8Array {
    const size = this.uid.length === 4 ? 0x00 : this.uid.length === 7 ? 0x40 : 0x80;
    return Uint8Array.of(size | 0x04, 0x00);
  }

  /** The UID-CLn + BCC frame of each cascade level. */
  get cascadeFrames(): Uint8Array[] {
    const u = [...this.uid];
    const levels =
      u.length === 4
        ? [u]
        : u.length === 7
          ? [[CASCADE_TAG, ...u.slice(0, 3)], u.slice(3)]
          : [[CASCADE_TAG, ...u.slice(0, 3)], [CASCADE_TAG, ...u.slice(3, 6)], u.slice(6)];
    return levels.map((l) => Uint8Array.from([...l, l[0]! ^ l[1]! ^ l[2]! ^ l[3]!]));
  }

  /** Losing RF power resets the card. */
  powerOff(): void {
    this.#state = 'IDLE';
    this.#halted = false;
    this.#level = 0;
  }

  /** The card's answer to one frame (`bits` long: 7 for a short frame), or null when it stays silent. */
  receive(frame: Uint8Array, bits: number): Uint8Array | null {
    if (bits === 7 && frame.length === 1) return this.#shortFrame(frame[0]!);
    if (bits !== frame.length * 8) return null;
    switch (this.#state) {
      case 'READY':
        return this.#ready(frame);
      case 'ACTIVE':
        return this.#active(frame);
      default:
        return null;
    }
  }

  #shortFrame(command: number): Uint8Array | null {
    const wakes =
      command === WUPA ? this.#state === 'IDLE' || this.#state === 'HALT' : this.#state === 'IDLE';
    if ((command === REQA || command === WUPA) && wakes) {
      this.#halted = this.#state === 'HALT';
      this.#state = 'READY';
      this.#level = 0;
      return this.atqa;
    }
    if (this.#state === 'READY' || this.#state === 'ACTIVE') this.#backToRest();
    return null;
  }

  #ready(frame: Uint8Array): Uint8Array | null {
    const expected = this.cascadeFrames[this.#level]!;
    if (frame[0] !== SEL[this.#level]) {
      this.#backToRest();
      return null;
    }
    if (frame.length === 2 && frame[1] === 0x20) return expected;
    if (frame.length === 9 && frame[1] === 0x70) {
      if (!crcOk(frame)) return null;
      if (!expected.every((b, i) => frame[2 + i] === b)) {
        // Another card was selected.
        this.#backToRest();
        return null;
      }
      const last = this.#level === this.cascadeFrames.length - 1;
      const sak = last ? this.sak & ~SAK_CASCADE : SAK_CASCADE;
      if (last) this.#state = 'ACTIVE';
      else this.#level++;
      return Uint8Array.from([sak, ...crcBytes([sak])]);
    }
    return null;
  }

  #active(frame: Uint8Array): Uint8Array | null {
    if (!crcOk(frame)) return null;
    if (frame.length === 4 && frame[0] === HLTA && frame[1] === 0x00) {
      this.#state = 'HALT';
      this.#halted = false;
      return null;
    }
    this.#backToRest();
    return null;
  }

  /** An unexpected command sends the card back to IDLE, or to HALT if it was woken from there. */
  #backToRest(): void {
    this.#state = this.#halted ? 'HALT' : 'IDLE';
    this.#level = 0;
  }
}

function crcOk(frame: Uint8Array): boolean {
  if (frame.length < 3) return false;
  const [low, high] = crcBytes(frame.subarray(0, frame.length - 2));
  return frame[frame.length - 2] === low && frame[frame.length - 1] === high;
}
