import { randomUUID } from 'node:crypto';
import type { CredentialRef, Direction, ValidateRequest, ValidateResponse } from '@scenic/protocol';
import type { OnlineValidator } from '../core/ports.js';

interface Pending {
  readonly resolve: (answer: ValidateResponse | null) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * Online validation over MQTT: a validate_request with a deadline, answered by the validate_response carrying the
 * same correlationId. No answer by the deadline, or no connection, resolves null and the gate decides locally;
 * answers arriving later are dropped.
 */
export class OnlineValidation implements OnlineValidator {
  readonly #pending = new Map<string, Pending>();
  readonly #send: (request: ValidateRequest) => boolean;
  readonly #gateId: string;
  readonly #now: () => number;

  /** `send` publishes the request and returns false when the gate is not connected. */
  constructor(gateId: string, send: (request: ValidateRequest) => boolean, now: () => number) {
    this.#gateId = gateId;
    this.#send = send;
    this.#now = now;
  }

  validate(
    credential: CredentialRef,
    direction: Direction,
    deadlineMs: number,
  ): Promise<ValidateResponse | null> {
    const at = this.#now();
    const correlationId = `vr-${randomUUID()}`;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(correlationId);
        resolve(null);
      }, deadlineMs);
      this.#pending.set(correlationId, { resolve, timer });
      const sent = this.#send({
        type: 'validate_request',
        v: 1,
        correlationId,
        gateId: this.#gateId,
        credential,
        direction,
        at,
        deadlineAt: at + deadlineMs,
      });
      if (!sent) this.#settle(correlationId, null);
    });
  }

  /** Hands a response to the scan waiting for it; false when nobody waits (late or unknown). */
  onResponse(response: ValidateResponse): boolean {
    return this.#settle(response.correlationId, response);
  }

  #settle(correlationId: string, answer: ValidateResponse | null): boolean {
    const pending = this.#pending.get(correlationId);
    if (!pending) return false;
    this.#pending.delete(correlationId);
    clearTimeout(pending.timer);
    pending.resolve(answer);
    return true;
  }
}
