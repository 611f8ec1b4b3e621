/**
 * The limits on guessing passwords. Sign-in and second approvals (双人复核) both check a password, so they share
 * these limits and neither is a way around the other:
 * - per client address, `AddressAttempts`: LOGIN_RATE_LIMIT_PER_MINUTE attempts in a one-minute window, counted in
 *   this process (each cloud instance counts its own, as the rate limit before it did); IPv6 addresses count per
 *   /64 like @fastify/rate-limit, so one host cannot step through its own prefix. Every sign-in counts; an approval
 *   counts unless the approver's credentials were right.
 * - per account, `afterFailure`: LOGIN_MAX_FAILURES failures in a row lock for LOGIN_LOCKOUT_MINUTES — the account
 *   signing in (service.ts), or for an approval the operator who asked for it, never the approver named
 *   (approver-check.ts).
 * Past either limit the answer is RATE_LIMITED (429) for the address and for an approval requester; an account's
 * own lock is not announced (service.ts: the same 401 INVALID_CREDENTIALS as a wrong password).
 */
import { normalizeIP } from '@fastify/rate-limit';
import { AppError } from '../errors.js';
import type { AuthConfig } from './config.js';

const WINDOW_MS = 60_000;
/** Addresses remembered at most; past it the oldest go (Map keeps insertion order), so a flood cannot grow it. */
const CAPACITY = 10_000;

interface Window {
  count: number;
  readonly startedAt: number;
}

/** RATE_LIMITED, with when to try again (whole seconds, at least one). */
export function rateLimited(retryAfterMs: number): AppError {
  return new AppError('RATE_LIMITED', undefined, {
    details: { retryAfterSec: Math.max(1, Math.ceil(retryAfterMs / 1000)) },
  });
}

/** Password attempts per client address and minute, shared by sign-in and second approvals. */
export class AddressAttempts {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Counts one attempt from `ip` and throws RATE_LIMITED past the limit (the refused attempt counts too, as with
   * the rate limiter this replaces). Without an address (a caller inside this process) nothing is counted.
   */
  take(ip: string | null | undefined): void {
    const key = keyOf(ip);
    if (key === undefined) return;
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || window.startedAt + WINDOW_MS <= now) {
      this.windows.delete(key);
      window = { count: 0, startedAt: now };
      if (this.windows.size >= CAPACITY) this.windows.delete(this.windows.keys().next().value!);
      this.windows.set(key, window);
    }
    window.count++;
    if (window.count > this.perMinute) throw rateLimited(window.startedAt + WINDOW_MS - now);
  }

  /** Takes back one attempt that `take` counted in the current window (an approval whose credentials were right). */
  giveBack(ip: string | null | undefined): void {
    const key = keyOf(ip);
    const window = key === undefined ? undefined : this.windows.get(key);
    if (window && window.count > 0 && window.startedAt + WINDOW_MS > this.now()) window.count--;
  }
}

function keyOf(ip: string | null | undefined): string | undefined {
  if (!ip) return undefined;
  try {
    return normalizeIP(ip);
  } catch {
    // Not an address the parser knows (a test's label, a proxy's odd header): counted as written.
    return ip;
  }
}

export interface FailureCount {
  /** Failures in a row after this one: 0 again once it locked. */
  readonly failures: number;
  /** Epoch ms until which the account is locked, or null while below the limit. */
  readonly lockedUntil: number | null;
}

/** One more failure after `failures` in a row: counted below the limit; at it, a lock from `now`. */
export function afterFailure(
  failures: number,
  config: Pick<AuthConfig, 'maxFailedLogins' | 'lockoutMs'>,
  now: number,
): FailureCount {
  const next = failures + 1;
  if (next < config.maxFailedLogins) return { failures: next, lockedUntil: null };
  return { failures: 0, lockedUntil: now + config.lockoutMs };
}

export function isLocked(lockedUntil: number | null, now: number): lockedUntil is number {
  return lockedUntil !== null && lockedUntil > now;
}
