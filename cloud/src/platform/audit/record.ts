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
import type { Database } from '../../db/schema.js';
import { type TransactionOptions, transaction } from '../../db/transaction.js';
import { canonicalJson } from './canonical-json.js';
import { rowHash } from './chain.js';

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

/** Appends one entry to the chain inside `trx`. Call it in the transaction that makes the change. */
export async function recordAudit(
  trx: Transaction<Database>,
  entry: AuditEntry,
  now: number = Date.now(),
): Promise<AuditRecord> {
  const head = await trx
    .updateTable('audit_chain_head')
    .set({ seq: sql`seq + 1` })
    .where('id', '=', 1)
    .returning(['seq', 'hash'])
    .executeTakeFirstOrThrow();
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
  await trx
    .insertInto('audit_log')
    .values({ ...row, hash })
    .execute();
  await trx.updateTable('audit_chain_head').set({ hash }).where('id', '=', 1).execute();
  return { seq: row.seq, at: row.at, hash };
}

/**
 * `transaction()` for changes that will be audited: on PostgreSQL its first statement locks the chain head's table
 * (SHARE ROW EXCLUSIVE conflicts only with itself and writers; readers pass), before the serializable snapshot is
 * taken, so audited transactions run one after another instead of aborting each other. `fn` must not have run
 * a query yet, hence this wraps the whole transaction. Since they run one after another anyway, concurrent ones
 * share that transaction, each in its own savepoint (see `auditBatchesOf` below); on SQLite `transaction()` does
 * the same for every transaction.
 */
export function auditedTransaction<T>(
  db: Kysely<Database>,
  fn: (trx: Transaction<Database>) => Promise<T>,
  options?: TransactionOptions,
): Promise<T> {
  if (!(db instanceof Transaction) && db.getExecutor().adapter instanceof PostgresAdapter)
    return auditBatchesOf(db).run(fn, options?.maxAttempts ?? 6, options?.onRetry);
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
