import type { CredentialRef, Direction, ValidateResponse } from '@scenic/protocol';

/**
 * Online validation as the core sees it (the MQTT link implements it). Resolves with the cloud's answer, or null
 * when there is none by the deadline or the gate is not connected — never rejects.
 */
export interface OnlineValidator {
  validate(
    credential: CredentialRef,
    direction: Direction,
    deadlineMs: number,
  ): Promise<ValidateResponse | null>;
}

/** The logger calls the core makes (pino's signature: an object of fields, then the message). */
export interface Log {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}
