/**
 * The real cloud as a child process, for the fleet's test and benchmark (@scenic/testkit/cloud-process): free
 * 127.0.0.1 ports for HTTP and the embedded broker, a fresh database (a SQLite file, or a PostgreSQL schema when
 * asked for and TEST_DATABASE_URL is set; fleet-database.ts), and a first administrator from the environment. The
 * fleet then meets the cloud only over HTTP and MQTT, as real gates and operators do.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CloudChild, spawnCloud } from '@scenic/testkit/cloud-process';
import { freePort } from '@scenic/testkit/free-port';
import { createFleetDatabase, type FleetBackend, type FleetDatabase } from './fleet-database.js';

export const CLOUD_ADMIN = { username: 'fleet_admin', password: 'fleet-password-1234' } as const;

export interface CloudProcess {
  readonly url: string;
  readonly brokerUrl: string;
  /** The database the cloud writes; read what it stored with `database.openStoredEvents()`. */
  readonly database: FleetDatabase;
  readonly child: ChildProcess;
  readonly stderr: () => string;
  /** The tail of the cloud's log (warnings and errors). */
  readonly log: () => string;
  /** Stops the cloud, then deletes its database. */
  stop(): Promise<void>;
}

/** Starts the cloud on a fresh `backend` database (default SQLite); resolves once /healthz answers. */
export async function startCloudProcess(
  options: { backend?: FleetBackend; env?: Record<string, string>; startTimeoutMs?: number } = {},
): Promise<CloudProcess> {
  const database = await createFleetDatabase(options.backend ?? 'sqlite');
  // Files the cloud keeps beside its data (the audit anchors): with PostgreSQL they would otherwise go to ./data
  // of the repository, where one run's anchors would meet another's.
  const dir = mkdtempSync(join(tmpdir(), 'fleet-cloud-'));
  const cleanup = async () => {
    rmSync(dir, { recursive: true, force: true });
    await database.dispose();
  };
  const mqttPort = await freePort();
  let cloud: CloudChild;
  try {
    cloud = await spawnCloud({
      env: {
        MQTT_PORT: String(mqttPort),
        DATABASE_URL: database.url,
        AUDIT_ANCHOR_FILE: join(dir, 'audit-anchors.jsonl'),
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
    await cleanup();
    throw error;
  }
  return {
    url: cloud.url,
    brokerUrl: `mqtt://127.0.0.1:${mqttPort}`,
    database,
    child: cloud.child,
    stderr: cloud.stderr,
    log: cloud.log,
    stop: async () => {
      await cloud.stop();
      await cleanup();
    },
  };
}
