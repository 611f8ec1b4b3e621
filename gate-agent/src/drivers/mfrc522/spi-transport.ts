/**
 * The one thing the MFRC522 register protocol needs from a bus: a full-duplex transfer with chip select held for
 * the whole buffer. The real adapter is spi-device-transport.ts; simulators/ implements it with a register-level
 * model of the chip, so the same driver code runs against both.
 */
export interface SpiTransport {
  /** Sends `data` while clocking in as many bytes; resolves with what the chip sent back. */
  transfer(data: Uint8Array): Promise<Uint8Array>;
  close(): Promise<void>;
}
