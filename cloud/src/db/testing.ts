/**
 * Databases for tests, one fresh and private database per call so test files can run in parallel:
 * - SQLite: a new file in a new temp folder, removed afterwards;
 * - PostgreSQL (when TEST_DATABASE_URL is set, see test/support/services.ts): a new schema `t_<random>` in that
 *   database, made the search_path of every pooled connection, dropped afterwards.
 *
 *   describe.each(databaseBackends())('on $name', (backend) => {
 *     let test: TestDatabase;
 *     beforeEach(async () => { test = await backend.create(); });
 *     afterEach(() => test.dispose());
 *     …
 *   });
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { serviceUrl } from '../../../test/support/services.js';
import { type DatabaseConfig, type DatabaseHandle, type DialectName, openDatabase } from './database.js';
import { migrateToLatest } from './migrate.js';

export interface TestDatabase {
  /** A DATABASE_URL that reaches this database (e.g. to start the cloud against it). */
  readonly url: string;
  readonly config: DatabaseConfig;
  /** Open and, unless created with `migrate: false`, migrated. */
  readonly database: DatabaseHandle;
  /** Closes the handle and deletes the database. */
  dispose(): Promise<void>;
}

export interface DatabaseBackend {
  readonly name: DialectName;
  create(options?: { readonly migrate?: boolean }): Promise<TestDatabase>;
}

export function databaseBackends(): DatabaseBackend[] {
  const backends: DatabaseBackend[] = [{ name: 'sqlite', create: createSqlite }];
  const postgresUrl = serviceUrl('TEST_DATABASE_URL');
  if (postgresUrl)
    backends.push({ name: 'postgres', create: (options) => createPostgres(postgresUrl, options) });
  return backends;
}

async function createSqlite(options?: { readonly migrate?: boolean }): Promise<TestDatabase> {
  const folder = mkdtempSync(join(tmpdir(), 'scenic-test-db-'));
  const path = join(folder, 'test.db');
  const config: DatabaseConfig = { dialect: 'sqlite', path, synchronous: 'NORMAL', busyTimeoutMs: 5_000 };
  return prepare(`sqlite:${path}`, config, options, async () =>
    rmSync(folder, { recursive: true, force: true }),
  );
}

async function createPostgres(
  baseUrl: string,
  options?: { readonly migrate?: boolean },
): Promise<TestDatabase> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  await withAdmin(baseUrl, (admin) => admin.query(`create schema ${schema}`));
  const url = new URL(baseUrl);
  // libpq's `options` startup parameter: applies to every connection the pool opens, before any query.
  // Parallel query workers resolve the search_path themselves and, under load, have failed with 3F000 (schema does
  // not exist) for these per-test schemas; test databases are small, so plain serial plans lose nothing.
  url.searchParams.set('options', `-c search_path=${schema} -c max_parallel_workers_per_gather=0`);
  const config: DatabaseConfig = { dialect: 'postgres', url: url.toString(), poolSize: 5 };
  return prepare(url.toString(), config, options, () =>
    withAdmin(baseUrl, (admin) => admin.query(`drop schema if exists ${schema} cascade`)),
  );
}

async function prepare(
  url: string,
  config: DatabaseConfig,
  options: { readonly migrate?: boolean } | undefined,
  remove: () => Promise<unknown>,
): Promise<TestDatabase> {
  const database = openDatabase(config);
  const dispose = async () => {
    await database.close();
    await remove();
  };
  try {
    if (options?.migrate ?? true) await migrateToLatest(database);
  } catch (error) {
    await dispose();
    throw error;
  }
  return { url, config, database, dispose };
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
