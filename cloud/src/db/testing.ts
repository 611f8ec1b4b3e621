/**
 * Databases for the cloud's tests, one fresh and private database per call so test files can run in parallel: a
 * scratch database from the test kit (@scenic/testkit/scratch-database: a new SQLite file, or a new PostgreSQL
 * schema when TEST_DATABASE_URL is set), opened with the cloud's own code and migrated, deleted afterwards.
 *
 *   describe.each(databaseBackends())('on $name', (backend) => {
 *     let test: TestDatabase;
 *     beforeEach(async () => { test = await backend.create(); });
 *     afterEach(() => test.dispose());
 *     …
 *   });
 */
import { type ScratchDatabase, scratchDatabaseKinds } from '@scenic/testkit/scratch-database';
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
  return scratchDatabaseKinds().map((kind) => ({
    name: kind.name,
    create: async (options) => prepare(await kind.create(), options),
  }));
}

function configOf(scratch: ScratchDatabase): DatabaseConfig {
  return scratch.dialect === 'sqlite'
    ? { dialect: 'sqlite', path: scratch.path, synchronous: 'NORMAL', busyTimeoutMs: 5_000 }
    : { dialect: 'postgres', url: scratch.url, poolSize: 5 };
}

async function prepare(
  scratch: ScratchDatabase,
  options: { readonly migrate?: boolean } | undefined,
): Promise<TestDatabase> {
  const config = configOf(scratch);
  const database = openDatabase(config);
  const dispose = async () => {
    await database.close();
    await scratch.dispose();
  };
  try {
    if (options?.migrate ?? true) await migrateToLatest(database);
  } catch (error) {
    await dispose();
    throw error;
  }
  return { url: scratch.url, config, database, dispose };
}
