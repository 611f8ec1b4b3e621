/**
 * Signed-in operators kept in memory for a moment, so that a busy client (a ticket window selling hundreds of tickets
 * a minute) does not cost two reads per request. Correctness rules:
 *
 * - an entry lives at most SESSION_CACHE_TTL_MS and never past its session's expiry;
 * - every audited change to an operator or a role (logout, password change or reset, deactivation, role and
 *   permission changes, lock, unlock) empties the cache in this process when it is recorded and again when its
 *   transaction has ended (platform/audit onAuditEntry), so such a change takes effect here at once; another
 *   process serving the same database (several instances on PostgreSQL, the admin CLI) sees it within the TTL;
 * - a read that started before such a change is not stored (generation check), so it cannot bring back what the
 *   change removed.
 */
import type { Connection } from '../../db/scoped.js';
import { onAuditEntry } from '../audit/record.js';
import type { AuthenticatedOperator } from './service.js';

export const SESSION_CACHE_TTL_MS = 2_000;
/** Entries at most; past it the oldest go (Map keeps insertion order). */
const CAPACITY = 10_000;

interface Entry {
  readonly db: Connection;
  readonly operator: AuthenticatedOperator;
  readonly validUntil: number;
}

const entries = new Map<string, Entry>();
let generation = 0;

/** Forgets every cached session (and any read in flight). */
export function clearSessionCache(): void {
  generation++;
  entries.clear();
}

onAuditEntry((entry) => {
  // A sign-in only adds a session; everything else recorded about operators or roles may take rights away.
  if ((entry.entity === 'operator' && entry.action !== 'auth.login') || entry.entity === 'role')
    clearSessionCache();
});

export function cachedOperator(
  db: Connection,
  sessionHash: string,
  now: number,
): AuthenticatedOperator | undefined {
  const entry = entries.get(sessionHash);
  if (!entry) return undefined;
  if (entry.db !== db || entry.validUntil <= now) {
    entries.delete(sessionHash);
    return undefined;
  }
  return entry.operator;
}

/** Call before reading the session; pass the result to `cacheOperator`. */
export function cacheGeneration(): number {
  return generation;
}

export function cacheOperator(
  db: Connection,
  operator: AuthenticatedOperator,
  sessionExpiresAt: number,
  now: number,
  readAtGeneration: number,
): void {
  if (readAtGeneration !== generation) return;
  entries.delete(operator.sessionHash);
  entries.set(operator.sessionHash, {
    db,
    operator,
    validUntil: Math.min(now + SESSION_CACHE_TTL_MS, sessionExpiresAt),
  });
  if (entries.size > CAPACITY) entries.delete(entries.keys().next().value as string);
}
