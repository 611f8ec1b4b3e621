/** Classifies driver errors from better-sqlite3 and pg, so callers can retry or answer 503 without knowing which. */

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** PostgreSQL SQLSTATEs that mean "run the transaction again": serialization_failure, deadlock_detected. */
const PG_RETRYABLE = new Set(['40001', '40P01']);

/**
 * A transaction lost a race with another one and may succeed if run again: SQLITE_BUSY (and its extended codes
 * such as SQLITE_BUSY_SNAPSHOT) after busy_timeout, or a PostgreSQL serialization failure / deadlock.
 */
export function isRetryableTransactionError(error: unknown): boolean {
  const code = codeOf(error);
  if (!code) return false;
  return code.startsWith('SQLITE_BUSY') || PG_RETRYABLE.has(code);
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'EAI_AGAIN',
]);
const SQLITE_UNAVAILABLE = ['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_CANTOPEN', 'SQLITE_IOERR', 'SQLITE_FULL'];
/** pg says these in plain errors without a code when it cannot get or keep a connection. */
const PG_CONNECTION_MESSAGES = ['timeout exceeded when trying to connect', 'Connection terminated'];

/**
 * The database cannot serve us right now (down, unreachable, overloaded, locked or contended past our retries, disk
 * full) — as opposed to a bug in a query. The API answers these with 503 DATABASE_UNAVAILABLE.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof AggregateError && error.errors.some(isDatabaseUnavailable)) return true;
  const code = codeOf(error);
  if (code) {
    if (NETWORK_CODES.has(code)) return true;
    if (SQLITE_UNAVAILABLE.some((prefix) => code.startsWith(prefix))) return true;
    // A serialization failure or deadlock that transaction() stopped retrying: contention, like SQLITE_BUSY.
    if (PG_RETRYABLE.has(code)) return true;
    // Class 08 connection exception, 53 insufficient resources, 57P0x operator intervention / shutdown.
    if (/^(08|53)/.test(code) || /^57P0[1-3]$/.test(code)) return true;
  }
  const message = error instanceof Error ? error.message : '';
  return PG_CONNECTION_MESSAGES.some((text) => message.includes(text));
}
