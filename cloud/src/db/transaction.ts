import { type Kysely, Transaction } from 'kysely';
import { isRetryableTransactionError } from './errors.js';
import type { Database } from './schema.js';

export interface TransactionOptions {
  /** Total tries including the first; default 6. */
  readonly maxAttempts?: number;
  /** Called before each retry with the failed attempt's number and error (e.g. to log contention). */
  readonly onRetry?: (attempt: number, error: unknown) => void;
}

const DEFAULT_MAX_ATTEMPTS = 6;

/**
 * Runs `fn` in a serializable transaction and commits, or rolls back if it throws. When the transaction loses a
 * race (SQLITE_BUSY, PostgreSQL 40001 serialization failure or 40P01 deadlock) the whole of `fn` runs again after
 * a short randomised backoff, up to `maxAttempts` times; the last error is rethrown. So `fn` must only touch the
 * database — publish messages or call other systems after this returns.
 *
 * Isolation is the same on both engines: SERIALIZABLE on PostgreSQL; SQLite transactions are serializable by
 * nature and ours start with BEGIN IMMEDIATE (see database.ts). Called with a transaction, `fn` simply joins it,
 * and retrying is left to the outermost call.
 */
export async function transaction<T>(
  db: Kysely<Database>,
  fn: (trx: Transaction<Database>) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  if (db instanceof Transaction) return fn(db);
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().setIsolationLevel('serializable').execute(fn);
    } catch (error) {
      if (attempt >= maxAttempts || !isRetryableTransactionError(error)) throw error;
      options.onRetry?.(attempt, error);
      await sleep(backoffMs(attempt));
    }
  }
}

/** 10, 20, 40 … ms capped at 500, each scaled by a random 0.5–1.5 so two losers don't collide again in step. */
function backoffMs(attempt: number): number {
  return Math.min(500, 10 * 2 ** (attempt - 1)) * (0.5 + Math.random());
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
