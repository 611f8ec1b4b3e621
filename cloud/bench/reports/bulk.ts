/**
 * Bulk writing for the bench's build (not timed): SQLite through a connection of its own (better-sqlite3, prepared
 * inserts in large transactions, synchronous off while loading), PostgreSQL through `insert … select from unnest(…)`
 * with one array per column. Secondary indexes of the bulk-loaded tables are dropped first and created again after
 * (the same definitions, read from the catalogue): building an index once is much faster than growing it row by row.
 */
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import type { TestDatabase } from '../../src/db/testing.js';
import { type BulkTable, COLUMNS, type Row } from './data.js';

export interface Bulk {
  insert(table: BulkTable, rows: readonly Row[]): Promise<void>;
  /** Drops the tables' secondary indexes; the function returned creates them again. */
  withoutIndexes(tables: readonly BulkTable[]): Promise<() => Promise<void>>;
  /** Statistics for the planner after the load (PostgreSQL; SQLite's cloud never runs ANALYZE, so neither do we). */
  analyze(): Promise<void>;
  close(): Promise<void>;
}

export function openBulk(test: TestDatabase): Bulk {
  return test.config.dialect === 'sqlite' ? sqliteBulk(test.config.path) : postgresBulk(test.url);
}

function sqliteBulk(path: string): Bulk {
  const db = new BetterSqlite3(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -200000');
  const statements = new Map<string, BetterSqlite3.Statement>();
  const insertAll = db.transaction((statement: BetterSqlite3.Statement, rows: readonly Row[]) => {
    for (const row of rows) statement.run(row);
  });
  return {
    async insert(table, rows) {
      let statement = statements.get(table);
      if (!statement) {
        const columns = COLUMNS[table].map(([name]) => name);
        statement = db.prepare(
          `insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`,
        );
        statements.set(table, statement);
      }
      insertAll(statement, rows);
    },
    async withoutIndexes(tables) {
      const indexes = db
        .prepare(
          `select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in (${tables.map(() => '?').join(', ')})`,
        )
        .all(...tables) as { name: string; sql: string }[];
      for (const index of indexes) db.exec(`drop index ${index.name}`);
      return async () => {
        for (const index of indexes) db.exec(index.sql);
      };
    },
    async analyze() {},
    async close() {
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    },
  };
}

function postgresBulk(url: string): Bulk {
  // One connection, so the session setting holds for every insert.
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  let prepared = false;
  return {
    async insert(table, rows) {
      if (!prepared) {
        await pool.query('set synchronous_commit = off');
        prepared = true;
      }
      const columns = COLUMNS[table];
      const arrays = columns.map((_, c) => rows.map((row) => row[c]));
      const unnest = columns.map(([, type], c) => `$${c + 1}::${type}[]`).join(', ');
      await pool.query(
        `insert into ${table} (${columns.map(([name]) => name).join(', ')}) select * from unnest(${unnest})`,
        arrays,
      );
    },
    async withoutIndexes(tables) {
      const { rows } = await pool.query<{ indexname: string; indexdef: string }>(
        `select i.indexname, i.indexdef from pg_indexes i
         where i.schemaname = current_schema() and i.tablename = any($1)
           and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`,
        [tables],
      );
      for (const index of rows) await pool.query(`drop index ${index.indexname}`);
      return async () => {
        for (const index of rows) await pool.query(index.indexdef);
      };
    },
    async analyze() {
      await pool.query('analyze');
    },
    async close() {
      await pool.end();
    },
  };
}
