/**
 * CRC_A (ISO/IEC 14443-3 annex B) computed bit by bit, straight from the standard's definition. The driver has a
 * byte-wise version; the model keeps this independent one so a mistake in either shows up as a CRC mismatch.
 */
export function crc16A(data: ArrayLike<number>, preset = 0x6363): number {
  let crc = preset;
  for (let i = 0; i < data.length; i++) {
    crc ^= data[i]!;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
  }
  return crc & 0xffff;
}

/** The two CRC bytes as sent on air: low byte first. */
export function crcBytes(data: ArrayLike<number>): [number, number] {
  const crc = crc16A(data);
  return [crc & 0xff, crc >>> 8];
}
