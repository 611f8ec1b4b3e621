/**
 * The one error type the protocol package throws. Every decoder, verifier and parser turns bad input into a
 * ProtocolError with a stable code; anything else escaping is a bug (the fuzz tests hold us to that).
 */
export type ProtocolErrorCode =
  // credentials
  | 'MALFORMED'
  | 'UNSUPPORTED_VERSION'
  | 'UNKNOWN_KEY'
  | 'BAD_SIGNATURE'
  | 'EXPIRED'
  | 'NOT_YET_VALID'
  | 'BAD_CHECK_DIGIT'
  | 'BAD_CARD_UID'
  // configuration
  | 'BAD_TIME_ZONE'
  // mqtt
  | 'BAD_TOPIC'
  | 'TOO_LARGE'
  | 'BAD_JSON'
  | 'BAD_MESSAGE'
  | 'UNKNOWN_MESSAGE_TYPE';

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  constructor(
    readonly code: ProtocolErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export function isProtocolError(err: unknown): err is ProtocolError {
  return err instanceof ProtocolError;
}
