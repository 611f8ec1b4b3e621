/**
 * A fresh, private database for one cloud process of the fleet's test or benchmark, made by the cloud's own test
 * helper (cloud/src/db/testing.ts): a new SQLite file, or, when TEST_DATABASE_URL is set, a new schema on that
 * PostgreSQL server. Left unmigrated: the cloud migrates it at start, as it does in production.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type DatabaseBackend, databaseBackends, type TestDatabase } from '../../../cloud/src/db/testing.js';
import { PostgresStoredEvents } from './postgres-stored-events.js';
import { SqliteStoredEvents } from './sqlite-stored-events.js';
import type { StoredEvents } from './stored-events.js';

export type FleetBackend = DatabaseBackend['name'];

export interface FleetDatabase {
  readonly backend: FleetBackend;
  /** The cloud's DATABASE_URL. */
  readonly url: string;
  /** A reader of what the cloud stored there; the caller closes it. */
  openStoredEvents(): Promise<StoredEvents>;
  /** Process ids of the database server processes serving the cloud right now: none for SQLite (in the cloud). */
  serverPids(): Promise<number[]>;
  /** Deletes the database; the cloud must be stopped first. */
  dispose(): Promise<void>;
}

/** SQLite always, PostgreSQL too when TEST_DATABASE_URL is set. */
export function fleetBackends(): FleetBackend[] {
  return databaseBackends().map((b) => b.name);
}

export async function createFleetDatabase(backend: FleetBackend): Promise<FleetDatabase> {
  const found = databaseBackends().find((b) => b.name === backend);
  if (!found) throw new Error(`no ${backend} database for the fleet: set TEST_DATABASE_URL`);
  const test = await found.create({ migrate: false });
  return test.config.dialect === 'sqlite' ? sqlite(test, test.config.path) : postgres(test);
}

async function sqlite(test: TestDatabase, file: string): Promise<FleetDatabase> {
  // The helper's own connection is not needed: the cloud is to be the file's only writer, as in production, and
  // the fleet reads through a read-only connection of its own.
  await test.database.close();
  return {
    backend: 'sqlite',
    url: test.url,
    openStoredEvents: async () => new SqliteStoredEvents(file),
    serverPids: async () => [],
    dispose: () => test.dispose(),
  };
}

function postgres(test: TestDatabase): FleetDatabase {
  // The cloud's connections carry a name of their own, so the server processes serving them can be told apart
  // from the fleet's reader and from anything else on a shared server (their CPU is part of the cloud's cost).
  const applicationName = `fleet-cloud-${randomBytes(4).toString('hex')}`;
  const url = new URL(test.url);
  url.searchParams.set('application_name', applicationName);
  return {
    backend: 'postgres',
    url: url.toString(),
    openStoredEvents: () => PostgresStoredEvents.open(test.url),
    serverPids: () => backendPids(test.url, applicationName),
    dispose: () => test.dispose(),
  };
}

/** The server processes (one per connection) of the connections named `applicationName`, from pg_stat_activity. */
async function backendPids(url: string, applicationName: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE application_name = $1',
      [applicationName],
    );
    return rows.map((r) => r.pid);
  } finally {
    await client.end();
  }
}
