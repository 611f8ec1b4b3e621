/**
 * The real cloud as a child process, for the fleet's test and benchmark (test/support/cloud-process.ts): free
 * 127.0.0.1 ports for HTTP and the embedded broker, a fresh SQLite file in a temp directory, and a first
 * administrator from the environment. The fleet then meets the cloud only over HTTP and
 * MQTT, as real gates and operators do.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CloudChild, freePort, spawnCloud } from '../../../test/support/cloud-process.js';

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

/** Starts the cloud and resolves once /healthz answers (at most `startTimeoutMs`). */
export async function startCloudProcess(
  options: { env?: Record<string, string>; startTimeoutMs?: number } = {},
): Promise<CloudProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-cloud-'));
  const databaseFile = join(dir, 'cloud.db');
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  const mqttPort = await freePort();
  let cloud: CloudChild;
  try {
    cloud = await spawnCloud({
      env: {
        MQTT_PORT: String(mqttPort),
        DATABASE_URL: `sqlite:${databaseFile}`,
        ADMIN_USERNAME: CLOUD_ADMIN.username,
        ADMIN_PASSWORD: CLOUD_ADMIN.password,
        LOGIN_RATE_LIMIT_PER_MINUTE: '10000',
        CREDENTIAL_SECRET: randomBytes(32).toString('base64'),
        ...options.env,
      },
      // FLEET_CLOUD_CPU_PROF_DIR: a V8 CPU profile of the cloud, written on its clean exit, to see where its time goes.
      cpuProfileDir: process.env.FLEET_CLOUD_CPU_PROF_DIR,
      ...(options.startTimeoutMs === undefined ? {} : { startTimeoutMs: options.startTimeoutMs }),
    });
  } catch (error) {
    cleanup();
    throw error;
  }
  return {
    url: cloud.url,
    brokerUrl: `mqtt://127.0.0.1:${mqttPort}`,
    databaseFile,
    child: cloud.child,
    stderr: cloud.stderr,
    stop: async () => {
      await cloud.stop();
      cleanup();
    },
  };
}
