/**
 * The limits on guessing passwords. Sign-in and second approvals (双人复核) both check a password, so they share
 * these limits and neither is a way around the other:
 * - per client address, `AddressAttempts`: LOGIN_RATE_LIMIT_PER_MINUTE attempts in a one-minute window, counted in
 *   the database (`login_address_attempts`, one atomic upsert per attempt), so several cloud instances behind one
 *   proxy share one limit instead of granting it once each; IPv6 addresses count per
 *   /64 like @fastify/rate-limit, so one host cannot step through its own prefix. Every sign-in counts; an approval
 *   counts unless the approver's credentials were right.
 * - per account, `afterFailure`: LOGIN_MAX_FAILURES failures in a row lock for LOGIN_LOCKOUT_MINUTES — the account
 *   signing in (service.ts), or for an approval the operator who asked for it, never the approver named
 *   (approver-check.ts).
 * Past either limit the answer is RATE_LIMITED (429) for the address and for an approval requester; an account's
 * own lock is not announced (service.ts: the same 401 INVALID_CREDENTIALS as a wrong password).
 */
import { normalizeIP } from '@fastify/rate-limit';
import { sql } from 'kysely';
import { AppError } from '../errors.js';
import type { AuthConfig } from './config.js';
import type { AuthDb } from './tables.js';

const WINDOW_MS = 60_000;
/** Past windows are deleted on about one attempt in this many, so the table keeps only the addresses of the minute. */
const PRUNE_EVERY = 100;

/** RATE_LIMITED, with when to try again (whole seconds, at least one). */
export function rateLimited(retryAfterMs: number): AppError {
  return new AppError('RATE_LIMITED', undefined, {
    details: { retryAfterSec: Math.max(1, Math.ceil(retryAfterMs / 1000)) },
  });
}

/** Password attempts per client address and minute, shared by sign-in and second approvals and by every instance. */
export class AddressAttempts {
  constructor(
    private readonly db: AuthDb,
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Counts one attempt from `ip` and throws RATE_LIMITED past the limit (the refused attempt counts too, as with
   * the rate limiter this replaces). Without an address (a caller inside this process) nothing is counted. One
   * statement, so parallel attempts on any instance each count: a window that has ended starts again at 1.
   */
  async take(ip: string | null | undefined): Promise<void> {
    const key = keyOf(ip);
    if (key === undefined) return;
    const now = this.now();
    const ended = sql<boolean>`login_address_attempts.window_started_at + ${WINDOW_MS} <= ${now}`;
    const row = await this.db
      .insertInto('login_address_attempts')
      .values({ address: key, window_started_at: now, attempts: 1 })
      .onConflict((oc) =>
        oc.column('address').doUpdateSet({
          window_started_at: sql<number>`case when ${ended} then ${now} else login_address_attempts.window_started_at end`,
          attempts: sql<number>`case when ${ended} then 1 else login_address_attempts.attempts + 1 end`,
        }),
      )
      .returning(['window_started_at', 'attempts'])
      .executeTakeFirstOrThrow();
    if (Math.random() * PRUNE_EVERY < 1)
      await this.db
        .deleteFrom('login_address_attempts')
        .where('window_started_at', '<=', now - WINDOW_MS)
        .execute();
    if (row.attempts > this.perMinute) throw rateLimited(Number(row.window_started_at) + WINDOW_MS - now);
  }

  /** Takes back one attempt that `take` counted in the current window (an approval whose credentials were right). */
  async giveBack(ip: string | null | undefined): Promise<void> {
    const key = keyOf(ip);
    if (key === undefined) return;
    await this.db
      .updateTable('login_address_attempts')
      .set({ attempts: sql<number>`attempts - 1` })
      .where('address', '=', key)
      .where('attempts', '>', 0)
      .where('window_started_at', '>', this.now() - WINDOW_MS)
      .execute();
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
