/**
 * The cloud's configuration, read from environment variables only (twelve-factor). Every variable has a default
 * that runs the cloud embedded (SQLite file, no external services), so `npm start` works out of the box.
 * To add a setting: add its variable to `envSchema` (with a default) and map it into `Config` at the end of `loadConfig`.
 */
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { DatabaseConfig } from './db/database.js';
import type { Localized } from './platform/language.js';
import { bilingual, type FieldIssue, parseLocalized } from './platform/validation.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  readonly http: { readonly host: string; readonly port: number };
  readonly database: DatabaseConfig;
  readonly logLevel: LogLevel;
  /** IANA zone of the venue's local calendar (business days, daily caps, opening hours). */
  readonly venueTimezone: string;
}

export const DEFAULT_DATABASE_URL = 'sqlite:./data/cloud.db';

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const envSchema = z.object({
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  DATABASE_URL: z.string().default(DEFAULT_DATABASE_URL),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(1000).default(10),
  SQLITE_SYNCHRONOUS: z
    .string()
    .transform((value) => value.toUpperCase())
    .pipe(z.enum(['NORMAL', 'FULL']))
    .default('NORMAL'),
  SQLITE_BUSY_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(5_000),
  LOG_LEVEL: z
    .string()
    .transform((value) => value.toLowerCase())
    .pipe(z.enum(LOG_LEVELS))
    .default('info'),
  VENUE_TIMEZONE: z
    .string()
    .refine(
      isTimeZone,
      bilingual({
        'zh-CN': '不是有效的 IANA 时区名（例如 Asia/Shanghai）',
        en: 'not a valid IANA time zone name (e.g. Asia/Shanghai)',
      }),
    )
    .default('Asia/Shanghai'),
});
type Env = z.output<typeof envSchema>;

const BAD_DATABASE_URL: Localized = {
  'zh-CN': '应为 sqlite:<路径>、file:<路径>、postgres://… 或 postgresql://…',
  en: 'expected sqlite:<path>, file:<path>, postgres://… or postgresql://…',
};

/** Turns DATABASE_URL into a database config; relative SQLite paths are resolved against `baseDir`. */
function parseDatabaseUrl(env: Env, baseDir: string): DatabaseConfig | undefined {
  const url = env.DATABASE_URL.trim();
  const scheme = /^([a-z]+):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql') {
    if (!URL.canParse(url) || !new URL(url).hostname) return undefined;
    return { dialect: 'postgres', url, poolSize: env.DATABASE_POOL_SIZE };
  }
  if (scheme !== 'sqlite' && scheme !== 'file') return undefined;
  let path = url.slice(scheme.length + 1);
  if (path.startsWith('//')) {
    // URL form, sqlite:///abs/path or file:///abs/path: only a local file (empty host) makes sense.
    const fileUrl = `file:${path}`;
    if (!URL.canParse(fileUrl) || new URL(fileUrl).host) return undefined;
    path = fileURLToPath(fileUrl);
  }
  if (!path) return undefined;
  return {
    dialect: 'sqlite',
    path: isAbsolute(path) ? path : resolve(baseDir, path),
    synchronous: env.SQLITE_SYNCHRONOUS,
    busyTimeoutMs: env.SQLITE_BUSY_TIMEOUT_MS,
  };
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly issues: readonly FieldIssue[]) {
    super(`invalid configuration: ${issues.map((i) => `${i.path.join('.')}: ${i.messages.en}`).join('; ')}`);
  }

  /** Lines for a person at a terminal; names the variables but never echoes values (a URL may hold a password). */
  describe(): string {
    const lines = this.issues.map((i) => `  ${i.path.join('.')}: ${i.messages['zh-CN']} / ${i.messages.en}`);
    return ['配置无效 / Invalid configuration:', ...lines].join('\n');
  }
}

/**
 * Reads the configuration. Empty variables count as unset. `baseDir` anchors relative SQLite paths; by default the
 * folder the user ran the command from (npm's INIT_CWD — npm runs workspace scripts inside the workspace folder),
 * so `npm start` at the repository root keeps its data in ./data there.
 */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
  baseDir: string = env.INIT_CWD || process.cwd(),
): Config {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = parseLocalized(envSchema, present);
  if (!parsed.success) throw new ConfigError(parsed.issues);
  const values = parsed.data;
  const database = parseDatabaseUrl(values, baseDir);
  if (!database)
    throw new ConfigError([{ path: ['DATABASE_URL'], code: 'custom', messages: BAD_DATABASE_URL }]);
  return {
    http: { host: values.HOST, port: values.PORT },
    database,
    logLevel: values.LOG_LEVEL,
    venueTimezone: values.VENUE_TIMEZONE,
  };
}
