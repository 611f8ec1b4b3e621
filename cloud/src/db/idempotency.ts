/**
 * Money-moving POSTs (sales, refunds, supplements) carry an Idempotency-Key, unique per cashier: each of those tables
 * stores the key with a hash of the request it answered, so a replay finds the earlier answer and a reuse of the key
 * for a different request is recognised.
 *
 * `idempotentWrite` is the whole rule in one place: look the key up inside the write's transaction (a replay writes
 * nothing), otherwise write; when a parallel request with the same key won the insert race the unique index on
 * (cashier_id, idempotency_key) refuses ours, and the winner's answer is replayed instead.
 */
import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { canonicalJson } from '../platform/audit/canonical-json.js';
import { auditedTransaction } from '../platform/audit/record.js';
import { AppError } from '../platform/errors.js';
import { isUniqueViolation } from './constraint-errors.js';
import type { PrecompiledStatement } from './precompiled.js';
import type { Database } from './schema.js';
import type { Connection, Scoped, TableName, TableScope } from './scoped.js';

export type IdempotentTable = 'sales' | 'refunds' | 'supplements' | 'card_returns';

/** One owner's statement finding the row that answered a cashier's key. */
export type KeyLookup = PrecompiledStatement<
  { cashierId: string; key: string },
  { id: string; request_hash: string }
>;

/**
 * The key lookup of one owner's table, built on that owner's scope and compiled once (precompiled.ts): every sale,
 * refund and supplement runs one. The owner declares it (`keyLookup(saleTables, 'sales')`) and passes it in its
 * IdempotentRequest, so this file names no module's tables.
 */
export function keyLookup<K extends TableName>(scope: TableScope<K>, table: K & IdempotentTable): KeyLookup {
  return scope.precompile((db, p) =>
    // The three tables share these columns; one of them stands for the union so Kysely can type the query (`table`
    // is one of the scope's own tables, checked above).
    (db as unknown as Scoped<'sales'>)
      .selectFrom(table as 'sales')
      .select(['id', 'request_hash'])
      .where('cashier_id', '=', p.cashierId)
      .where('idempotency_key', '=', p.key),
  );
}

/** SHA-256 of the canonical JSON of what identifies the request (leave secrets such as passwords out). */
export function requestHashOf(request: unknown): string {
  return createHash('sha256').update(canonicalJson(request)).digest('base64url');
}

export interface IdempotentRequest {
  /** The owner's lookup of its table (keyLookup). */
  readonly lookup: KeyLookup;
  readonly cashierId: string;
  readonly key: string;
  /** requestHashOf the request. */
  readonly hash: string;
}

/** The row that already answered this key, or undefined; IDEMPOTENCY_KEY_REUSED when it answered another request. */
export async function replayedId(db: Connection, request: IdempotentRequest): Promise<string | undefined> {
  const existing = await request.lookup.first(db, { cashierId: request.cashierId, key: request.key });
  if (!existing) return undefined;
  if (existing.request_hash !== request.hash)
    throw new AppError('IDEMPOTENCY_KEY_REUSED', { key: request.key });
  return existing.id;
}

export interface IdempotentOutcome {
  readonly id: string;
  readonly replayed: boolean;
}

/**
 * Runs `write` (which inserts the row carrying the key and returns its id) in one audited transaction unless the
 * key already answered. A unique violation with no row under the key is another constraint's: `onOtherConflict`
 * names it (default: rethrown as is).
 */
export async function idempotentWrite(
  db: Kysely<Database>,
  request: IdempotentRequest,
  write: (trx: Transaction<Database>) => Promise<string>,
  onOtherConflict?: (error: unknown) => Error,
): Promise<IdempotentOutcome> {
  try {
    return await auditedTransaction(db, async (trx) => {
      const earlier = await replayedId(trx, request);
      if (earlier !== undefined) return { id: earlier, replayed: true };
      return { id: await write(trx), replayed: false };
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const winner = await replayedId(db, request);
    if (winner === undefined) throw onOtherConflict ? onOtherConflict(error) : error;
    return { id: winner, replayed: true };
  }
}
