/**
 * Opens the cloud's database: one Kysely<Database> whatever the engine, so every repository has one code path.
 * SQLite (the embedded default) runs through better-sqlite3 in WAL mode; PostgreSQL through a pg pool.
 * Conventions shared by both are in ./README.md.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  Kysely,
  SqliteAdapter,
  type SqliteDatabase,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
  type SqliteStatement,
} from 'kysely';
import pg from 'pg';
import { BackgroundCheckpointer } from './checkpointer.js';
import { pgTypeParsers, SafeIntegerPlugin } from './integers.js';
import { OwnSchemaPostgresDialect } from './introspector.js';
import type { Database } from './schema.js';
import { enableGroupCommit } from './transaction.js';

export type DialectName = 'sqlite' | 'postgres';

/**
 * NORMAL (with WAL) survives a crash or kill -9 of the process: committed transactions are in the WAL file. A power
 * cut or OS crash may lose the last transactions committed before it (the database itself stays consistent).
 * FULL also fsyncs the WAL on every commit, so it survives a power cut too, at the price of slower writes.
 */
export type SqliteSynchronous = 'NORMAL' | 'FULL';

export type DatabaseConfig =
  | {
      readonly dialect: 'sqlite';
      /** Absolute path of the database file; its folder is created if missing. */
      readonly path: string;
      readonly synchronous: SqliteSynchronous;
      /** How long a statement waits for another connection's write lock before failing with SQLITE_BUSY. */
      readonly busyTimeoutMs: number;
      /**
       * Concurrent `transaction()` calls share one COMMIT, each in its own savepoint (see group-commit.ts).
       * Default true; false gives every transaction its own BEGIN … COMMIT.
       */
      readonly groupCommit?: boolean;
      /**
       * Run WAL checkpoints in a worker thread every this many milliseconds instead of inside the COMMIT that
       * crosses the automatic threshold (see checkpointer.ts). Unset: SQLite's automatic checkpoints.
       */
      readonly backgroundCheckpointMs?: number;
    }
  | {
      readonly dialect: 'postgres';
      readonly url: string;
      readonly poolSize: number;
    };

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  /** Closes every connection. Safe to call more than once. */
  close(): Promise<void>;
}

/** Where idle-connection failures are reported (a pino logger fits). */
export interface DatabaseLogger {
  warn(details: object, message: string): void;
}

export function openDatabase(config: DatabaseConfig, logger?: DatabaseLogger): DatabaseHandle {
  const { db, checkpointer } =
    config.dialect === 'sqlite'
      ? openSqlite(config, logger)
      : { db: openPostgres(config, logger), checkpointer: undefined };
  let closing: Promise<void> | undefined;
  return {
    db,
    dialect: config.dialect,
    close: () => {
      closing ??= (async () => {
        await checkpointer?.stop();
        await db.destroy();
      })();
      return closing;
    },
  };
}

function openSqlite(
  config: Extract<DatabaseConfig, { dialect: 'sqlite' }>,
  logger?: DatabaseLogger,
): { db: Kysely<Database>; checkpointer: BackgroundCheckpointer | undefined } {
  mkdirSync(dirname(config.path), { recursive: true });
  const sqlite = new BetterSqlite3(config.path, { timeout: config.busyTimeoutMs });
  try {
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma(`synchronous = ${config.synchronous}`);
    sqlite.pragma('foreign_keys = ON');
    sqlite.defaultSafeIntegers(true);
    if (config.backgroundCheckpointMs !== undefined) sqlite.pragma('wal_autocheckpoint = 0');
  } catch (error) {
    sqlite.close();
    throw error;
  }
  const checkpointer =
    config.backgroundCheckpointMs === undefined
      ? undefined
      : new BackgroundCheckpointer(
          config.path,
          config.backgroundCheckpointMs,
          () => {
            if (sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`);
          },
          logger,
        );
  const db = new Kysely<Database>({
    dialect: new CloudSqliteDialect({ database: new StatementCache(sqlite, STATEMENT_CACHE_SIZE) }),
    plugins: [new SafeIntegerPlugin()],
  });
  if (config.groupCommit ?? true) enableGroupCommit(db, { maxBatch: GROUP_COMMIT_MAX_BATCH });
  return { db, checkpointer };
}

/** SQLite's own default, pages. */
const SQLITE_DEFAULT_AUTOCHECKPOINT = 1000;

/** Transactions per shared COMMIT at most: 64 sales hold the write lock for some tens of milliseconds. */
const GROUP_COMMIT_MAX_BATCH = 64;

function openPostgres(config: Extract<DatabaseConfig, { dialect: 'postgres' }>, logger?: DatabaseLogger) {
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.poolSize,
    types: pgTypeParsers,
    // A request must fail (and /healthz report 503) rather than hang when the server is unreachable.
    connectionTimeoutMillis: 5_000,
  });
  // An idle client losing its server emits 'error' on the pool; unhandled it would crash the process. The pool
  // drops that client and the next query opens a fresh connection.
  pool.on('error', (error) => logger?.warn({ err: error }, 'idle PostgreSQL connection failed'));
  return new Kysely<Database>({ dialect: new OwnSchemaPostgresDialect({ pool }) });
}

/** Distinct SQL texts kept prepared; a sale uses about 20, the whole API a few hundred. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * The better-sqlite3 database as Kysely's driver sees it, with prepared statements reused: the driver calls
 * `prepare(sql)` for every query, and compiling the SQL again each time cost about as much as running it. Kysely
 * binds every value as a parameter, so one query shape is one SQL text. Least recently used texts are dropped past
 * `capacity`. A statement still stepping through rows (`iterate`, used by Kysely's `stream()`) is `busy` and cannot
 * run again until it finishes, so that caller gets a fresh one.
 */
class StatementCache implements SqliteDatabase {
  readonly #statements = new Map<string, BetterSqlite3.Statement>();

  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    private readonly capacity: number,
  ) {}

  prepare(text: string): SqliteStatement {
    const cached = this.#statements.get(text);
    if (cached) {
      if (cached.busy) return this.sqlite.prepare(text);
      // Re-insert to mark it most recently used (Map keeps insertion order).
      this.#statements.delete(text);
      this.#statements.set(text, cached);
      return cached as SqliteStatement;
    }
    const statement = this.sqlite.prepare(text);
    this.#statements.set(text, statement);
    if (this.#statements.size > this.capacity) {
      const oldest = this.#statements.keys().next().value as string;
      this.#statements.delete(oldest);
    }
    return statement as SqliteStatement;
  }

  close(): void {
    this.#statements.clear();
    this.sqlite.close();
  }
}

/**
 * Kysely's SQLite dialect with two changes:
 * - transactions start with BEGIN IMMEDIATE, taking the write lock up front. A deferred transaction that reads and
 *   then writes can fail at its first write when another connection wrote meanwhile, with no chance to wait; an
 *   immediate one waits busy_timeout for the lock and then sees the latest data — serializable, like the
 *   SERIALIZABLE transactions we use on PostgreSQL.
 * - migrations run in one transaction, as on PostgreSQL: SQLite's DDL is transactional, Kysely is just cautious.
 */
class CloudSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateTransactionSqliteDriver(this.#config);
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

class ImmediateTransactionSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}
