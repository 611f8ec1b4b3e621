/**
 * Which cloud instance runs the periodic jobs (audit anchors, prunes, sweeps, expiries, scheduled backups): with
 * several instances on one PostgreSQL, exactly one at a time — the one holding a session-level advisory lock — and
 * another takes over within `retryMs` once the holder's connection is gone (a killed process's session ends, and
 * PostgreSQL releases its locks with it). On SQLite there is only ever one instance, so it leads from the start.
 *
 * The lock's key is derived from the schema, so two installations (or two tests) sharing a server but not a schema
 * never contend. The leader checks its connection every `retryMs`: if the check fails it steps down at once —
 * better no instance running the jobs for a moment than two.
 */
import pg from 'pg';
import type { DatabaseConfig } from './database.js';

export interface Leadership {
  /** True while this instance runs the periodic jobs. */
  readonly isLeader: boolean;
  /** Called with each change of `isLeader`; returns the unsubscribe. */
  onChange(listener: (leader: boolean) => void): () => void;
  start(): Promise<void>;
  /** Steps down (releasing the lock) and stops trying. */
  stop(): Promise<void>;
}

export interface LeadershipLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface LeadershipOptions {
  /** How often a follower tries the lock and the leader checks its connection. */
  readonly retryMs?: number;
}

const DEFAULT_RETRY_MS = 2_000;

/** The lock's namespace; the schema name is appended. */
const LOCK_NAME = 'scenic-gate:periodic-jobs:';

export function openLeadership(
  config: DatabaseConfig,
  logger: LeadershipLogger,
  options: LeadershipOptions = {},
): Leadership {
  return config.dialect === 'sqlite'
    ? new SoleLeadership()
    : new AdvisoryLockLeadership(config.url, logger, options.retryMs ?? DEFAULT_RETRY_MS);
}

class Listeners {
  readonly #listeners = new Set<(leader: boolean) => void>();
  add(listener: (leader: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  emit(leader: boolean): void {
    for (const listener of this.#listeners) listener(leader);
  }
}

/** One process on one database file: always the leader. */
class SoleLeadership implements Leadership {
  readonly #listeners = new Listeners();
  #leader = true;
  get isLeader(): boolean {
    return this.#leader;
  }
  onChange(listener: (leader: boolean) => void): () => void {
    return this.#listeners.add(listener);
  }
  async start(): Promise<void> {
    if (this.#leader) return;
    this.#leader = true;
    this.#listeners.emit(true);
  }
  async stop(): Promise<void> {
    if (!this.#leader) return;
    this.#leader = false;
    this.#listeners.emit(false);
  }
}

class AdvisoryLockLeadership implements Leadership {
  readonly #listeners = new Listeners();
  #leader = false;
  #client: pg.Client | undefined;
  #timer: NodeJS.Timeout | undefined;
  #round: Promise<void> = Promise.resolve();
  #stopped = true;

  constructor(
    private readonly url: string,
    private readonly logger: LeadershipLogger,
    private readonly retryMs: number,
  ) {}

  get isLeader(): boolean {
    return this.#leader;
  }

  onChange(listener: (leader: boolean) => void): () => void {
    return this.#listeners.add(listener);
  }

  /** Tries once at once (so a single instance leads before it serves), then every `retryMs`. */
  async start(): Promise<void> {
    if (!this.#stopped) return;
    this.#stopped = false;
    await this.#tick();
    this.#timer = setInterval(() => void this.#tick(), this.retryMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#round;
    // Ending the session releases the lock; a follower takes it on its next try.
    await this.#drop();
  }

  #tick(): Promise<void> {
    this.#round = this.#round.then(() => (this.#stopped ? undefined : this.#attempt()));
    return this.#round;
  }

  async #attempt(): Promise<void> {
    try {
      const client = await this.#connection();
      if (this.#leader) {
        await client.query('select 1');
        return;
      }
      const { rows } = await client.query<{ locked: boolean }>(
        'select pg_try_advisory_lock(hashtext($1 || current_schema())) as locked',
        [LOCK_NAME],
      );
      if (rows[0]?.locked) this.#set(true);
    } catch (error) {
      if (this.#leader) this.logger.warn({ err: error }, 'lost the database session: no longer leading');
      await this.#drop();
    }
  }

  async #connection(): Promise<pg.Client> {
    if (this.#client) return this.#client;
    const client = new pg.Client({
      connectionString: this.url,
      connectionTimeoutMillis: Math.max(1_000, this.retryMs),
      // A check that hangs (a cut network) counts as failed: the leader steps down rather than lead blind.
      query_timeout: Math.max(1_000, this.retryMs),
      keepAlive: true,
    });
    // A broken session must not crash the process: it ends the leadership, and the next tick reconnects.
    client.on('error', (error) => {
      if (this.#client !== client) return;
      this.logger.warn({ err: error }, 'leadership session failed');
      this.#client = undefined;
      this.#set(false);
    });
    await client.connect();
    this.#client = client;
    return client;
  }

  async #drop(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    this.#set(false);
    await client?.end().catch(() => {});
  }

  #set(leader: boolean): void {
    if (this.#leader === leader) return;
    this.#leader = leader;
    this.logger.info(
      { leader },
      leader ? 'leading the periodic jobs' : 'no longer leading the periodic jobs',
    );
    this.#listeners.emit(leader);
  }
}
