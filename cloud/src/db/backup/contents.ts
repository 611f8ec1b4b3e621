/**
 * What a live database holds, read through the cloud's own handle: rows per table, applied migrations and the audit
 * chain head. A backup is the database as a whole, so this reads every table whatever module owns it, like the
 * migrations do; it only counts. (sqlite-worker.cjs and postgres.ts read the same inside their snapshots.)
 */
import { sql } from 'kysely';
import type { DatabaseHandle } from '../database.js';
import type { DatabaseContents } from './manifest.js';

export async function tableNames(database: DatabaseHandle): Promise<string[]> {
  const { rows } =
    database.dialect === 'sqlite'
      ? await sql<{ name: string }>`select name from sqlite_schema
          where type = 'table' and name not like 'sqlite\\_%' escape '\\' order by name`.execute(database.db)
      : await sql<{ name: string }>`select tablename as name from pg_tables
          where schemaname = current_schema() order by tablename`.execute(database.db);
  return rows.map((row) => row.name);
}

export async function databaseContents(database: DatabaseHandle): Promise<DatabaseContents> {
  const names = await tableNames(database);
  const tables: Record<string, number> = {};
  for (const name of names) {
    const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(name)}`.execute(
      database.db,
    );
    tables[name] = Number(rows[0]?.n ?? 0);
  }
  const migrations = names.includes('kysely_migration')
    ? (
        await sql<{ name: string }>`select name from kysely_migration order by name`.execute(database.db)
      ).rows.map((row) => row.name)
    : [];
  const head = names.includes('audit_chain_head')
    ? (
        await sql<{ seq: number; hash: string }>`select seq, hash from audit_chain_head where id = 1`.execute(
          database.db,
        )
      ).rows[0]
    : undefined;
  return { tables, migrations, auditHead: head ? { seq: Number(head.seq), hash: head.hash } : null };
}

/** The first difference between two sets of row counts, in words; undefined when they are equal. */
export function countsDiffer(
  expected: Readonly<Record<string, number>>,
  actual: Readonly<Record<string, number>>,
): { zh: string; en: string } | undefined {
  for (const table of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
    const want = expected[table];
    const got = actual[table];
    if (want === got) continue;
    if (got === undefined) return { zh: `缺少表 ${table}`, en: `table ${table} is missing` };
    if (want === undefined) return { zh: `多出表 ${table}`, en: `table ${table} is not in the manifest` };
    return {
      zh: `表 ${table} 有 ${got} 行，清单记录为 ${want} 行`,
      en: `table ${table} has ${got} rows where the manifest says ${want}`,
    };
  }
  return undefined;
}
