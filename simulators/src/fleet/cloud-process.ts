/**
 * The real cloud as a child process, for the fleet's test and benchmark: `node --import tsx cloud/src/main.ts` on
 * free 127.0.0.1 ports (HTTP and the embedded broker; no WebSocket listener), a fresh SQLite file in a temp
 * directory, and a first administrator from the environment. The fleet then meets the cloud only over HTTP and
 * MQTT, as real gates and operators do.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export const CLOUD_ADMIN = { username: 'fleet_admin', password: 'fleet-password-1234' } as const;

export interface CloudProcess {
  readonly url: string;
  readonly brokerUrl: string;
  /** The SQLite file the cloud writes; readable alongside it (WAL). */
  readonly databaseFile: string;
  readonly child: ChildProcess;
  readonly stderr: () => string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts the cloud and resolves once /healthz answers (at most `startTimeoutMs`). */
export async function startCloudProcess(
  options: { env?: Record<string, string>; startTimeoutMs?: number } = {},
): Promise<CloudProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-cloud-'));
  const databaseFile = join(dir, 'cloud.db');
  const port = await freePort();
  const mqttPort = await freePort();
  // node with tsx's loader, not the tsx CLI: a signal to the CLI would leave the server running as a grandchild.
  // FLEET_CLOUD_CPU_PROF_DIR: a V8 CPU profile of the cloud, written on its clean exit, to see where its time goes.
  const profileDir = process.env.FLEET_CLOUD_CPU_PROF_DIR;
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = spawn(
    process.execPath,
    [...profile, '--import', 'tsx', join(repoRoot, 'cloud/src/main.ts')],
    {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        HOST: '127.0.0.1',
        PORT: String(port),
        MQTT_HOST: '127.0.0.1',
        MQTT_PORT: String(mqttPort),
        MQTT_WS_PORT: 'off',
        DATABASE_URL: `sqlite:${databaseFile}`,
        LOG_LEVEL: 'warn',
        ADMIN_USERNAME: CLOUD_ADMIN.username,
        ADMIN_PASSWORD: CLOUD_ADMIN.password,
        LOGIN_RATE_LIMIT_PER_MINUTE: '10000',
        CREDENTIAL_SECRET: randomBytes(32).toString('base64'),
        ...options.env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    // Keep the tail only: a long run at warn level must not grow without bound.
    stderr = (stderr + chunk).slice(-20_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      cleanup();
      throw new Error(`cloud exited during start-up: ${stderr}`);
    }
    try {
      if ((await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) })).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await exited;
      cleanup();
      throw new Error(`cloud did not start within ${options.startTimeoutMs ?? 60_000} ms: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    brokerUrl: `mqtt://127.0.0.1:${mqttPort}`,
    databaseFile,
    child,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        // The cloud drains for up to 10 s on SIGTERM; past that it is killed so the caller is never stuck.
        const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(killer);
      }
      cleanup();
    },
  };
}
