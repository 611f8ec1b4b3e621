/**
 * The cloud's configuration, read from environment variables only (twelve-factor). Every variable has a default
 * that runs the cloud embedded (SQLite file, no external services), so `npm start` works out of the box.
 * To add a setting: add its variable to `envSchema` (with a default) and map it into `Config` at the end of `loadConfig`.
 */
import { hostname } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { DatabaseConfig } from './db/database.js';
import type { AuthConfig } from './platform/auth/config.js';
import type { Localized } from './platform/language.js';
import { isTimeZone } from './platform/time-zone.js';
import { bilingual, type FieldIssue, parseLocalized } from './platform/validation.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  readonly http: {
    readonly host: string;
    readonly port: number;
    /**
     * Which proxies' X-Forwarded-For to believe for the client address (login limits, audit `ip`): false = none
     * (the default; a directly exposed server must not let clients choose their address), a number = that many
     * hops, or a list of proxy addresses / CIDR ranges.
     */
    readonly trustProxy: false | number | readonly string[];
  };
  readonly database: DatabaseConfig;
  readonly logLevel: LogLevel;
  /** IANA zone of the venue's local calendar (business days, daily caps, opening hours). */
  readonly venueTimezone: string;
  readonly auth: AuthConfig;
  readonly mqtt: MqttConfig;
  readonly commLog: { readonly retentionDays: number };
  /** Whitelist feed rows and lapsed online-validation reservations are pruned after these many days. */
  readonly whitelist: { readonly feedRetentionDays: number; readonly reservationRetentionDays: number };
  /** Master secret for signing keys at rest and ID-number hashes (modules/signing-keys/secrets.ts). */
  readonly credentials: { readonly secret: string | undefined; readonly secretFile: string };
  /** In-park occupancy: the local hour a new occupancy day starts (null = never reset) and the alert hysteresis. */
  readonly occupancy: { readonly resetHour: number | null; readonly hysteresisPct: number };
  /** Bearer token for GET /metrics; unset = /metrics refuses every request. */
  readonly metrics: { readonly token: string | undefined };
  /**
   * The most change a cashier may hand back on one sale or supplement, in fen: cash tendered beyond the amount due by
   * more than this is refused (CHANGE_TOO_LARGE) as a slip of the keyboard, not counted into the drawer.
   */
  readonly cash: { readonly maxChangeFen: number };
  /**
   * Group orders (modules/group-orders): how long a new order holds its places, how long before the visit day starts
   * (site time) the real-name visitor list is due, the cancellation policy (free until `cancelFreeHours` before the
   * visit day starts, then `cancelFeePermille` of the total), the share of unused persons refunded at closing, and how
   * often lapsed holds are swept. Each order keeps the policy it was created under.
   */
  readonly groupOrders: GroupOrderPolicy;
  /** Cashier shifts (modules/takings/shifts): when a close needs a supervisor, and where the count is blind. */
  readonly shifts: ShiftPolicy;
  /** Where the audit chain head is anchored outside the database (platform/audit/anchor.ts); null = not at all. */
  readonly auditAnchor: { readonly file: string; readonly intervalMs: number } | null;
  /**
   * Database backups (db/backup/): the folder the scheduled backups go to, how often the running cloud takes one
   * (null = never; on by default for the embedded SQLite file, off for PostgreSQL), how many are kept, and the folder
   * of pg_dump / pg_restore when they are not the ones on PATH.
   */
  readonly backup: BackupConfig;
  /** Partners' webhooks (modules/webhooks/worker.ts): one request's timeout, the back-off and when to give up. */
  readonly webhooks: {
    readonly timeoutMs: number;
    readonly baseDelayMs: number;
    readonly maxDelayMs: number;
    readonly maxAttempts: number;
    readonly retentionMs: number;
  };
}

export interface BackupConfig {
  readonly dir: string;
  readonly intervalMs: number | null;
  readonly keep: number;
  readonly pgBinDir: string | undefined;
}

export interface GroupOrderPolicy {
  readonly holdMinutes: number;
  readonly visitorsDueHours: number;
  readonly cancelFreeHours: number;
  readonly cancelFeePermille: number;
  readonly unusedRefundPermille: number;
  readonly sweepIntervalMs: number;
}

export interface ShiftPolicy {
  /** A close whose cash variance (or a non-cash tender's difference) is above this many fen waits for approval. */
  readonly varianceApprovalFen: number;
  /** Blind counts (the cashier sees no expected cash before counting): at every window, or at these `site/window`. */
  readonly blindCount: { readonly all: boolean; readonly windows: readonly string[] };
}

export const DEFAULT_DATABASE_URL = 'sqlite:./data/cloud.db';

const portOrOff = z
  .string()
  .transform((value) => (value.toLowerCase() === 'off' ? 'off' : Number(value)))
  .pipe(z.union([z.literal('off'), z.number().int().min(0).max(65535)]));

const envSchema = z.object({
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  TRUST_PROXY: z
    .string()
    .transform((value) => value.trim())
    .pipe(
      z.union([
        z.literal('false').transform(() => false as const),
        // A hop count: how many proxies in front of the server append to X-Forwarded-For.
        z
          .string()
          .regex(/^([1-9]|1\d|20)$/)
          .transform(Number),
        // Proxy addresses or CIDR ranges, IPv4 or IPv6 (each has a dot or a colon, so a number is never one).
        z
          .string()
          .regex(
            /^[0-9A-Fa-f]*[.:][0-9A-Fa-f:.]*(\/\d{1,3})?(\s*,\s*[0-9A-Fa-f]*[.:][0-9A-Fa-f:.]*(\/\d{1,3})?)*$/,
          )
          .transform((value) => value.split(',').map((part) => part.trim())),
      ]),
    )
    .default(false),
  DATABASE_URL: z.string().default(DEFAULT_DATABASE_URL),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(1000).default(10),
  SQLITE_SYNCHRONOUS: z
    .string()
    .transform((value) => value.toUpperCase())
    .pipe(z.enum(['NORMAL', 'FULL']))
    .default('NORMAL'),
  SQLITE_BUSY_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(5_000),
  /** Milliseconds between background WAL checkpoints (db/checkpointer.ts); 0 = SQLite's automatic checkpoints. */
  SQLITE_CHECKPOINT_MS: z.coerce.number().int().min(0).max(60_000).default(500),
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
  ADMIN_USERNAME: z.string().optional(),
  ADMIN_PASSWORD: z.string().optional(),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  LOGIN_LOCKOUT_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(20),
  SESSION_TTL_HOURS: z.coerce.number().min(0.1).max(720).default(12),
  SESSION_COOKIE_SECURE: z
    .string()
    .transform((value) => value.toLowerCase())
    .pipe(z.enum(['true', 'false', '1', '0']))
    .transform((value) => value === 'true' || value === '1')
    .default(false),
  MQTT_URL: z
    .string()
    .refine(
      (value) => URL.canParse(value) && /^(mqtts?|wss?|tcp|ssl):$/.test(new URL(value).protocol),
      bilingual({
        'zh-CN': '应为 mqtt://、mqtts://、ws:// 或 wss:// 地址',
        en: 'expected an mqtt://, mqtts://, ws:// or wss:// URL',
      }),
    )
    .optional(),
  MQTT_HOST: z.string().default('0.0.0.0'),
  MQTT_PORT: z.coerce.number().int().min(0).max(65535).default(1883),
  MQTT_WS_PORT: portOrOff.default(8083),
  MQTT_USERNAME: z.string().default('sg-cloud'),
  MQTT_PASSWORD: z.string().optional(),
  MQTT_INSTANCE: z
    .string()
    .refine(
      (value) => /^[A-Za-z0-9][A-Za-z0-9_.-]{0,47}$/.test(value),
      bilingual({
        'zh-CN': '只能包含字母、数字、_ . -，最长 48 个字符',
        en: 'letters, digits, _ . - only, at most 48 characters',
      }),
    )
    .optional(),
  // Several cloud instances on one external broker split the gate → cloud work channels through MQTT shared
  // subscriptions ($share/<group>/…) when this names the group (the same on every instance); unset = every instance
  // receives every message (one instance, or the embedded broker).
  MQTT_SHARE_GROUP: z
    .string()
    .refine(
      (value) => /^[A-Za-z0-9][A-Za-z0-9_-]{0,47}$/.test(value),
      bilingual({
        'zh-CN': '只能包含字母、数字、_ -，最长 48 个字符',
        en: 'letters, digits, _ - only, at most 48 characters',
      }),
    )
    .optional(),
  // Each gate's message budget (mqtt/budget.ts): the burst must let a gate's outbox (64 unacknowledged passages)
  // through, or a gate catching up after an outage would count as flooding.
  MQTT_GATE_RATE: z.coerce.number().int().min(1).max(100_000).default(100),
  MQTT_GATE_BURST: z.coerce.number().int().min(64).max(1_000_000).default(200),
  MQTT_GATE_BACKOFF_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  COMM_LOG_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  WHITELIST_FEED_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(7),
  RESERVATION_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(7),
  CREDENTIAL_SECRET: z
    .string()
    .refine(
      (value) => value.length >= 32,
      bilingual({ 'zh-CN': '至少 32 个字符', en: 'at least 32 characters' }),
    )
    .optional(),
  CREDENTIAL_SECRET_FILE: z.string().optional(),
  OCCUPANCY_RESET_HOUR: z
    .string()
    .transform((value) => (value.toLowerCase() === 'off' ? 'off' : Number(value)))
    .pipe(z.union([z.literal('off'), z.number().int().min(0).max(23)]))
    .default(0),
  OCCUPANCY_HYSTERESIS_PCT: z.coerce.number().min(0).max(20).default(3),
  METRICS_TOKEN: z
    .string()
    .min(16)
    .refine(
      (value) => /^\S+$/.test(value),
      bilingual({
        'zh-CN': '不能包含空白字符（以 Authorization: Bearer <令牌> 出示）',
        en: 'must not contain whitespace (it is presented as Authorization: Bearer <token>)',
      }),
    )
    .optional(),
  CASH_MAX_CHANGE_FEN: z.coerce.number().int().min(0).max(100_000_000).default(100_000),
  GROUP_HOLD_MINUTES: z.coerce.number().int().min(1).max(43_200).default(120),
  GROUP_VISITORS_DUE_HOURS: z.coerce.number().int().min(0).max(720).default(24),
  GROUP_CANCEL_FREE_HOURS: z.coerce.number().int().min(0).max(8_760).default(24),
  GROUP_CANCEL_FEE_PERMILLE: z.coerce.number().int().min(0).max(1000).default(100),
  GROUP_UNUSED_REFUND_PERMILLE: z.coerce.number().int().min(0).max(1000).default(1000),
  GROUP_EXPIRY_SWEEP_SECONDS: z.coerce.number().int().min(1).max(3_600).default(60),
  SHIFT_VARIANCE_APPROVAL_FEN: z.coerce.number().int().min(0).max(100_000_000).default(5_000),
  SHIFT_BLIND_COUNT: z
    .string()
    .trim()
    .refine(
      (value) => /^(on|off|[^\s,/]{1,64}\/[^\s,/]{1,64}(\s*,\s*[^\s,/]{1,64}\/[^\s,/]{1,64})*)$/i.test(value),
      bilingual({
        'zh-CN': '应为 on、off，或以逗号分隔的 景区/窗口 编号',
        en: 'expected on, off, or a comma-separated list of site/window ids',
      }),
    )
    .default('off'),
  AUDIT_ANCHOR_FILE: z.string().min(1).optional(),
  AUDIT_ANCHOR_MINUTES: z.coerce.number().int().min(1).max(1440).default(5),
  BACKUP_DIR: z.string().min(1).optional(),
  // Hours between scheduled backups, or `off`; unset = 24 on SQLite, off on PostgreSQL (pg_dump must be installed).
  BACKUP_EVERY_HOURS: z
    .string()
    .transform((value) => value.trim().toLowerCase())
    .refine(
      (value) =>
        value === 'off' || (/^\d+(\.\d+)?$/.test(value) && Number(value) >= 0.25 && Number(value) <= 720),
      bilingual({
        'zh-CN': '应为两次备份之间的小时数（0.25–720）或 off',
        en: 'expected the hours between backups (0.25-720) or off',
      }),
    )
    .transform((value) => (value === 'off' ? ('off' as const) : Number(value)))
    .optional(),
  BACKUP_KEEP: z.coerce.number().int().min(1).max(1000).default(7),
  BACKUP_PG_BIN_DIR: z.string().min(1).optional(),
  WEBHOOK_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(120).default(10),
  WEBHOOK_RETRY_SECONDS: z.coerce.number().int().min(1).max(3_600).default(30),
  WEBHOOK_RETRY_MAX_MINUTES: z.coerce.number().int().min(1).max(1_440).default(60),
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(12),
  WEBHOOK_RETENTION_DAYS: z.coerce.number().int().min(1).max(3_650).default(30),
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
    ...(env.SQLITE_CHECKPOINT_MS > 0 ? { backgroundCheckpointMs: env.SQLITE_CHECKPOINT_MS } : {}),
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
  // A file the cloud keeps: where its variable says, else beside the SQLite file (the data directory), with
  // PostgreSQL in ./data of the working directory.
  const dataFile = (configured: string | undefined, name: string) =>
    resolve(
      baseDir,
      configured ?? (database.dialect === 'sqlite' ? join(dirname(database.path), name) : join('data', name)),
    );
  return {
    http: { host: values.HOST, port: values.PORT, trustProxy: values.TRUST_PROXY },
    database,
    logLevel: values.LOG_LEVEL,
    venueTimezone: values.VENUE_TIMEZONE,
    auth: {
      initialAdmin:
        values.ADMIN_USERNAME && values.ADMIN_PASSWORD
          ? { username: values.ADMIN_USERNAME, password: values.ADMIN_PASSWORD }
          : undefined,
      maxFailedLogins: values.LOGIN_MAX_FAILURES,
      lockoutMs: values.LOGIN_LOCKOUT_MINUTES * 60_000,
      loginRateLimitPerMinute: values.LOGIN_RATE_LIMIT_PER_MINUTE,
      sessionTtlMs: Math.round(values.SESSION_TTL_HOURS * 3_600_000),
      secureCookie: values.SESSION_COOKIE_SECURE,
    },
    mqtt: mqttConfig(values),
    commLog: { retentionDays: values.COMM_LOG_RETENTION_DAYS },
    whitelist: {
      feedRetentionDays: values.WHITELIST_FEED_RETENTION_DAYS,
      reservationRetentionDays: values.RESERVATION_RETENTION_DAYS,
    },
    credentials: {
      secret: values.CREDENTIAL_SECRET,
      secretFile: dataFile(values.CREDENTIAL_SECRET_FILE, 'credential-secret.key'),
    },
    occupancy: {
      resetHour: values.OCCUPANCY_RESET_HOUR === 'off' ? null : values.OCCUPANCY_RESET_HOUR,
      hysteresisPct: values.OCCUPANCY_HYSTERESIS_PCT,
    },
    metrics: { token: values.METRICS_TOKEN },
    cash: { maxChangeFen: values.CASH_MAX_CHANGE_FEN },
    groupOrders: {
      holdMinutes: values.GROUP_HOLD_MINUTES,
      visitorsDueHours: values.GROUP_VISITORS_DUE_HOURS,
      cancelFreeHours: values.GROUP_CANCEL_FREE_HOURS,
      cancelFeePermille: values.GROUP_CANCEL_FEE_PERMILLE,
      unusedRefundPermille: values.GROUP_UNUSED_REFUND_PERMILLE,
      sweepIntervalMs: values.GROUP_EXPIRY_SWEEP_SECONDS * 1000,
    },
    shifts: shiftPolicy(values),
    auditAnchor:
      values.AUDIT_ANCHOR_FILE?.toLowerCase() === 'off'
        ? null
        : {
            // See anchor.ts for a safer place than the default.
            file: dataFile(values.AUDIT_ANCHOR_FILE, 'audit-anchors.jsonl'),
            intervalMs: values.AUDIT_ANCHOR_MINUTES * 60_000,
          },
    backup: backupConfig(values, database, dataFile),
    webhooks: {
      timeoutMs: values.WEBHOOK_TIMEOUT_SECONDS * 1_000,
      baseDelayMs: values.WEBHOOK_RETRY_SECONDS * 1_000,
      maxDelayMs: values.WEBHOOK_RETRY_MAX_MINUTES * 60_000,
      maxAttempts: values.WEBHOOK_MAX_ATTEMPTS,
      retentionMs: values.WEBHOOK_RETENTION_DAYS * 86_400_000,
    },
  };
}

/**
 * Backups: beside the SQLite file in `backups/` (PostgreSQL: ./data/backups), every 24 hours on SQLite — an embedded
 * installation otherwise has no copy of its data at all — and only when asked for on PostgreSQL, whose backups need
 * the server's client tools (pg_dump) on this machine and whose operators usually back up the server already.
 */
function backupConfig(
  values: Env,
  database: DatabaseConfig,
  dataFile: (configured: string | undefined, name: string) => string,
): BackupConfig {
  const hours = values.BACKUP_EVERY_HOURS ?? (database.dialect === 'sqlite' ? 24 : 'off');
  return {
    dir: dataFile(values.BACKUP_DIR, 'backups'),
    intervalMs: hours === 'off' ? null : Math.round(hours * 3_600_000),
    keep: values.BACKUP_KEEP,
    pgBinDir: values.BACKUP_PG_BIN_DIR,
  };
}

/**
 * MQTT: without MQTT_URL the cloud runs its own broker (TCP on MQTT_PORT, WebSocket on MQTT_WS_PORT unless `off`);
 * with MQTT_URL it runs none and connects to that broker. Either way the cloud's client logs in as MQTT_USERNAME
 * with client id `sg-cloud-<instance>`; for the embedded broker an unset MQTT_PASSWORD is generated at start.
 */
export interface MqttConfig {
  readonly broker:
    | {
        readonly kind: 'embedded';
        readonly host: string;
        readonly port: number;
        readonly wsPort: number | 'off';
      }
    | { readonly kind: 'external'; readonly url: string };
  readonly username: string;
  readonly password: string | undefined;
  readonly clientId: string;
  /**
   * MQTT_SHARE_GROUP: with an external broker, the group the work channels (events, acks, validation and sync
   * requests, heartbeats) are shared in, so each message reaches one instance; undefined = not shared.
   */
  readonly shareGroup: string | undefined;
  /**
   * Each gate's message budget (mqtt/budget.ts): `ratePerSec` on average and `burst` at once; beyond it QoS 0
   * messages are dropped and QoS 1 ones wait, and a gate whose excess exceeds the burst is cut off for `backoffMs`.
   */
  readonly gateBudget: { readonly ratePerSec: number; readonly burst: number; readonly backoffMs: number };
}

function mqttConfig(values: Env): MqttConfig {
  const instance = values.MQTT_INSTANCE ?? defaultInstance();
  return {
    broker: values.MQTT_URL
      ? { kind: 'external', url: values.MQTT_URL }
      : { kind: 'embedded', host: values.MQTT_HOST, port: values.MQTT_PORT, wsPort: values.MQTT_WS_PORT },
    username: values.MQTT_USERNAME,
    password: values.MQTT_PASSWORD,
    clientId: `sg-cloud-${instance}`,
    // Shared subscriptions split what one client receives among several; the embedded broker has one cloud client.
    shareGroup: values.MQTT_URL ? values.MQTT_SHARE_GROUP : undefined,
    gateBudget: {
      ratePerSec: values.MQTT_GATE_RATE,
      burst: values.MQTT_GATE_BURST,
      backoffMs: values.MQTT_GATE_BACKOFF_SECONDS * 1_000,
    },
  };
}

/** The host name, made safe for a client id: two instances on one broker must not share an id (the broker would kick one). */
function shiftPolicy(values: Env): ShiftPolicy {
  const blind = values.SHIFT_BLIND_COUNT.toLowerCase();
  return {
    varianceApprovalFen: values.SHIFT_VARIANCE_APPROVAL_FEN,
    blindCount:
      blind === 'on' || blind === 'off'
        ? { all: blind === 'on', windows: [] }
        : { all: false, windows: values.SHIFT_BLIND_COUNT.split(',').map((part) => part.trim()) },
  };
}

function defaultInstance(): string {
  const cleaned = hostname()
    .replace(/[^A-Za-z0-9_.-]/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '');
  return cleaned.slice(0, 48) || 'local';
}
