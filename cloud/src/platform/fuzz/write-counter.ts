/**
 * Detects any committed write to a test database: a row-level trigger on every table counts inserted, updated and
 * deleted rows per table in `zz_write_counts`. Reading that one small table is the snapshot, so a test can check
 * "nothing was written" around every request cheaply, and it sees what row counts alone would miss (an UPDATE, a
 * delete plus an insert). A rolled-back transaction rolls its counts back too, so work undone by a refused request
 * does not count as written.
 *
 * Test databases only: the triggers add a write to every write.
 */
import { type Kysely, sql } from 'kysely';
import type { DatabaseHandle } from '../../db/database.js';
import type { Database } from '../../db/schema.js';

const COUNTS_TABLE = 'zz_write_counts';

/**
 * Columns whose change is not a write for this purpose. An authenticated request refreshes its session's
 * `last_seen_at` at most once a minute (auth/service.ts), whatever the request's outcome.
 */
const IGNORED_COLUMNS: Readonly<Record<string, readonly string[]>> = { sessions: ['last_seen_at'] };

export type WriteCounts = Readonly<Record<string, number>>;

export interface WriteCounter {
  /** Rows written so far, per table. */
  read(): Promise<WriteCounts>;
  /** The tables whose count differs between two readings, with the difference. */
  diff(before: WriteCounts, after: WriteCounts): Record<string, number>;
  readonly tables: readonly string[];
}

export async function installWriteCounter(database: DatabaseHandle): Promise<WriteCounter> {
  const db = database.db as unknown as Kysely<Record<string, Record<string, unknown>>>;
  const tables = await userTables(database);
  await sql`create table ${sql.id(COUNTS_TABLE)} (tbl varchar(128) primary key, n bigint not null)`.execute(
    db,
  );
  for (const table of tables) {
    await sql`insert into ${sql.id(COUNTS_TABLE)} (tbl, n) values (${table}, 0)`.execute(db);
  }
  if (database.dialect === 'postgres') {
    await sql
      .raw(
        `create function zz_count_write() returns trigger language plpgsql as $$
         begin update ${COUNTS_TABLE} set n = n + 1 where tbl = TG_TABLE_NAME; return null; end $$`,
      )
      .execute(db);
  }
  for (const table of tables) {
    const columns = await columnsOf(database, table);
    const ignored = IGNORED_COLUMNS[table] ?? [];
    const updateOf = ignored.length
      ? ` of ${columns
          .filter((c) => !ignored.includes(c))
          .map(quote)
          .join(', ')}`
      : '';
    for (const [event, suffix] of [
      ['insert', 'i'],
      [`update${updateOf}`, 'u'],
      ['delete', 'd'],
    ] as const) {
      const name = quote(`zz_w_${table}_${suffix}`);
      const statement =
        database.dialect === 'postgres'
          ? `create trigger ${name} after ${event} on ${quote(table)} for each row execute function zz_count_write()`
          : `create trigger ${name} after ${event} on ${quote(table)} for each row begin
               update ${COUNTS_TABLE} set n = n + 1 where tbl = '${table.replaceAll("'", "''")}'; end`;
      await sql.raw(statement).execute(db);
    }
  }
  return {
    tables,
    async read() {
      const rows = await sql<{
        tbl: string;
        n: number | string;
      }>`select tbl, n from ${sql.id(COUNTS_TABLE)}`.execute(db);
      return Object.fromEntries(rows.rows.map((r) => [r.tbl, Number(r.n)]));
    },
    diff(before, after) {
      const changed: Record<string, number> = {};
      for (const [table, n] of Object.entries(after)) {
        if (n !== before[table]) changed[table] = n - (before[table] ?? 0);
      }
      return changed;
    },
  };
}

function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

async function userTables(database: DatabaseHandle): Promise<string[]> {
  const db = database.db as unknown as Kysely<Database>;
  const result =
    database.dialect === 'postgres'
      ? await sql<{ name: string }>`select table_name as name from information_schema.tables
          where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db)
      : await sql<{ name: string }>`select name from sqlite_master
          where type = 'table' and name not like 'sqlite_%'`.execute(db);
  return result.rows.map((r) => r.name).sort();
}

async function columnsOf(database: DatabaseHandle, table: string): Promise<string[]> {
  const db = database.db as unknown as Kysely<Database>;
  const result =
    database.dialect === 'postgres'
      ? await sql<{ name: string }>`select column_name as name from information_schema.columns
          where table_schema = current_schema() and table_name = ${table}`.execute(db)
      : await sql<{ name: string }>`select name from pragma_table_info(${table})`.execute(db);
  return result.rows.map((r) => r.name);
}
