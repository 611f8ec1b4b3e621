import { type Kysely, Transaction } from 'kysely';
import { isRetryableTransactionError } from './errors.js';
import { backoffMs, type GroupCommitOptions, GroupCommitter } from './group-commit.js';
import type { Database } from './schema.js';

export interface TransactionOptions {
  /** Total tries including the first; default 6. */
  readonly maxAttempts?: number;
  /** Called before each retry with the failed attempt's number and error (e.g. to log contention). */
  readonly onRetry?: (attempt: number, error: unknown) => void;
  /**
   * PostgreSQL only; default SERIALIZABLE. READ COMMITTED is for work that takes its own row locks and must see what
   * the lock's holder committed (online validation). SQLite is serializable whatever is asked.
   */
  readonly isolation?: 'serializable' | 'read committed';
}

const DEFAULT_MAX_ATTEMPTS = 6;

// Keyed by the database object: a handle narrowed to some module's tables (scoped.ts) is that same object.
const groupCommitters = new WeakMap<object, GroupCommitter>();

/**
 * From now on `transaction(db, …)` shares COMMITs between concurrent callers (see group-commit.ts). For SQLite's
 * single connection only: on PostgreSQL each transaction has its own connection and snapshot.
 */
export function enableGroupCommit(db: Kysely<Database>, options: GroupCommitOptions): void {
  groupCommitters.set(db, new GroupCommitter(db, options));
}

/**
 * Runs `fn` in a serializable transaction and commits, or rolls back if it throws. When the transaction loses a
 * race (SQLITE_BUSY, PostgreSQL 40001 serialization failure or 40P01 deadlock) the whole of `fn` runs again after
 * a short randomised backoff, up to `maxAttempts` times; the last error is rethrown. So `fn` must only touch the
 * database — publish messages or call other systems after this returns.
 *
 * Isolation is the same on both engines unless `isolation` says otherwise: SERIALIZABLE on PostgreSQL; SQLite transactions are serializable by
 * nature and ours start with BEGIN IMMEDIATE (see database.ts). Called with a transaction, `fn` simply joins it,
 * and retrying is left to the outermost call. On SQLite, concurrent calls may share one COMMIT (group-commit.ts);
 * each still commits or rolls back as a whole, and returns only once committed.
 */
// Two signatures: TypeScript infers the tables of a Transaction<DB> argument only when matched against Transaction<DB>.
export async function transaction<DB, T>(
  db: Transaction<DB>,
  fn: (trx: Transaction<DB>) => Promise<T>,
  options?: TransactionOptions,
): Promise<T>;
export async function transaction<DB, T>(
  db: Kysely<DB>,
  fn: (trx: Transaction<DB>) => Promise<T>,
  options?: TransactionOptions,
): Promise<T>;
export async function transaction<DB, T>(
  db: Kysely<DB>,
  fn: (trx: Transaction<DB>) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  if (db instanceof Transaction) return fn(db);
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const group = groupCommitters.get(db);
  // The batch transaction is one on the same database: the caller sees it through the tables it was narrowed to.
  if (group)
    return group.run(
      fn as unknown as (trx: Transaction<Database>) => Promise<T>,
      maxAttempts,
      options.onRetry,
    );
  for (let attempt = 1; ; attempt++) {
    try {
      return await db
        .transaction()
        .setIsolationLevel(options.isolation ?? 'serializable')
        .execute(fn);
    } catch (error) {
      if (attempt >= maxAttempts || !isRetryableTransactionError(error)) throw error;
      options.onRetry?.(attempt, error);
      await sleep(backoffMs(attempt));
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
