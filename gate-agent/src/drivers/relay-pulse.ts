import { DriverError } from './errors.js';

/**
 * Shortest relay pulse a driver delivers. A relay takes ~10 ms to pull in and bounce, and a turnstile's release
 * input samples or debounces for tens of ms more, so shorter pulses are missed now and then: a paid visitor meets a
 * locked arm. Same floor as the protocol's RELAY_PULSE_MIN_MS for the cloud's gate config.
 */
export const RELAY_MIN_PULSE_MS = 50;

/** Longest pulse accepted: a turnstile release or a solenoid, not a way to hold a relay on (use set()). */
export const RELAY_MAX_PULSE_MS = 60_000;

/**
 * The pulse a relay actually gives for a requested length. A request below the floor is raised to it, not
 * refused: refusing would keep the turnstile shut for a visitor who was just admitted, while a slightly longer
 * release costs nothing. `raised` tells the driver to report the misconfiguration as a fault. Lengths that are no
 * duration at all (NaN, ≤ 0, beyond the maximum) are a bug in the caller and throw BAD_CONFIG.
 */
export function relayPulseLength(
  name: string,
  ms: number,
): { readonly ms: number; readonly raised: boolean } {
  if (!Number.isFinite(ms) || ms <= 0 || ms > RELAY_MAX_PULSE_MS) {
    throw new DriverError('BAD_CONFIG', `${name} relay pulse must be 1–${RELAY_MAX_PULSE_MS} ms, got ${ms}`);
  }
  return ms < RELAY_MIN_PULSE_MS ? { ms: RELAY_MIN_PULSE_MS, raised: true } : { ms, raised: false };
}

/** The fault a driver emits (once per requested length) when it raised a pulse to the floor. */
export function raisedPulseFault(name: string, requested: number): DriverError {
  return new DriverError(
    'BAD_CONFIG',
    `${name} relay pulse of ${requested} ms raised to ${RELAY_MIN_PULSE_MS} ms: shorter releases are missed by the mechanism`,
  );
}
