/**
 * A fresh, private database for one cloud process of the fleet's test or benchmark, a scratch database from the test
 * kit (@scenic/testkit/scratch-database): a new SQLite file, or, when TEST_DATABASE_URL is set, a new schema on that
 * PostgreSQL server. Left empty: the cloud migrates it at start, as it does in production.
 */
import { randomBytes } from 'node:crypto';
import {
  type ScratchDatabase,
  type ScratchPostgres,
  type ScratchSqlite,
  scratchDatabaseKinds,
} from '@scenic/testkit/scratch-database';
import pg from 'pg';
import { PostgresStoredEvents } from '../postgres-stored-events.js';
import { SqliteStoredEvents } from '../sqlite-stored-events.js';
import type { StoredEvents } from '../stored-events.js';

export type FleetBackend = ScratchDatabase['dialect'];

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
  return scratchDatabaseKinds().map((kind) => kind.name);
}

export async function createFleetDatabase(backend: FleetBackend): Promise<FleetDatabase> {
  const found = scratchDatabaseKinds().find((kind) => kind.name === backend);
  if (!found) throw new Error(`no ${backend} database for the fleet: set TEST_DATABASE_URL`);
  const scratch = await found.create();
  return scratch.dialect === 'sqlite' ? sqlite(scratch) : postgres(scratch);
}

function sqlite(scratch: ScratchSqlite): FleetDatabase {
  // The cloud is to be the file's only writer, as in production; the fleet reads through a read-only connection of
  // its own.
  return {
    backend: 'sqlite',
    url: scratch.url,
    openStoredEvents: async () => new SqliteStoredEvents(scratch.path),
    serverPids: async () => [],
    dispose: () => scratch.dispose(),
  };
}

function postgres(scratch: ScratchPostgres): FleetDatabase {
  // The cloud's connections carry a name of their own, so the server processes serving them can be told apart
  // from the fleet's reader and from anything else on a shared server (their CPU is part of the cloud's cost).
  const applicationName = `fleet-cloud-${randomBytes(4).toString('hex')}`;
  const url = new URL(scratch.url);
  url.searchParams.set('application_name', applicationName);
  return {
    backend: 'postgres',
    url: url.toString(),
    openStoredEvents: () => PostgresStoredEvents.open(scratch.url),
    serverPids: () => backendPids(scratch.url, applicationName),
    dispose: () => scratch.dispose(),
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
