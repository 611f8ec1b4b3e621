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

/** A new schema on the PostgreSQL server at `serverUrl`. */
export async function scratchPostgres(serverUrl: string): Promise<ScratchPostgres> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  await withAdmin(serverUrl, (admin) => admin.query(`create schema ${schema}`));
  const url = new URL(serverUrl);
  // libpq's `options` startup parameter: applies to every connection the pool opens, before any query.
  // Parallel query workers resolve the search_path themselves and, under load, have failed with 3F000 (schema does
  // not exist) for these per-test schemas; test databases are small, so plain serial plans lose nothing.
  url.searchParams.set('options', `-c search_path=${schema} -c max_parallel_workers_per_gather=0`);
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
