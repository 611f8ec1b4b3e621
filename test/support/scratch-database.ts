/**
 * Fresh, private, empty databases for tests and benchmarks, one per call so test files can run in parallel:
 * - SQLite: a file path in a new temp folder (the file itself is left to whoever opens it), the folder removed
 *   afterwards;
 * - PostgreSQL (when TEST_DATABASE_URL is set, see services.ts): a new schema `t_<random>` in that database, made
 *   the search_path of every connection opened with the returned URL, dropped afterwards.
 * What goes in them (opening, migrating) is up to the caller: the cloud's tests migrate them with the cloud's own
 * code (cloud/src/db/testing.ts), the fleet hands one to a cloud process that migrates it at start.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { serviceUrl } from './services.js';

export type ScratchDatabase = ScratchSqlite | ScratchPostgres;

/**
 * Names one test run (set by its global setup, `scratch-run.ts`): PostgreSQL schemas made for the run are named
 * `t<run>_…`, may be kept and reused between the tests of a process, and are dropped together when the run ends.
 */
export const TEST_RUN_ENV = 'SCENIC_TEST_RUN';

/** Drops every schema of the given run (see TEST_RUN_ENV) on the server at `serverUrl`. */
export async function dropRunSchemas(serverUrl: string, run: string): Promise<number> {
  if (!/^[a-z0-9]{1,16}$/.test(run)) throw new Error(`not a test run name: ${run}`);
  return withAdmin(serverUrl, async (admin) => {
    const { rows } = await admin.query<{ name: string }>(
      'select nspname as name from pg_namespace where starts_with(nspname, $1)',
      [`t${run}_`],
    );
    for (const { name } of rows)
      await admin.query(`drop schema if exists ${admin.escapeIdentifier(name)} cascade`);
    return rows.length;
  });
}

export interface ScratchSqlite {
  readonly dialect: 'sqlite';
  /** `sqlite:<path>`, the form a DATABASE_URL takes. */
  readonly url: string;
  readonly path: string;
  /** Removes the folder and the file in it; close any connection first. */
  dispose(): Promise<void>;
}

export interface ScratchPostgres {
  readonly dialect: 'postgres';
  /** The server's URL with the schema as search_path (libpq `options`): every pooled connection lands in it. */
  readonly url: string;
  readonly schema: string;
  /** Drops the schema and all in it; close the pool first. */
  dispose(): Promise<void>;
}

export interface ScratchDatabaseKind {
  readonly name: ScratchDatabase['dialect'];
  create(): Promise<ScratchDatabase>;
}

/** SQLite always, PostgreSQL too when TEST_DATABASE_URL is set (in CI, where it must be, see services.ts). */
export function scratchDatabaseKinds(): ScratchDatabaseKind[] {
  const kinds: ScratchDatabaseKind[] = [{ name: 'sqlite', create: async () => scratchSqlite() }];
  const postgresUrl = serviceUrl('TEST_DATABASE_URL');
  if (postgresUrl) kinds.push({ name: 'postgres', create: () => scratchPostgres(postgresUrl) });
  return kinds;
}

export function scratchSqlite(): ScratchSqlite {
  const folder = mkdtempSync(join(tmpdir(), 'scenic-test-db-'));
  const path = join(folder, 'test.db');
  return {
    dialect: 'sqlite',
    url: `sqlite:${path}`,
    path,
    dispose: async () => rmSync(folder, { recursive: true, force: true }),
  };
}

/**
 * A new schema on the PostgreSQL server at `serverUrl`, named `<prefix><random>` (a prefix lets whoever made a set
 * of them drop them together, see cloud/src/db/testing.ts).
 */
export async function scratchPostgres(serverUrl: string, prefix = 't_'): Promise<ScratchPostgres> {
  if (!/^[a-z][a-z0-9_]{0,30}$/.test(prefix)) throw new Error(`not a schema name prefix: ${prefix}`);
  const schema = `${prefix}${randomBytes(6).toString('hex')}`;
  await withAdmin(serverUrl, (admin) => admin.query(`create schema ${schema}`));
  const url = new URL(serverUrl);
  // libpq's `options` startup parameter: applies to every connection the pool opens, before any query.
  // Parallel query workers resolve the search_path themselves and, under load, have failed with 3F000 (schema does
  // not exist) for these per-test schemas; test databases are small, so plain serial plans lose nothing.
  // A commit need not wait for its WAL to reach the disk: a scratch database never outlives a server crash, and
  // the wait was a large part of a test's time on PostgreSQL.
  url.searchParams.set(
    'options',
    `-c search_path=${schema} -c max_parallel_workers_per_gather=0 -c synchronous_commit=off`,
  );
  return {
    dialect: 'postgres',
    url: url.toString(),
    schema,
    dispose: async () => {
      await withAdmin(serverUrl, (admin) => admin.query(`drop schema if exists ${schema} cascade`));
    },
  };
}

async function withAdmin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
