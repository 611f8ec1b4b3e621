/**
 * PostgreSQL: pg_dump in its custom format (`-Fc`, compressed, restorable table by table) of the cloud's schema, and
 * pg_restore back. The rows recorded in the manifest are counted in the very snapshot pg_dump copies: this process
 * opens a REPEATABLE READ transaction, exports its snapshot and hands it to pg_dump (`--snapshot`), so the counts
 * and the file agree however many sales commit meanwhile.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import pg from 'pg';
import { AppError } from '../../platform/errors.js';
import type { DatabaseContents } from './manifest.js';
import { libpqTarget, runTool, ToolFailed, toolVersion } from './pg-tools.js';

export interface PostgresBackupInfo {
  readonly contents: DatabaseContents;
  readonly schema: string;
  readonly serverVersion: string;
  readonly pgDumpVersion: string;
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Rows per table of `schema`, its applied migrations and the audit chain head, as the client's transaction sees them. */
async function schemaContents(client: pg.Client, schema: string): Promise<DatabaseContents> {
  const { rows } = await client.query<{ name: string }>(
    'select tablename as name from pg_tables where schemaname = $1 order by tablename',
    [schema],
  );
  const qualified = (table: string) => `${client.escapeIdentifier(schema)}.${client.escapeIdentifier(table)}`;
  const tables: Record<string, number> = {};
  for (const { name } of rows) {
    const counted = await client.query<{ n: string }>(`select count(*) as n from ${qualified(name)}`);
    tables[name] = Number(counted.rows[0]?.n ?? 0);
  }
  const names = new Set(rows.map((row) => row.name));
  const migrations = names.has('kysely_migration')
    ? (
        await client.query<{ name: string }>(
          `select name from ${qualified('kysely_migration')} order by name`,
        )
      ).rows.map((row) => row.name)
    : [];
  const head = names.has('audit_chain_head')
    ? (
        await client.query<{ seq: string; hash: string }>(
          `select seq::text as seq, hash from ${qualified('audit_chain_head')} where id = 1`,
        )
      ).rows[0]
    : undefined;
  return { tables, migrations, auditHead: head ? { seq: Number(head.seq), hash: head.hash } : null };
}

function failed(zh: string, en: string): AppError {
  return new AppError('BACKUP_FAILED', { reason: { 'zh-CN': zh, en } });
}

/** Dumps the schema DATABASE_URL works in to `target` (custom format). */
export async function backupPostgres(
  url: string,
  target: string,
  options: { readonly binDir?: string | undefined; readonly signal?: AbortSignal } = {},
): Promise<PostgresBackupInfo> {
  const libpq = libpqTarget(url);
  const dumpVersion = await toolVersion('pg_dump', options.binDir);
  return withClient(url, async (client) => {
    const server = await client.query<{ num: string; version: string }>(
      "select current_setting('server_version_num') as num, current_setting('server_version') as version",
    );
    const serverMajor = Math.floor(Number(server.rows[0]?.num) / 10_000);
    const serverVersion = server.rows[0]?.version ?? '?';
    if (dumpVersion.major < serverMajor)
      throw new AppError('BACKUP_TOOL_UNAVAILABLE', {
        tool: 'pg_dump',
        reason: {
          'zh-CN': `pg_dump ${dumpVersion.major} 不能备份 PostgreSQL ${serverMajor} 服务器：请安装 postgresql-client-${serverMajor}，或用 BACKUP_PG_BIN_DIR 指明其目录`,
          en: `pg_dump ${dumpVersion.major} cannot back up a PostgreSQL ${serverMajor} server: install postgresql-client-${serverMajor} or name its folder in BACKUP_PG_BIN_DIR`,
        },
      });
    await client.query('begin isolation level repeatable read read only');
    try {
      const snapshot = (await client.query<{ id: string }>('select pg_export_snapshot() as id')).rows[0]?.id;
      const schema = (await client.query<{ schema: string | null }>('select current_schema() as schema'))
        .rows[0]?.schema;
      if (!snapshot || !schema)
        throw failed(
          'DATABASE_URL 的 search_path 指向的模式不存在',
          "the schema DATABASE_URL's search_path names does not exist",
        );
      const contents = await schemaContents(client, schema);
      try {
        await runTool(
          'pg_dump',
          [
            '--format=custom',
            '--no-owner',
            '--no-privileges',
            `--schema="${schema.replaceAll('"', '""')}"`,
            `--snapshot=${snapshot}`,
            `--file=${target}`,
            `--dbname=${libpq.dbname}`,
          ],
          { binDir: options.binDir, env: libpq.env, ...(options.signal ? { signal: options.signal } : {}) },
        );
      } catch (error) {
        if (error instanceof ToolFailed)
          throw failed(`pg_dump 失败：${error.stderr}`, `pg_dump failed: ${error.stderr}`);
        throw error;
      }
      return { contents, schema, serverVersion, pgDumpVersion: dumpVersion.text };
    } finally {
      await client.query('commit').catch(() => undefined);
    }
  });
}

export interface ArchiveContents {
  readonly schema: string | null;
  readonly tables: Readonly<Record<string, number>>;
}

/** `schema.table`, `"Odd"."Name"` → its parts, unquoted. */
function splitQualified(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        current += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else current += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === '.') {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

/**
 * Reads a pg_dump archive through pg_restore without any server: `--list` must read its table of contents, and the
 * whole data section is decompressed and streamed (`--data-only` to stdout), counting each table's COPY rows — one
 * line per row, since COPY's text format escapes newlines. A truncated or damaged archive fails here.
 */
export async function inspectPgArchive(path: string, binDir?: string): Promise<ArchiveContents> {
  const invalid = (zh: string, en: string) =>
    new AppError('BACKUP_INVALID', { file: basename(path), reason: { 'zh-CN': zh, en } });
  let schema: string | null = null;
  const tables: Record<string, number> = {};
  try {
    await runTool('pg_restore', ['--list', path], {
      binDir,
      // `6; 2615 16385 SCHEMA - venue owner`, `215; 1259 16386 TABLE venue sales owner`: every table is listed,
      // so one whose data section is missing counts 0 rows rather than vanishing.
      onLine: (line) => {
        const namespace = /^\d+; \d+ \d+ SCHEMA - (\S+) /.exec(line);
        if (namespace) schema = namespace[1] ?? null;
        // (`TABLE DATA venue sales owner` has one word more.)
        const table = /^\d+; \d+ \d+ TABLE (\S+) (\S+) \S+$/.exec(line);
        if (table?.[2]) tables[table[2]] = 0;
      },
    });
    let copying: string | undefined;
    await runTool('pg_restore', ['--data-only', '--file=-', path], {
      binDir,
      onLine: (line) => {
        if (copying === undefined) {
          const copy = /^COPY (.+?) (?:\(.*\) )?FROM stdin;$/.exec(line);
          if (copy?.[1]) {
            copying = splitQualified(copy[1]).at(-1) ?? '';
            tables[copying] = 0;
          }
        } else if (line === '\\.') copying = undefined;
        else tables[copying] = (tables[copying] ?? 0) + 1;
      },
    });
  } catch (error) {
    if (error instanceof ToolFailed)
      throw invalid(`pg_restore 无法读取它：${error.stderr}`, `pg_restore cannot read it: ${error.stderr}`);
    throw error;
  }
  return { schema, tables };
}

/** The schema the connection works in; created when its search_path names one that does not exist yet. */
async function targetSchema(client: pg.Client): Promise<{ name: string; existed: boolean }> {
  const current = (await client.query<{ schema: string | null }>('select current_schema() as schema')).rows[0]
    ?.schema;
  if (current) return { name: current, existed: true };
  const path = (
    await client.query<{ path: string; user: string }>(
      "select current_setting('search_path') as path, current_user as user",
    )
  ).rows[0];
  const first = (path?.path ?? '')
    .split(',')
    .map((entry) => entry.trim().replace(/^"(.*)"$/, '$1'))
    .find((entry) => entry && entry !== '$user');
  if (!first)
    throw failed('DATABASE_URL 的 search_path 没有指明模式', "DATABASE_URL's search_path names no schema");
  return { name: first, existed: false };
}

async function objectCount(client: pg.Client, schema: string): Promise<{ tables: number; objects: number }> {
  const { rows } = await client.query<{ tables: string; objects: string }>(
    `select (select count(*) from pg_tables where schemaname = $1) as tables,
            (select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1)
          + (select count(*) from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = $1)
            as objects`,
    [schema],
  );
  return { tables: Number(rows[0]?.tables ?? 0), objects: Number(rows[0]?.objects ?? 0) };
}

export interface PostgresTarget {
  readonly schema: string;
  readonly tables: number;
}

/** The schema a restore would fill and how many tables it holds now (nothing is changed). */
export function inspectPostgresTarget(url: string): Promise<PostgresTarget> {
  return withClient(url, async (client) => {
    const schema = await targetSchema(client);
    return {
      schema: schema.name,
      tables: schema.existed ? (await objectCount(client, schema.name)).tables : 0,
    };
  });
}

/**
 * Restores the archive `file` (of schema `source`) into the schema DATABASE_URL works in, in one transaction
 * (`--single-transaction`: all of it or nothing). A target holding anything is refused unless `replace`; then it is
 * renamed aside (`<schema>_replaced_<stamp>`, never dropped) and renamed back if the restore fails. Under another
 * schema name the archive is restored under its own name and then renamed, which needs that name free in the
 * target database.
 */
export async function restorePostgres(
  file: string,
  url: string,
  source: string,
  options: { readonly replace: boolean; readonly stamp: string; readonly binDir?: string | undefined },
): Promise<{ readonly replacedAside: string | null }> {
  const libpq = libpqTarget(url);
  return withClient(url, async (client) => {
    const id = (name: string) => client.escapeIdentifier(name);
    const target = await targetSchema(client);
    const present = target.existed ? await objectCount(client, target.name) : { tables: 0, objects: 0 };
    if (present.objects > 0 && !options.replace)
      throw new AppError('RESTORE_TARGET_NOT_EMPTY', { tables: present.tables });
    const renamed = source !== target.name;
    if (renamed) {
      const taken = await client.query('select 1 from pg_namespace where nspname = $1', [source]);
      if (taken.rowCount) throw new AppError('RESTORE_SCHEMA_TAKEN', { schema: source, target: target.name });
    }
    if (present.objects > 0) {
      // Replacing what a running cloud works on would pull its tables from under it: any other session of this
      // user on this database counts as one.
      const others = await client.query<{ n: string }>(
        `select count(*) as n from pg_stat_activity
          where datname = current_database() and usename = current_user and pid <> pg_backend_pid()`,
      );
      if (Number(others.rows[0]?.n ?? 0) > 0)
        throw new AppError('RESTORE_DATABASE_IN_USE', { target: libpq.display });
    }
    let aside: string | null = null;
    if (present.objects > 0) {
      aside = `${target.name.slice(0, 40)}_replaced_${options.stamp.replace(/\D/g, '').slice(0, 14)}`;
      await client.query(`alter schema ${id(target.name)} rename to ${id(aside)}`);
    }
    // The archive creates the schema unless an (empty) one of its own name is there already.
    const schemaStays = target.existed && aside === null && !renamed;
    const folder = await mkdtemp(join(tmpdir(), 'scenic-restore-'));
    try {
      const entries: string[] = [];
      await runTool('pg_restore', ['--list', file], {
        binDir: options.binDir,
        onLine: (line) => {
          if (!schemaStays || !/^\d+; \d+ \d+ (SCHEMA|COMMENT) - (SCHEMA )?\S+/.test(line))
            entries.push(line);
        },
      });
      const list = join(folder, 'restore.list');
      await writeFile(list, `${entries.join('\n')}\n`, { mode: 0o600 });
      try {
        await runTool(
          'pg_restore',
          [
            '--single-transaction',
            '--exit-on-error',
            '--no-owner',
            '--no-privileges',
            `--use-list=${list}`,
            `--dbname=${libpq.dbname}`,
            file,
          ],
          { binDir: options.binDir, env: libpq.env },
        );
      } catch (error) {
        if (error instanceof ToolFailed)
          throw failed(`pg_restore 失败：${error.stderr}`, `pg_restore failed: ${error.stderr}`);
        throw error;
      }
      if (renamed) {
        await client.query('begin');
        try {
          if (target.existed && aside === null) await client.query(`drop schema ${id(target.name)}`);
          await client.query(`alter schema ${id(source)} rename to ${id(target.name)}`);
          await client.query('commit');
        } catch (error) {
          await client.query('rollback').catch(() => undefined);
          throw error;
        }
      }
    } catch (error) {
      // Nothing of the archive stays (one transaction); the database the target held comes back.
      // (`source` did not exist before: checked above.)
      if (renamed) await client.query(`drop schema if exists ${id(source)} cascade`).catch(() => undefined);
      if (aside) await client.query(`alter schema ${id(aside)} rename to ${id(target.name)}`);
      throw error;
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
    return { replacedAside: aside };
  });
}
