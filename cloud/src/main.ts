/**
 * Starts the cloud: configuration → database → migrations → HTTP. Exit codes: 0 after a graceful shutdown, 1 when
 * the service cannot start or dies, 2 for invalid configuration. Start-up failures a user can fix print one plain
 * line in Chinese and English, not a stack trace.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import closeWithGrace from 'close-with-grace';
import { type Logger, pino } from 'pino';
import { buildApp } from './app.js';
import { readCliConfig } from './cli/read-config.js';
import type { Config } from './config.js';
import { type Container, createContainer } from './container.js';
import { type DatabaseHandle, openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { type LeaderJob, LeaderJobs } from './leader-jobs.js';
import { GroupOrderExpiry } from './modules/group-orders/expiry.js';
import { AUTO_CHECKOUT_INTERVAL_MS, AutoCheckoutJob } from './modules/occupancy/auto-checkout-job.js';
import { prepareAccess } from './modules/operators/bootstrap.js';
import { PointsExpiryJob } from './modules/points/expiry.js';
import { DEFAULT_WEBHOOK_SETTINGS, WebhookWorker } from './modules/webhooks/worker.js';
import { ListenError } from './mqtt/listen-errors.js';
import { AuditAnchorWriter } from './platform/audit/anchor.js';
import { CONSOLE_DIST } from './platform/console-pages.js';
import { isAppError } from './platform/errors.js';
import { scheduledBackups } from './scheduled-backups.js';

function readConfig(): Config {
  // An invalid configuration is explained on stderr by readCliConfig; the exit code says so.
  return readCliConfig() ?? process.exit(2);
}

function createLogger(config: Config) {
  // Pretty, human-readable lines at a terminal; JSON lines (for log collectors) everywhere else.
  return pino({
    level: config.logLevel,
    transport: process.stdout.isTTY
      ? { target: 'pino-pretty', options: { translateTime: 'SYS:standard' } }
      : undefined,
  });
}

function listenFailure(error: unknown, { host, port }: Config['http']): string | undefined {
  switch ((error as { code?: unknown }).code) {
    case 'EADDRINUSE':
      return `端口 ${port} 已被占用（${host}），请关闭占用它的程序或设置 PORT 换一个端口 / Port ${port} on ${host} is already in use: stop the program holding it or set PORT to another port`;
    case 'EACCES':
      return `没有权限监听端口 ${port}（${host}），请换用 1024 以上的端口 / No permission to listen on port ${port} on ${host}: use a port above 1024`;
    case 'EADDRNOTAVAIL':
      return `本机没有地址 ${host}，请检查 HOST / Address ${host} is not available on this machine: check HOST`;
    default:
      return undefined;
  }
}

/**
 * Plain lines for the person who ran `npm start`, whatever the log format: where the console opens and, on the very
 * first start only, the generated administrator's password (also in the log; never shown again).
 */
function announce({ host, port }: Config['http'], admin?: { username: string; password: string }): void {
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${shown}:${port}/`;
  const line = existsSync(join(CONSOLE_DIST, 'index.html'))
    ? `控制台 / Console: ${url}   接口文档 / API docs: ${url}docs`
    : `控制台尚未构建，请运行 npm run build:console / The console is not built: run npm run build:console   接口文档 / API docs: ${url}docs`;
  process.stdout.write(`${line}\n`);
  if (admin) {
    process.stdout.write(
      `首个管理员 / First administrator: ${admin.username}   密码 / password: ${admin.password}   （只显示这一次，首次登录须修改 / shown only once; change it at the first sign-in）\n`,
    );
  }
}

/** The jobs that run on the leading instance only, each made afresh when it starts leading. */
function leaderJobs(
  config: Config,
  database: DatabaseHandle,
  container: Container,
  logger: Logger,
): LeaderJob[] {
  const jobs: LeaderJob[] = [];
  const anchor = config.auditAnchor;
  // The audit chain head, anchored outside the database every few minutes (platform/audit/anchor.ts).
  if (anchor)
    jobs.push({
      name: 'audit-anchors',
      make: () => new AuditAnchorWriter(database.db, anchor.file, anchor.intervalMs, logger),
    });
  // Expired points written off every hour (points/expiry.ts).
  jobs.push({ name: 'points-expiry', make: () => new PointsExpiryJob(container.services.points, logger) });
  // Each site's automatic check-out, once per local day, caught up at start (modules/occupancy/auto-checkout-job.ts).
  const { occupancy } = container.services;
  jobs.push({
    name: 'auto-checkout',
    make: () =>
      new AutoCheckoutJob(occupancy, logger, AUTO_CHECKOUT_INTERVAL_MS, async (run) => {
        // The control room's live figures drop with the run, as they move with passages.
        const hub = container.mqtt?.controlRoom.occupancy;
        if (!hub) return;
        for (const site of await occupancy.current(run.siteId)) hub.publish([site.site, ...site.zones], []);
      }),
  });
  // Lapsed group-order holds give their places back (modules/group-orders/expiry.ts).
  jobs.push({
    name: 'group-order-holds',
    make: () =>
      new GroupOrderExpiry(container.services.groupOrders, config.groupOrders.sweepIntervalMs, logger),
  });
  // Scheduled database backups (db/backup/scheduler.ts): on by default for SQLite, BACKUP_EVERY_HOURS.
  jobs.push({ name: 'backups', make: () => scheduledBackups(config, logger) });
  return jobs;
}

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger(config);
  let database: DatabaseHandle;
  try {
    database = openDatabase(config.database, logger);
    await migrateToLatest(database);
  } catch (error) {
    logger.fatal({ err: error }, 'cannot open or migrate the database');
    logger.flush();
    process.stderr.write(
      `数据库无法打开或迁移失败：${(error as Error).message} / Cannot open or migrate the database: ${(error as Error).message}\n`,
    );
    process.exit(1);
  }

  const container = await createContainer({ config, database, logger });
  let firstAdmin: Awaited<ReturnType<typeof prepareAccess>>;
  try {
    firstAdmin = await prepareAccess(container.services.operators, config.auth, logger);
  } catch (error) {
    logger.fatal({ err: error }, 'cannot prepare roles or the first administrator');
    logger.flush();
    const messages = isAppError(error) ? error.messages : { 'zh-CN': String(error), en: String(error) };
    process.stderr.write(
      `无法创建角色或首个管理员：${messages['zh-CN']} / Cannot set up roles or the first administrator: ${messages.en}\n`,
    );
    process.exit(1);
  }

  try {
    await container.startMqtt();
  } catch (error) {
    if (!(error instanceof ListenError)) throw error;
    process.stderr.write(`${error.line}\n`);
    await database.close();
    process.exit(1);
  }

  const app = await buildApp(container);
  try {
    await app.listen({ host: config.http.host, port: config.http.port });
  } catch (error) {
    const line = listenFailure(error, config.http);
    if (!line) throw error;
    process.stderr.write(`${line}\n`);
    await app.close();
    await container.close();
    await database.close();
    process.exit(1);
  }
  // Partners' webhooks go out from every instance; each delivery is leased, so none is sent twice at once.
  const { leadership } = container;
  const webhookWorker = new WebhookWorker(
    database.db,
    container.services.webhooks,
    logger,
    { ...DEFAULT_WEBHOOK_SETTINGS, ...config.webhooks },
    Date.now,
    () => leadership.isLeader,
  );
  webhookWorker.start();
  // The periodic jobs run on one instance: the leader (db/leadership.ts), and move to another when it goes.
  const periodic = new LeaderJobs(leadership, leaderJobs(config, database, container, logger), logger);
  await leadership.start();
  await periodic.start();
  logger.info({ database: database.dialect, docs: '/docs' }, 'cloud ready');
  announce(
    config.http,
    firstAdmin?.generatedPassword ? { ...firstAdmin, password: firstAdmin.generatedPassword } : undefined,
  );

  closeWithGrace({ delay: 10_000, logger }, async ({ signal, err }) => {
    if (err) logger.fatal({ err }, 'shutting down after an unexpected error');
    else logger.info({ signal }, 'shutting down');
    await app.close();
    await periodic.stop();
    await webhookWorker.stop();
    await container.close();
    await database.close();
  });
}

await main();
