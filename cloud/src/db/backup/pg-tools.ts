/**
 * PostgreSQL's own client tools, pg_dump and pg_restore (Debian: postgresql-client), run as child processes. The
 * connection comes from DATABASE_URL, handed over in libpq's environment variables — the password in PGPASSWORD,
 * never on a command line, where every user of the machine could read it (ps, /proc).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { AppError } from '../../platform/errors.js';

export type PgTool = 'pg_dump' | 'pg_restore';

export interface LibpqTarget {
  /** Variables for the child's environment: host, port, user, password, database and the URL's parameters. */
  readonly env: Readonly<Record<string, string>>;
  /** `--dbname` for the tools: a connection string naming the database only (the rest is in `env`). */
  readonly dbname: string;
  /** host:port/database, for messages (no user, no password). */
  readonly display: string;
}

/** URL parameters node-postgres and libpq both understand, and the libpq variable each becomes. */
const PARAMETER_VARIABLES: Readonly<Record<string, string>> = {
  host: 'PGHOST',
  port: 'PGPORT',
  sslmode: 'PGSSLMODE',
  sslrootcert: 'PGSSLROOTCERT',
  sslcert: 'PGSSLCERT',
  sslkey: 'PGSSLKEY',
  options: 'PGOPTIONS',
  application_name: 'PGAPPNAME',
  connect_timeout: 'PGCONNECT_TIMEOUT',
};

function quoteConninfo(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

/** libpq's view of a postgres:// URL. A parameter libpq would not understand is refused rather than dropped. */
export function libpqTarget(url: string): LibpqTarget {
  const parsed = new URL(url);
  const env: Record<string, string> = {};
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host) env.PGHOST = decodeURIComponent(host);
  if (parsed.port) env.PGPORT = parsed.port;
  if (parsed.username) env.PGUSER = decodeURIComponent(parsed.username);
  if (parsed.password) env.PGPASSWORD = decodeURIComponent(parsed.password);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  for (const [name, value] of parsed.searchParams) {
    const variable = PARAMETER_VARIABLES[name];
    if (variable) env[variable] = value;
    else if (name === 'ssl')
      // node-postgres's shorthand; sslmode, when also given, is more precise and wins.
      env.PGSSLMODE ??= /^(1|true)$/i.test(value) ? 'require' : 'disable';
    else
      throw new AppError('BACKUP_TOOL_UNAVAILABLE', {
        tool: 'pg_dump / pg_restore',
        reason: {
          'zh-CN': `DATABASE_URL 的参数 ${name} 无法交给 libpq，请改用 libpq 支持的参数（如 sslmode）`,
          en: `the DATABASE_URL parameter ${name} cannot be handed to libpq: use one it knows (e.g. sslmode)`,
        },
      });
  }
  if (database) env.PGDATABASE = database;
  return {
    env,
    dbname: `dbname=${quoteConninfo(database || env.PGUSER || 'postgres')}`,
    display: `${host || env.PGHOST || 'localhost'}:${env.PGPORT ?? '5432'}/${database || '(default)'}`,
  };
}

export interface ToolRun {
  readonly stderr: string;
}

export interface ToolOptions {
  readonly binDir?: string | undefined;
  readonly env?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
  /** Receives stdout line by line; without it stdout is discarded. */
  readonly onLine?: (line: string) => void;
}

function unavailable(tool: PgTool, zh: string, en: string): AppError {
  return new AppError('BACKUP_TOOL_UNAVAILABLE', { tool, reason: { 'zh-CN': zh, en } });
}

/** Runs `tool args…`; resolves on exit code 0, rejects with the tool's own error text otherwise. */
export function runTool(tool: PgTool, args: readonly string[], options: ToolOptions = {}): Promise<ToolRun> {
  const command = options.binDir ? join(options.binDir, tool) : tool;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: { ...process.env, ...options.env },
      stdio: ['ignore', options.onLine ? 'pipe' : 'ignore', 'pipe'],
      ...(options.signal ? { signal: options.signal } : {}),
    });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < 20_000) stderr += chunk;
    });
    if (options.onLine && child.stdout) {
      let rest = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) options.onLine?.(line);
      });
      child.stdout.on('end', () => {
        if (rest) options.onLine?.(rest);
      });
    }
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT')
        reject(
          unavailable(
            tool,
            `找不到 ${command}：请安装 PostgreSQL 客户端（apt-get install postgresql-client），或用 BACKUP_PG_BIN_DIR 指明其目录`,
            `${command} was not found: install the PostgreSQL client tools (apt-get install postgresql-client) or name their folder in BACKUP_PG_BIN_DIR`,
          ),
        );
      else reject(error);
    });
    child.once('close', (code, signal) => {
      if (code === 0) resolve({ stderr });
      else reject(new ToolFailed(tool, code, signal, stderr.trim()));
    });
  });
}

export class ToolFailed extends Error {
  constructor(
    readonly tool: PgTool,
    readonly exitCode: number | null,
    readonly signalName: NodeJS.Signals | null,
    readonly stderr: string,
  ) {
    super(`${tool} ${exitCode === null ? `ended by ${signalName}` : `exited with ${exitCode}`}: ${stderr}`);
  }
}

/** `pg_dump --version` → 15 for "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)". */
export async function toolVersion(tool: PgTool, binDir?: string): Promise<{ major: number; text: string }> {
  let text = '';
  await runTool(tool, ['--version'], { binDir, onLine: (line) => (text ||= line.trim()) });
  const match = /\)\s+(\d+)(?:\.(\d+))?/.exec(text);
  if (!match)
    throw unavailable(
      tool,
      `无法识别 ${tool} 的版本：${text}`,
      `cannot tell ${tool}'s version from: ${text}`,
    );
  return { major: Number(match[1]), text: text.replace(/^\S+\s+\(PostgreSQL\)\s+/, '') };
}
