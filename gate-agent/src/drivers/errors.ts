/**
 * The one error type drivers produce, with a stable code the gate core can switch on (e.g. show "请重新刷卡" for
 * any CARD_* read error) and the logs can count. Drivers emit these as events for anything that happens while
 * running; only start() rejects with one, when the hardware cannot be acquired at all.
 */
export type DriverErrorCode =
  // lifecycle / configuration
  | 'BAD_CONFIG'
  | 'NOT_STARTED'
  // sysfs GPIO
  | 'GPIO_UNAVAILABLE'
  | 'GPIO_CHIP_NOT_FOUND'
  | 'GPIO_LINE_OUT_OF_RANGE'
  | 'GPIO_IO'
  // passage sensor
  | 'PASSAGE_INPUT_STUCK'
  // serial devices (scanner, LED)
  | 'SERIAL_IO'
  | 'INPUT_CLOSED'
  | 'LINE_TOO_LONG'
  | 'LINE_NOT_TEXT'
  // MFRC522 chip and ISO/IEC 14443-3 card protocol
  | 'SPI_IO'
  | 'CHIP_NOT_FOUND'
  | 'CHIP_NOT_RESPONDING'
  | 'CARD_TIMEOUT'
  | 'CARD_COLLISION'
  | 'CARD_PROTOCOL'
  | 'CARD_BCC'
  | 'CARD_CRC'
  // LED
  | 'LED_TOO_MANY_LINES'
  // voice
  | 'VOICE_TEXT_INVALID'
  | 'VOICE_RENDER_FAILED'
  | 'VOICE_PLAY_FAILED';

export class DriverError extends Error {
  override readonly name = 'DriverError';
  constructor(
    readonly code: DriverErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isDriverError(err: unknown): err is DriverError {
  return err instanceof DriverError;
}

/** Wraps anything thrown by a hardware library into a DriverError, keeping the original as `cause`. */
export function asDriverError(err: unknown, code: DriverErrorCode, what: string): DriverError {
  if (err instanceof DriverError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  return new DriverError(code, `${what}: ${detail}`, { cause: err });
}
