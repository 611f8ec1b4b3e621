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
 *
 * Most tests want a fresh database each, and running the migrations for each one was most of the suite's time on
 * PostgreSQL (well over a second per database there, against a fifth of that on SQLite). So each test process
 * migrates once per engine, through the same `migrateToLatest`, and then copies the result: SQLite copies the
 * migrated file; PostgreSQL replays the statements that migration ran, recorded as it ran them, in one round trip.
 */
import { copyFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  type ScratchDatabase,
  type ScratchPostgres,
  scratchDatabaseKinds,
  scratchPostgres,
  TEST_RUN_ENV,
} from '@scenic/testkit/scratch-database';
import { serviceUrl } from '@scenic/testkit/services';
import {
  type CompiledQuery,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  PostgresQueryCompiler,
  type QueryResult,
  type RootOperationNode,
  sql,
  type UnknownRow,
} from 'kysely';
import pg from 'pg';
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
    create: async (options) => {
      const run = process.env[TEST_RUN_ENV];
      const serverUrl = serviceUrl('TEST_DATABASE_URL');
      if (kind.name === 'postgres' && run && serverUrl && (options?.migrate ?? true))
        return pooledPostgres(serverUrl, run);
      return prepare(await kind.create(), options);
    },
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
  const migrate = options?.migrate ?? true;
  try {
    // Filled before it is opened: the copy of a migrated database.
    if (migrate) await fillMigrated(scratch);
  } catch (error) {
    await scratch.dispose();
    throw error;
  }
  const config = configOf(scratch);
  const database = await openedDatabase(config);
  const dispose = async () => {
    await database.close();
    await scratch.dispose();
  };
  return { url: scratch.url, config, database, dispose };
}

/**
 * Opened and connected: Kysely connects on the first query, and a database a test closes before any query would
 * otherwise connect again on the next one instead of staying closed.
 */
async function openedDatabase(config: DatabaseConfig): Promise<DatabaseHandle> {
  const database = openDatabase(config);
  try {
    await sql`select 1`.execute(database.db);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

/** Per process and engine: the migrated SQLite file, or the migration's statements for PostgreSQL. */
interface ProcessTemplates {
  sqlite?: Promise<string>;
  postgres?: Promise<PostgresTemplate>;
  /** Emptied PostgreSQL schemas, ready for the next test (see pooledPostgres). */
  readonly free: ScratchPostgres[];
  emptying?: Promise<EmptyingPlan>;
}
// vitest evaluates this module afresh for every test file (each file is isolated), while the templates and the kept
// schemas are worth keeping for the test process's whole life: they live on its global object.
const PROCESS_KEY = Symbol.for('scenic.cloud.testDatabases');
const processGlobal = globalThis as Record<symbol, ProcessTemplates | undefined>;
processGlobal[PROCESS_KEY] ??= { free: [] };
const processTemplates = processGlobal[PROCESS_KEY];

async function fillMigrated(scratch: ScratchDatabase): Promise<void> {
  if (scratch.dialect === 'sqlite') {
    processTemplates.sqlite ??= migratedSqliteFile();
    copyFileSync(await processTemplates.sqlite, scratch.path);
    return;
  }
  processTemplates.postgres ??= recordedPostgresMigration();
  const template = await processTemplates.postgres;
  await withClient(scratch.url, (client) => client.query(template.script(scratch.schema)));
}

/** A SQLite file migrated to the latest version and closed (its WAL folded in), kept for the process's life. */
async function migratedSqliteFile(): Promise<string> {
  const scratch = scratchDatabaseKinds()[0]?.create;
  if (!scratch) throw new Error('no SQLite scratch database');
  const template = await scratch();
  if (template.dialect !== 'sqlite') throw new Error('the first scratch database kind is not SQLite');
  const database = openDatabase(configOf(template));
  try {
    await migrateToLatest(database);
  } finally {
    await database.close();
  }
  // Removed when the process ends (an exit handler may only do synchronous work, which removing a folder is).
  process.once('exit', () => rmSync(dirname(template.path), { recursive: true, force: true }));
  return template.path;
}

interface PostgresTemplate {
  /** The whole migration as one multi-statement text for the given (new, empty) schema. */
  script(schema: string): string;
}

/**
 * Migrates a scratch schema once with every compiled statement recorded, then drops it. The statements name the
 * schema only where Kysely's migration bookkeeping does (its tables' schema); that name is replaced for each copy.
 * Values bound as parameters (the bookkeeping's rows) are written into the text as literals, since a
 * multi-statement text cannot carry parameters.
 */
async function recordedPostgresMigration(): Promise<PostgresTemplate> {
  const kind = scratchDatabaseKinds().find((k) => k.name === 'postgres');
  if (!kind) throw new Error('no PostgreSQL scratch database kind (TEST_DATABASE_URL is not set)');
  const scratch = await kind.create();
  if (scratch.dialect !== 'postgres') throw new Error('not a PostgreSQL scratch database');
  const recorded: CompiledQuery[] = [];
  const database = openDatabase(configOf(scratch));
  try {
    await migrateToLatest({ ...database, db: database.db.withPlugin(new RecordingPlugin(recorded)) });
  } finally {
    await database.close();
    await scratch.dispose();
  }
  const statements = recorded.map(inlineParameters);
  const marker = scratch.schema;
  return {
    script: (schema) => `${statements.map((text) => text.split(marker).join(schema)).join(';\n')};`,
  };
}

class RecordingPlugin implements KyselyPlugin {
  readonly #compiler = new PostgresQueryCompiler();
  constructor(private readonly recorded: CompiledQuery[]) {}

  transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
    this.recorded.push(this.#compiler.compileQuery(node, queryId));
    return node;
  }

  async transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return result;
  }
}

function inlineParameters({ sql, parameters }: CompiledQuery): string {
  if (parameters.length === 0) return sql;
  return sql.replace(/\$(\d+)\b/g, (token, index: string) => {
    const value = parameters[Number(index) - 1];
    if (value === undefined) return token;
    return literal(value);
  });
}

function literal(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return `'${value.toISOString()}'`;
  if (typeof value === 'string') return `'${value.replaceAll("'", "''")}'`;
  throw new Error(`a migration bound a value the recorder cannot write as a literal: ${typeof value}`);
}

/**
 * PostgreSQL within a test run (`npm test`'s global setup names the run): a schema a test is done with is emptied
 * and kept for the process's next test instead of dropped. Dropping one and creating the next cost about two
 * seconds of the server's time; emptying it (every table's rows, the sequences back to 1) about a tenth of that.
 * A schema a test changed the shape of (a table, trigger or function more or less than migration makes) is
 * dropped instead. The run's global teardown drops what is left (`t<run>_…`).
 */

interface EmptyingPlan {
  /** Empties the schema its connection is in, then answers its shape (one row: the fingerprint). */
  readonly script: string;
  /** The shape of a schema just migrated. */
  readonly fingerprint: string;
}

async function pooledPostgres(serverUrl: string, run: string): Promise<TestDatabase> {
  let scratch = processTemplates.free.pop();
  if (!scratch) {
    const created = await scratchPostgres(serverUrl, `t${run}_`);
    try {
      await fillMigrated(created);
      // Planned on a schema no test has touched yet, so the fingerprint is migration's own.
      processTemplates.emptying ??= withClient(created.url, emptyingPlan);
      await processTemplates.emptying;
    } catch (error) {
      processTemplates.emptying = undefined;
      await created.dispose();
      throw error;
    }
    scratch = created;
  }
  const kept = scratch;
  const config = configOf(kept);
  const database = await openedDatabase(config);
  const dispose = async () => {
    await database.close();
    if (await emptied(kept)) processTemplates.free.push(kept);
    else await kept.dispose();
  };
  return { url: kept.url, config, database, dispose };
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Empties the schema for the next test; false when it cannot be reused (its shape changed, or emptying failed). */
async function emptied(scratch: ScratchPostgres): Promise<boolean> {
  try {
    const plan = await (processTemplates.emptying ?? Promise.reject(new Error('no plan')));
    return await withClient(scratch.url, async (client) => {
      const results = (await client.query(plan.script)) as unknown as pg.QueryResult[];
      return results.at(-1)?.rows[0]?.fingerprint === plan.fingerprint;
    });
  } catch {
    return false;
  }
}

const FINGERPRINT = `select concat_ws(' ',
  (select count(*) from pg_class where relnamespace = current_schema()::regnamespace),
  (select count(*) from pg_trigger t join pg_class c on c.oid = t.tgrelid
     where c.relnamespace = current_schema()::regnamespace),
  (select count(*) from pg_proc where pronamespace = current_schema()::regnamespace),
  (select count(*) from pg_type where typnamespace = current_schema()::regnamespace)) as fingerprint`;

/**
 * From a freshly migrated schema: its tables but Kysely's bookkeeping, the rows migration itself wrote (put back
 * after emptying), its sequences where migration left them, its shape.
 */
async function emptyingPlan(client: pg.Client): Promise<EmptyingPlan> {
  const tables = await client.query<{ name: string }>(
    "select tablename as name from pg_tables where schemaname = current_schema() and tablename not like 'kysely\\_%'",
  );
  const sequences = await client.query<{ name: string; last: string | null }>(
    'select sequencename as name, last_value::text as last from pg_sequences where schemaname = current_schema()',
  );
  const superuser = await client.query<{ yes: boolean }>(
    'select rolsuper as yes from pg_roles where rolname = current_user',
  );
  const shape = await client.query<{ fingerprint: string }>(FINGERPRINT);
  const names = tables.rows.map((row) => client.escapeIdentifier(row.name));
  const seeds: string[] = [];
  for (const name of names) {
    const { rows } = await client.query<{ rows: string | null }>(
      `select json_agg(t)::text as rows from ${name} t`,
    );
    const json = rows[0]?.rows;
    if (json)
      seeds.push(
        `insert into ${name} select * from json_populate_recordset(null::${name}, ${client.escapeLiteral(json)})`,
      );
  }
  // Deleting rows touches no files, where TRUNCATE makes new ones for every table and index (about as slow as
  // creating the schema). Foreign keys are triggers, which a superuser may switch off for the session.
  const empty = superuser.rows[0]?.yes
    ? [
        'set session_replication_role = replica',
        ...names.map((name) => `delete from ${name}`),
        ...seeds,
        'set session_replication_role = default',
      ]
    : [`truncate ${names.join(', ')}`, ...seeds];
  const restart = sequences.rows.map((row) => {
    const sequence = client.escapeLiteral(client.escapeIdentifier(row.name));
    return row.last === null
      ? `select setval(${sequence}, 1, false)`
      : `select setval(${sequence}, ${row.last}, true)`;
  });
  return {
    script: [...empty, ...restart, FINGERPRINT].join(';\n'),
    fingerprint: shape.rows[0]?.fingerprint ?? '',
  };
}
