/**
 * MFRC522 register map, commands and bits (NXP MFRC522 datasheet rev. 3.9, section 9) and the ISO/IEC 14443-3
 * type A frame bytes the driver sends. The simulated chip in simulators/ keeps its own copy on purpose: a wrong
 * number here must make the driver fail against the model, not be mirrored by it.
 */
export const Reg = {
  Command: 0x01,
  ComIEn: 0x02,
  DivIEn: 0x03,
  ComIrq: 0x04,
  DivIrq: 0x05,
  Error: 0x06,
  Status1: 0x07,
  Status2: 0x08,
  FIFOData: 0x09,
  FIFOLevel: 0x0a,
  WaterLevel: 0x0b,
  Control: 0x0c,
  BitFraming: 0x0d,
  Coll: 0x0e,
  Mode: 0x11,
  TxMode: 0x12,
  RxMode: 0x13,
  TxControl: 0x14,
  TxASK: 0x15,
  CRCResultH: 0x21,
  CRCResultL: 0x22,
  TMode: 0x2a,
  TPrescaler: 0x2b,
  TReloadH: 0x2c,
  TReloadL: 0x2d,
  Version: 0x37,
} as const;

export const Cmd = {
  Idle: 0x00,
  CalcCRC: 0x03,
  Transceive: 0x0c,
  SoftReset: 0x0f,
} as const;

/** CommandReg: the low nibble is the command; PowerDown stays set until a soft reset has finished. */
export const CommandBits = { CommandMask: 0x0f, PowerDown: 0x10 } as const;

/** ComIrqReg (and ComIEnReg). Writing with Set1 sets the marked bits, without it clears them. */
export const ComIrq = {
  Set1: 0x80,
  Tx: 0x40,
  Rx: 0x20,
  Idle: 0x10,
  HiAlert: 0x08,
  LoAlert: 0x04,
  Err: 0x02,
  Timer: 0x01,
} as const;

/** DivIrqReg. Writing with Set2 sets the marked bits, without it clears them. */
export const DivIrq = { Set2: 0x80, MfinAct: 0x10, CRC: 0x04 } as const;

export const ErrorBits = {
  WrErr: 0x80,
  TempErr: 0x40,
  BufferOvfl: 0x10,
  CollErr: 0x08,
  CRCErr: 0x04,
  ParityErr: 0x02,
  ProtocolErr: 0x01,
} as const;

export const FIFOLevelBits = { FlushBuffer: 0x80, LevelMask: 0x7f } as const;
export const ControlBits = { RxLastBitsMask: 0x07 } as const;
export const BitFramingBits = { StartSend: 0x80, RxAlignMask: 0x70, TxLastBitsMask: 0x07 } as const;
export const CollBits = { ValuesAfterColl: 0x80, CollPosNotValid: 0x20, CollPosMask: 0x1f } as const;
/** ModeReg CRCPreset (bits 1..0): 01 selects 0x6363, the ISO/IEC 14443 type A preset. */
export const ModeBits = { CRCPresetMask: 0x03 } as const;
export const TxRxModeBits = { CRCEn: 0x80 } as const;
export const TxControlBits = { Tx1RFEn: 0x01, Tx2RFEn: 0x02 } as const;
export const TxASKBits = { Force100ASK: 0x40 } as const;
/** TModeReg: TAuto starts the timer at the end of each transmission; low nibble = TPrescaler bits 11..8. */
export const TModeBits = { TAuto: 0x80, TPrescalerHiMask: 0x0f } as const;

/** FIFO depth in bytes. */
export const FIFO_SIZE = 64;
/** The chip's crystal: the timer runs at 13.56 MHz / (2 · TPrescaler + 1). */
export const CHIP_CLOCK_HZ = 13_560_000;

/** SPI address byte: bit 7 = read, bits 6..1 = register, bit 0 = 0. */
export function spiAddress(reg: number, read: boolean): number {
  return ((reg << 1) & 0x7e) | (read ? 0x80 : 0);
}

/** ISO/IEC 14443-3 type A PCD commands. */
export const Picc = {
  /** REQA and WUPA are 7-bit short frames. */
  REQA: 0x26,
  WUPA: 0x52,
  /** Anticollision / SELECT cascade levels 1, 2, 3. */
  SEL_CL1: 0x93,
  SEL_CL2: 0x95,
  SEL_CL3: 0x97,
  /** NVB for ANTICOLLISION with no known UID bits, and for SELECT (all 40 bits known). */
  NVB_ANTICOLL: 0x20,
  NVB_SELECT: 0x70,
  HLTA: 0x50,
  /** First byte of a cascade level whose UID continues in the next level. */
  CASCADE_TAG: 0x88,
  /** SAK bit 3 (0x04): the UID is not complete, continue with the next cascade level. */
  SAK_CASCADE: 0x04,
} as const;
