/**
 * Writing the operation log (操作日志). `recordAudit(trx, entry)` appends one row inside the caller's transaction, so
 * the row exists exactly when the change it describes committed. Each append bumps the single-row chain head in
 * that same transaction; two appenders therefore never both extend the same row (one waits for, or on PostgreSQL
 * retries after, the other) and the chain cannot fork.
 *
 * On PostgreSQL (SERIALIZABLE) appenders that meet on the head abort with 40001 and `transaction()` retries them;
 * under heavy parallel writes use `auditedTransaction()`, which takes the head's table lock before the transaction's
 * snapshot exists, so appenders queue instead of aborting. SQLite's BEGIN IMMEDIATE queues every writer anyway.
 */
import { type Kysely, PostgresAdapter, sql, Transaction } from 'kysely';
import { GroupCommitter } from '../../db/group-commit.js';
import type { Placeholders } from '../../db/precompiled.js';
import type { Database } from '../../db/schema.js';
import type { Connection } from '../../db/scoped.js';
import { type TransactionOptions, transaction } from '../../db/transaction.js';
import { canonicalJson } from './canonical-json.js';
import { rowHash } from './chain.js';
import { type AuditLogTable, auditTables } from './tables.js';

/** Who did it: an operator, or the system itself (start-up, the admin CLI) with `id: null`. */
export interface AuditActor {
  readonly id: string | null;
  readonly username: string;
}

export const SYSTEM_ACTOR: AuditActor = { id: null, username: 'system' };

export interface AuditEntry {
  readonly actor: AuditActor | null;
  /** Verb in `entity.verb` form, e.g. `operator.create`, `auth.login`. */
  readonly action: string;
  readonly entity: string;
  readonly entityId?: string | number | null;
  /** Plain JSON values; never secrets (password hashes, tokens). */
  readonly before?: unknown;
  readonly after?: unknown;
  readonly ip?: string | null;
}

export interface AuditRecord {
  readonly seq: number;
  readonly at: number;
  readonly hash: string;
}

// The three statements of an append, compiled once (they run in nearly every write). On PostgreSQL the row and the
// head's new hash go in one statement (a data-modifying CTE): one round trip fewer while every other audited writer
// waits on the chain lock.
const bumpHead = auditTables.precompile<Record<string, never>, { seq: number; hash: string }>((db) =>
  db
    .updateTable('audit_chain_head')
    .set({ seq: sql`seq + 1` })
    .where('id', '=', 1)
    .returning(['seq', 'hash']),
);

// A mapped copy: an interface does not satisfy precompile's Record<string, unknown> parameter bound.
type AuditRow = { [K in keyof AuditLogTable]: AuditLogTable[K] };

function rowValues(p: Placeholders<AuditRow>): AuditRow {
  return {
    seq: p.seq,
    at: p.at,
    actor_id: p.actor_id,
    actor_username: p.actor_username,
    action: p.action,
    entity: p.entity,
    entity_id: p.entity_id,
    before_json: p.before_json,
    after_json: p.after_json,
    ip: p.ip,
    prev_hash: p.prev_hash,
    hash: p.hash,
  };
}

const insertRow = auditTables.precompile<AuditRow, never>((db, p) =>
  db.insertInto('audit_log').values(rowValues(p)),
);

const setHeadHash = auditTables.precompile<{ hash: string }, never>((db, p) =>
  db.updateTable('audit_chain_head').set({ hash: p.hash }).where('id', '=', 1),
);

const insertRowAndSetHead = auditTables.precompile<AuditRow, never>((db, p) =>
  db
    .with('appended', (qb) => qb.insertInto('audit_log').values(rowValues(p)))
    .updateTable('audit_chain_head')
    .set({ hash: p.hash })
    .where('id', '=', 1),
);

/**
 * In-process caches of audited state (the session cache in platform/auth) hear of every entry twice: when it is
 * recorded inside its transaction, and again once the auditedTransaction() that recorded it has ended (committed
 * or rolled back). The second call closes the window in which a concurrent reader on another connection could
 * still see, and cache, the state from before the commit. Listeners must be quick and must not throw.
 */
export type AuditListener = (entry: AuditEntry) => void;
const listeners = new Set<AuditListener>();
/** Entries recorded by the auditedTransaction() function currently running on that transaction. */
const recordedIn = new WeakMap<Connection, AuditEntry[]>();

export function onAuditEntry(listener: AuditListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function tell(entries: readonly AuditEntry[]): void {
  for (const entry of entries) for (const listener of listeners) listener(entry);
}

/** Appends one entry to the chain inside `trx`. Call it in the transaction that makes the change. */
export async function recordAudit(
  trx: Connection,
  entry: AuditEntry,
  now: number = Date.now(),
): Promise<AuditRecord> {
  const head = await bumpHead.first(trx, {});
  if (!head) throw new Error('audit_chain_head row 1 is missing');
  const row = {
    seq: head.seq,
    at: now,
    actor_id: entry.actor?.id ?? null,
    actor_username: entry.actor?.username ?? null,
    action: entry.action,
    entity: entry.entity,
    entity_id: entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
    before_json: entry.before === undefined ? null : canonicalJson(entry.before),
    after_json: entry.after === undefined ? null : canonicalJson(entry.after),
    ip: entry.ip ?? null,
    prev_hash: head.hash,
  };
  const hash = rowHash(row);
  if (trx.getExecutor().adapter instanceof PostgresAdapter)
    await insertRowAndSetHead.rows(trx, { ...row, hash });
  else {
    await insertRow.rows(trx, { ...row, hash });
    await setHeadHash.rows(trx, { hash });
  }
  if (listeners.size > 0) {
    recordedIn.get(trx)?.push(entry);
    tell([entry]);
  }
  return { seq: row.seq, at: row.at, hash };
}

/**
 * Wraps an auditedTransaction() function so that the entries it records are told again after the transaction has
 * ended. Members of one batch run one after another on the shared transaction, so each sees only its own entries.
 */
function telling<DB, T>(fn: (trx: Transaction<DB>) => Promise<T>) {
  const entries: AuditEntry[] = [];
  const wrapped = async (trx: Transaction<DB>) => {
    // Nested in another auditedTransaction() on the same transaction: that one commits them, so it tells them too.
    const outer = recordedIn.get(trx);
    recordedIn.set(trx, entries);
    try {
      return await fn(trx);
    } finally {
      if (outer) {
        outer.push(...entries);
        recordedIn.set(trx, outer);
      } else recordedIn.delete(trx);
    }
  };
  const settled = () => {
    if (entries.length > 0) tell(entries);
  };
  return { wrapped, settled };
}

/**
 * `transaction()` for changes that will be audited: on PostgreSQL its first statement locks the chain head's table
 * (SHARE ROW EXCLUSIVE conflicts only with itself and writers; readers pass), before the serializable snapshot is
 * taken, so audited transactions run one after another instead of aborting each other. `fn` must not have run
 * a query yet, hence this wraps the whole transaction. Since they run one after another anyway, concurrent ones
 * share that transaction, each in its own savepoint (see `auditBatchesOf` below); on SQLite `transaction()` does
 * the same for every transaction.
 */
export function auditedTransaction<DB, T>(
  db: Transaction<DB>,
  fn: (trx: Transaction<DB>) => Promise<T>,
  options?: TransactionOptions,
): Promise<T>;
export function auditedTransaction<DB, T>(
  db: Kysely<DB>,
  fn: (trx: Transaction<DB>) => Promise<T>,
  options?: TransactionOptions,
): Promise<T>;
export function auditedTransaction<DB, T>(
  db: Kysely<DB>,
  fn: (trx: Transaction<DB>) => Promise<T>,
  options?: TransactionOptions,
): Promise<T> {
  if (listeners.size === 0) return runAudited(db, fn, options);
  const { wrapped, settled } = telling(fn);
  const result = runAudited(db, wrapped, options);
  result.then(settled, settled);
  return result;
}

function runAudited<DB, T>(
  db: Kysely<DB>,
  fn: (trx: Transaction<DB>) => Promise<T>,
  options?: TransactionOptions,
): Promise<T> {
  // The batch transaction is one on the same database, seen by `fn` through the tables its caller was narrowed to.
  if (!(db instanceof Transaction) && db.getExecutor().adapter instanceof PostgresAdapter)
    return auditBatchesOf(db as unknown as Kysely<Database>).run(
      fn as unknown as (trx: Transaction<Database>) => Promise<T>,
      options?.maxAttempts ?? 6,
      options?.onRetry,
    );
  return transaction(
    db,
    async (trx) => {
      if (trx.getExecutor().adapter instanceof PostgresAdapter)
        await sql`lock table audit_chain_head in share row exclusive mode`.execute(trx);
      return fn(trx);
    },
    options,
  );
}

/**
 * PostgreSQL: audited transactions queue on the chain lock one after another anyway, each paying a lock hand-over
 * and a COMMIT (WAL flush). So those of one process that arrive together run as one batch — one SERIALIZABLE
 * transaction that takes the lock first, each member in its own savepoint, one COMMIT, nobody answered before it
 * (db/group-commit.ts). The chain is extended exactly as before, one member after another; other processes' batches
 * queue on the same lock.
 */
const auditBatches = new WeakMap<Kysely<Database>, GroupCommitter>();

function auditBatchesOf(db: Kysely<Database>): GroupCommitter {
  let batches = auditBatches.get(db);
  if (!batches) {
    batches = new GroupCommitter(db, {
      maxBatch: AUDIT_BATCH_MAX,
      isolation: 'serializable',
      onBegin: async (trx) => {
        await sql`lock table audit_chain_head in share row exclusive mode`.execute(trx);
      },
    });
    auditBatches.set(db, batches);
  }
  return batches;
}

/** Members per batch at most: past 64 subtransactions (one per savepoint that wrote) in one transaction, PostgreSQL makes every other session look them up on disk. */
const AUDIT_BATCH_MAX = 60;
