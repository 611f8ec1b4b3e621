/**
 * Group commit for SQLite. In one process every SQLite transaction queues on the single connection anyway, and a
 * COMMIT costs a WAL append (and with synchronous=FULL an fsync) whatever the transaction's size. So transactions
 * requested together run one after another inside ONE SQLite transaction, each in its own SAVEPOINT, and one COMMIT
 * makes them all durable:
 *
 * - a transaction whose function throws is rolled back to its savepoint alone; the others go on;
 * - nobody hears back — result or error — before the COMMIT has returned, so an acknowledged change is as durable
 *   as with one COMMIT each (kill -9 under NORMAL, power cut under FULL), and no caller acts on a refusal that was
 *   based on work which then failed to commit;
 * - each function sees the writes of those before it in the batch, exactly as if they had committed one by one in
 *   that order, so the batch is serializable like separate BEGIN IMMEDIATE transactions;
 * - a retryable failure (SQLITE_BUSY: another process holds the write lock) re-queues the transactions it hit,
 *   counting one attempt each, with the same backoff, `maxAttempts` and `onRetry` as `transaction()`. A failed
 *   COMMIT fails every member (or re-queues them when retryable): none of them took effect.
 *
 * A batch is whatever was queued when the event loop gets round to it: the first request schedules the batch with
 * setImmediate, so every request read from the sockets in the same poll phase joins it. Under no load a transaction
 * waits for one turn of the event loop; under load, one COMMIT serves dozens of sales.
 */
import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import { isRetryableTransactionError } from './errors.js';
import type { Database } from './schema.js';

export interface GroupCommitOptions {
  /** Upper bound on transactions per COMMIT, so one batch does not hold the write lock for long. */
  readonly maxBatch: number;
  /** For PostgreSQL; SQLite's BEGIN IMMEDIATE is serializable whatever is asked. */
  readonly isolation?: 'serializable';
  /** Runs first in every batch transaction (e.g. to take a lock all members need). */
  readonly onBegin?: (trx: Transaction<Database>) => Promise<void>;
}

// Every member runs between these: compiled once instead of building a raw query per member.
const SAVEPOINT = CompiledQuery.raw('savepoint group_member');
const RELEASE = CompiledQuery.raw('release group_member');
const ROLLBACK_TO = CompiledQuery.raw('rollback to group_member');

interface Job {
  readonly fn: (trx: Transaction<Database>) => Promise<unknown>;
  readonly maxAttempts: number;
  readonly onRetry: ((attempt: number, error: unknown) => void) | undefined;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  attempt: number;
}

type Settled =
  | { readonly job: Job; readonly ok: true; readonly value: unknown }
  | { readonly job: Job; readonly ok: false; readonly error: unknown };

export class GroupCommitter {
  readonly #db: Kysely<Database>;
  readonly #options: GroupCommitOptions;
  #queue: Job[] = [];
  #scheduled = false;
  #running = false;

  constructor(db: Kysely<Database>, options: GroupCommitOptions) {
    this.#db = db;
    this.#options = options;
  }

  run<T>(
    fn: (trx: Transaction<Database>) => Promise<T>,
    maxAttempts: number,
    onRetry: ((attempt: number, error: unknown) => void) | undefined,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({
        fn,
        maxAttempts,
        onRetry,
        resolve: resolve as (value: unknown) => void,
        reject,
        attempt: 1,
      });
      this.#schedule(0);
    });
  }

  #schedule(delayMs: number): void {
    if (this.#scheduled || this.#running) return;
    this.#scheduled = true;
    const start = () => {
      this.#scheduled = false;
      void this.#drain();
    };
    if (delayMs > 0) setTimeout(start, delayMs);
    else setImmediate(start);
  }

  async #drain(): Promise<void> {
    this.#running = true;
    let retryAfterMs = 0;
    try {
      const batch = this.#queue.splice(0, this.#options.maxBatch);
      if (batch.length > 0) retryAfterMs = await this.#runBatch(batch);
    } finally {
      this.#running = false;
    }
    if (this.#queue.length > 0) this.#schedule(retryAfterMs);
  }

  /** Runs one batch to its COMMIT and settles its jobs; returns the backoff before the next batch (0: none). */
  async #runBatch(batch: Job[]): Promise<number> {
    let trx: Awaited<ReturnType<ReturnType<Kysely<Database>['startTransaction']>['execute']>>;
    try {
      const begin = this.#db.startTransaction();
      trx = await (this.#options.isolation
        ? begin.setIsolationLevel(this.#options.isolation)
        : begin
      ).execute();
    } catch (error) {
      return this.#failAll(batch, error);
    }
    try {
      await this.#options.onBegin?.(trx);
    } catch (error) {
      await trx
        .rollback()
        .execute()
        .catch(() => undefined);
      return this.#failAll(batch, error);
    }
    const settled: Settled[] = [];
    const requeue: Job[] = [];
    let broken: unknown;
    for (const [index, job] of batch.entries()) {
      await trx.executeQuery(SAVEPOINT);
      try {
        const value = await job.fn(trx);
        await trx.executeQuery(RELEASE);
        settled.push({ job, ok: true, value });
      } catch (error) {
        try {
          await trx.executeQuery(ROLLBACK_TO);
          await trx.executeQuery(RELEASE);
        } catch (rollbackError) {
          // SQLite itself rolled the whole transaction back (e.g. disk full): nothing of this batch will commit.
          broken = rollbackError;
        }
        if (broken === undefined && isRetryableTransactionError(error) && job.attempt < job.maxAttempts) {
          job.onRetry?.(job.attempt, error);
          job.attempt++;
          requeue.push(job);
        } else {
          settled.push({ job, ok: false, error });
        }
        if (broken !== undefined) {
          // Members that had succeeded never took effect: they run again in a later batch (their functions only
          // touch the database, as `transaction()` requires). Those not started yet simply wait.
          for (const done of settled) if (done.ok) requeue.push(done.job);
          const failed = settled.filter((done) => !done.ok);
          this.#queue.unshift(...requeue, ...batch.slice(index + 1));
          await trx
            .rollback()
            .execute()
            .catch(() => undefined);
          for (const done of failed) if (!done.ok) done.job.reject(done.error);
          return 0;
        }
      }
    }
    try {
      await trx.commit().execute();
    } catch (error) {
      await trx
        .rollback()
        .execute()
        .catch(() => undefined);
      // Refusals stay refusals (they wrote nothing); successes did not take effect.
      for (const done of settled) if (!done.ok) done.job.reject(done.error);
      return this.#failAll(
        settled.filter((done) => done.ok).map((done) => done.job),
        error,
        requeue,
      );
    }
    this.#queue.unshift(...requeue);
    for (const done of settled) {
      if (done.ok) done.job.resolve(done.value);
      else done.job.reject(done.error);
    }
    return requeue.length > 0 ? backoffMs(Math.max(...requeue.map((job) => job.attempt - 1))) : 0;
  }

  /** The whole batch failed with `error`: retry what may be retried, reject the rest. Returns the backoff. */
  #failAll(jobs: readonly Job[], error: unknown, alsoRequeue: readonly Job[] = []): number {
    const again: Job[] = [...alsoRequeue];
    for (const job of jobs) {
      if (isRetryableTransactionError(error) && job.attempt < job.maxAttempts) {
        job.onRetry?.(job.attempt, error);
        job.attempt++;
        again.push(job);
      } else {
        job.reject(error);
      }
    }
    this.#queue.unshift(...again);
    return again.length > 0 ? backoffMs(Math.max(...again.map((job) => job.attempt - 1))) : 0;
  }
}

/** 10, 20, 40 … ms capped at 500, each scaled by a random 0.5–1.5 (as `transaction()` backs off). */
export function backoffMs(attempt: number): number {
  return Math.min(500, 10 * 2 ** (attempt - 1)) * (0.5 + Math.random());
}
