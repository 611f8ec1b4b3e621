import { randomUUID } from 'node:crypto';
import type { CredentialRef, Direction, ValidateRequest, ValidateResponse } from '@scenic/protocol';
import type { OnlineValidator } from '../core/ports.js';

interface Pending {
  readonly resolve: (answer: ValidateResponse | null) => void;
  readonly timer: NodeJS.Timeout;
  retry?: NodeJS.Timeout;
}

/**
 * A request unanswered by half its deadline is sent once more, unchanged: QoS 0 loses a message now and then (a
 * broker restart, a Wi-Fi hiccup), and a second try costs less than a visitor decided offline. The cloud answers a
 * repeat with the decision it gave the first (it finds its own reservation by gate and correlationId), so the retry
 * can never hold a second entry. Below this deadline there is no time for a round trip more.
 */
const RETRY_MIN_DEADLINE_MS = 200;

/**
 * Online validation over MQTT: a validate_request with a deadline, answered by the validate_response carrying the
 * same correlationId, and repeated once at half the deadline when no answer came yet. No answer by the deadline, or
 * no connection, resolves null and the gate decides locally; answers arriving later are dropped.
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
      const timer = setTimeout(() => this.#settle(correlationId, null), deadlineMs);
      const pending: Pending = { resolve, timer };
      this.#pending.set(correlationId, pending);
      const request: ValidateRequest = {
        type: 'validate_request',
        v: 1,
        correlationId,
        gateId: this.#gateId,
        credential,
        direction,
        at,
        deadlineAt: at + deadlineMs,
      };
      if (!this.#send(request)) {
        this.#settle(correlationId, null);
        return;
      }
      if (deadlineMs >= RETRY_MIN_DEADLINE_MS)
        pending.retry = setTimeout(() => {
          if (this.#pending.get(correlationId) === pending) this.#send(request);
        }, deadlineMs / 2);
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
    clearTimeout(pending.retry);
    pending.resolve(answer);
    return true;
  }
}
