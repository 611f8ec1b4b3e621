/**
 * CRC_A of ISO/IEC 14443-3 (CRC-16/ISO-IEC-14443-3-A: reflected polynomial 0x8408, preset 0x6363), the CRC the
 * MFRC522's coprocessor computes with ModeReg CRCPreset = 01. Returned low byte first, the order it is sent in.
 */
export function crcA(data: ArrayLike<number>, preset = 0x6363): [low: number, high: number] {
  let crc = preset;
  for (let i = 0; i < data.length; i++) {
    let b = (data[i]! ^ crc) & 0xff;
    b = (b ^ (b << 4)) & 0xff;
    crc = ((crc >> 8) ^ (b << 8) ^ (b << 3) ^ (b >> 4)) & 0xffff;
  }
  return [crc & 0xff, crc >> 8];
}
