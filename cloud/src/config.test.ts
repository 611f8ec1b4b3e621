import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const base = '/srv/scenic';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env, base);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('runs embedded with no variables set', () => {
    expect(loadConfig({}, base)).toEqual({
      http: { host: '0.0.0.0', port: 8080, trustProxy: false },
      database: {
        dialect: 'sqlite',
        path: '/srv/scenic/data/cloud.db',
        synchronous: 'NORMAL',
        busyTimeoutMs: 5000,
        backgroundCheckpointMs: 500,
      },
      logLevel: 'info',
      venueTimezone: 'Asia/Shanghai',
      mqtt: {
        broker: { kind: 'embedded', host: '0.0.0.0', port: 1883, wsPort: 8083 },
        username: 'sg-cloud',
        password: undefined,
        clientId: expect.stringMatching(/^sg-cloud-[A-Za-z0-9][A-Za-z0-9_.-]*$/),
        shareGroup: undefined,
        gateBudget: { ratePerSec: 100, burst: 200, backoffMs: 60_000 },
      },
      commLog: { retentionDays: 90 },
      whitelist: { feedRetentionDays: 7, reservationRetentionDays: 7 },
      occupancy: { resetHour: 0, hysteresisPct: 3 },
      metrics: { token: undefined },
      cash: { maxChangeFen: 100_000 },
      groupOrders: {
        holdMinutes: 120,
        visitorsDueHours: 24,
        cancelFreeHours: 24,
        cancelFeePermille: 100,
        unusedRefundPermille: 1000,
        sweepIntervalMs: 60_000,
      },
      shifts: { varianceApprovalFen: 5_000, blindCount: { all: false, windows: [] } },
      credentials: { secret: undefined, secretFile: '/srv/scenic/data/credential-secret.key' },
      auditAnchor: { file: '/srv/scenic/data/audit-anchors.jsonl', intervalMs: 5 * 60_000 },
      webhooks: {
        timeoutMs: 10_000,
        baseDelayMs: 30_000,
        maxDelayMs: 3_600_000,
        maxAttempts: 12,
        retentionMs: 30 * 86_400_000,
      },
      backup: { dir: '/srv/scenic/data/backups', intervalMs: 24 * 3_600_000, keep: 7, pgBinDir: undefined },
      auth: {
        initialAdmin: undefined,
        maxFailedLogins: 5,
        lockoutMs: 15 * 60_000,
        loginRateLimitPerMinute: 20,
        sessionTtlMs: 12 * 3_600_000,
        secureCookie: false,
      },
    });
  });

  it('takes the webhooks’ timeout, back-off, attempts and retention from WEBHOOK_*', () => {
    expect(
      loadConfig(
        {
          WEBHOOK_TIMEOUT_SECONDS: '5',
          WEBHOOK_RETRY_SECONDS: '10',
          WEBHOOK_RETRY_MAX_MINUTES: '30',
          WEBHOOK_MAX_ATTEMPTS: '3',
          WEBHOOK_RETENTION_DAYS: '7',
        },
        base,
      ).webhooks,
    ).toEqual({
      timeoutMs: 5_000,
      baseDelayMs: 10_000,
      maxDelayMs: 1_800_000,
      maxAttempts: 3,
      retentionMs: 7 * 86_400_000,
    });
    expect(configError({ WEBHOOK_MAX_ATTEMPTS: '0' }).issues[0]!.path).toEqual(['WEBHOOK_MAX_ATTEMPTS']);
    expect(configError({ WEBHOOK_RETENTION_DAYS: '0' }).issues[0]!.path).toEqual(['WEBHOOK_RETENTION_DAYS']);
  });

  it('backs the embedded SQLite file up daily by default, PostgreSQL only when asked, with clear errors', () => {
    expect(loadConfig({ DATABASE_URL: 'sqlite:/var/lib/scenic/cloud.db' }, base).backup).toEqual({
      dir: '/var/lib/scenic/backups',
      intervalMs: 24 * 3_600_000,
      keep: 7,
      pgBinDir: undefined,
    });
    expect(loadConfig({ DATABASE_URL: 'postgres://cloud@db.lan/scenic' }, base).backup).toMatchObject({
      dir: '/srv/scenic/data/backups',
      intervalMs: null,
    });
    expect(
      loadConfig(
        {
          DATABASE_URL: 'postgres://cloud@db.lan/scenic',
          BACKUP_DIR: '/mnt/nas/scenic',
          BACKUP_EVERY_HOURS: '6.5',
          BACKUP_KEEP: '28',
          BACKUP_PG_BIN_DIR: '/usr/lib/postgresql/16/bin',
        },
        base,
      ).backup,
    ).toEqual({
      dir: '/mnt/nas/scenic',
      intervalMs: 6.5 * 3_600_000,
      keep: 28,
      pgBinDir: '/usr/lib/postgresql/16/bin',
    });
    expect(loadConfig({ BACKUP_EVERY_HOURS: 'Off', BACKUP_DIR: 'bk' }, base).backup).toMatchObject({
      dir: '/srv/scenic/bk',
      intervalMs: null,
    });
    for (const hours of ['0.1', 'daily', '-3', '721'])
      expect(configError({ BACKUP_EVERY_HOURS: hours }).describe()).toContain(
        'BACKUP_EVERY_HOURS: 应为两次备份之间的小时数（0.25–720）或 off / expected the hours between backups (0.25-720) or off',
      );
    expect(configError({ BACKUP_KEEP: '0' }).issues[0]?.path).toEqual(['BACKUP_KEEP']);
  });

  it('caps the change a cashier may hand back at CASH_MAX_CHANGE_FEN, in whole fen', () => {
    expect(loadConfig({ CASH_MAX_CHANGE_FEN: '5000' }, base).cash).toEqual({ maxChangeFen: 5_000 });
    expect(loadConfig({ CASH_MAX_CHANGE_FEN: '0' }, base).cash).toEqual({ maxChangeFen: 0 });
    for (const value of ['12.5', '-1', 'lots'])
      expect(configError({ CASH_MAX_CHANGE_FEN: value }).issues[0]!.path).toEqual(['CASH_MAX_CHANGE_FEN']);
  });

  it('anchors the audit chain where AUDIT_ANCHOR_FILE says, every AUDIT_ANCHOR_MINUTES, or not at all with off', () => {
    expect(
      loadConfig({ AUDIT_ANCHOR_FILE: '/var/log/scenic/anchors.jsonl', AUDIT_ANCHOR_MINUTES: '1' }, base)
        .auditAnchor,
    ).toEqual({
      file: '/var/log/scenic/anchors.jsonl',
      intervalMs: 60_000,
    });
    expect(loadConfig({ DATABASE_URL: 'postgres://db.lan/scenic' }, base).auditAnchor?.file).toBe(
      '/srv/scenic/data/audit-anchors.jsonl',
    );
    expect(loadConfig({ AUDIT_ANCHOR_FILE: 'off' }, base).auditAnchor).toBeNull();
    expect(configError({ AUDIT_ANCHOR_MINUTES: '0' }).message).toContain('AUDIT_ANCHOR_MINUTES');
  });

  it('connects to an external broker when MQTT_URL is set, and can switch the WebSocket listener off', () => {
    const external = loadConfig(
      { MQTT_URL: 'mqtt://broker.lan:1883', MQTT_PASSWORD: 's3cret', MQTT_INSTANCE: 'a1' },
      base,
    ).mqtt;
    expect(external).toEqual({
      broker: { kind: 'external', url: 'mqtt://broker.lan:1883' },
      username: 'sg-cloud',
      password: 's3cret',
      clientId: 'sg-cloud-a1',
      shareGroup: undefined,
      gateBudget: { ratePerSec: 100, burst: 200, backoffMs: 60_000 },
    });
    // Shared subscriptions only with an external broker: the embedded one has a single cloud client.
    expect(
      loadConfig({ MQTT_URL: 'mqtt://broker.lan:1883', MQTT_SHARE_GROUP: 'centre' }, base).mqtt.shareGroup,
    ).toBe('centre');
    expect(loadConfig({ MQTT_SHARE_GROUP: 'centre' }, base).mqtt.shareGroup).toBeUndefined();
    expect(configError({ MQTT_SHARE_GROUP: 'a/b' }).issues[0]?.path).toEqual(['MQTT_SHARE_GROUP']);
    expect(loadConfig({ MQTT_WS_PORT: 'off' }, base).mqtt.broker).toMatchObject({ wsPort: 'off' });
    expect(configError({ MQTT_URL: 'http://x' }).issues[0]?.path).toEqual(['MQTT_URL']);
    expect(configError({ MQTT_INSTANCE: 'a/b' }).issues[0]?.path).toEqual(['MQTT_INSTANCE']);
    expect(configError({ MQTT_WS_PORT: '70000' }).issues[0]?.path).toEqual(['MQTT_WS_PORT']);
  });

  it('reads the per-gate message budget and refuses one that would cut off a gate draining its outbox', () => {
    expect(
      loadConfig({ MQTT_GATE_RATE: '20', MQTT_GATE_BURST: '100', MQTT_GATE_BACKOFF_SECONDS: '300' }, base)
        .mqtt.gateBudget,
    ).toEqual({ ratePerSec: 20, burst: 100, backoffMs: 300_000 });
    expect(configError({ MQTT_GATE_RATE: '0' }).issues[0]?.path).toEqual(['MQTT_GATE_RATE']);
    expect(configError({ MQTT_GATE_RATE: 'fast' }).issues[0]?.path).toEqual(['MQTT_GATE_RATE']);
    // A gate keeps up to 64 passages unacknowledged: a smaller burst would count its outbox as a flood.
    expect(configError({ MQTT_GATE_BURST: '63' }).issues[0]?.path).toEqual(['MQTT_GATE_BURST']);
    expect(configError({ MQTT_GATE_BACKOFF_SECONDS: '0' }).issues[0]?.path).toEqual([
      'MQTT_GATE_BACKOFF_SECONDS',
    ]);
    expect(configError({ MQTT_GATE_BACKOFF_SECONDS: '1.5' }).issues[0]?.path).toEqual([
      'MQTT_GATE_BACKOFF_SECONDS',
    ]);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '', LOG_LEVEL: '' }, base).http.port).toBe(8080);
  });

  it('anchors relative SQLite paths at npm’s INIT_CWD (where the user typed npm start)', () => {
    const config = loadConfig({ INIT_CWD: '/home/ops/venue' });
    expect(config.database).toMatchObject({ path: '/home/ops/venue/data/cloud.db' });
  });

  it.each([
    ['sqlite:./x/y.db', '/srv/scenic/x/y.db'],
    ['sqlite:rel.db', '/srv/scenic/rel.db'],
    ['sqlite:/var/lib/scenic/cloud.db', '/var/lib/scenic/cloud.db'],
    ['sqlite:///var/lib/scenic/cloud.db', '/var/lib/scenic/cloud.db'],
    ['file:./data/c.db', '/srv/scenic/data/c.db'],
    ['file:///var/lib/c.db', '/var/lib/c.db'],
  ])('reads DATABASE_URL=%s as SQLite file %s', (url, path) => {
    expect(loadConfig({ DATABASE_URL: url }, base).database).toMatchObject({ dialect: 'sqlite', path });
  });

  it('reads PostgreSQL URLs and the pool size', () => {
    for (const url of ['postgres://u:p@db.example:5432/scenic', 'postgresql://db/scenic?sslmode=require']) {
      expect(loadConfig({ DATABASE_URL: url, DATABASE_POOL_SIZE: '20' }, base).database).toEqual({
        dialect: 'postgres',
        url,
        poolSize: 20,
      });
    }
  });

  it('accepts SQLITE_SYNCHRONOUS and LOG_LEVEL in any case', () => {
    const config = loadConfig({ SQLITE_SYNCHRONOUS: 'full', LOG_LEVEL: 'DEBUG' }, base);
    expect(config.database).toMatchObject({ synchronous: 'FULL' });
    expect(config.logLevel).toBe('debug');
  });

  it.each([['mysql://localhost/db'], ['sqlite:'], ['sqlite://somehost/x.db'], ['postgres://'], ['cloud.db']])(
    'rejects DATABASE_URL=%s',
    (url) => {
      const error = configError({ DATABASE_URL: url });
      expect(error.issues.map((i) => i.path)).toEqual([['DATABASE_URL']]);
    },
  );

  it('reports every bad variable with a Chinese and an English message', () => {
    const error = configError({
      PORT: '70000',
      SQLITE_SYNCHRONOUS: 'OFF',
      VENUE_TIMEZONE: 'Mars/Olympus',
      LOG_LEVEL: 'loud',
    });
    expect(error.issues.map((i) => i.path[0]).sort()).toEqual([
      'LOG_LEVEL',
      'PORT',
      'SQLITE_SYNCHRONOUS',
      'VENUE_TIMEZONE',
    ]);
    const port = error.issues.find((i) => i.path[0] === 'PORT')!;
    expect(port.messages['zh-CN']).toMatch(/数值过大/);
    expect(port.messages.en).toMatch(/Too big/);
    const zone = error.issues.find((i) => i.path[0] === 'VENUE_TIMEZONE')!;
    expect(zone.messages).toEqual({
      'zh-CN': '不是有效的 IANA 时区名（例如 Asia/Shanghai）',
      en: 'not a valid IANA time zone name (e.g. Asia/Shanghai)',
    });
    expect(error.describe()).toMatch(/^配置无效 \/ Invalid configuration:\n {2}/);
  });

  it('rejects a non-numeric port', () => {
    expect(configError({ PORT: 'eighty' }).issues[0]?.path).toEqual(['PORT']);
  });

  it('never echoes values, which may hold passwords', () => {
    const error = configError({ DATABASE_URL: 'mysql://admin:s3cret@db/x', PORT: 's3cret' });
    expect(error.describe()).not.toContain('s3cret');
    expect(error.message).not.toContain('s3cret');
  });

  it('accepts any IANA zone', () => {
    expect(loadConfig({ VENUE_TIMEZONE: 'Asia/Urumqi' }, base).venueTimezone).toBe('Asia/Urumqi');
  });
});
