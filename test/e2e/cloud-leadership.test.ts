/**
 * The periodic jobs run on one cloud instance (cloud/src/db/leadership.ts), with real processes: two clouds on one
 * PostgreSQL schema, each telling in /healthz whether it leads; exactly one does, and when it is killed with
 * SIGKILL (no chance to step down) the survivor takes the jobs over within 10 s. On SQLite the one cloud leads.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseBackends, type TestDatabase } from '@scenic/cloud/testing';
import { type CloudChild, spawnCloud } from '@scenic/testkit/cloud-process';
import { eventually } from '@scenic/testkit/eventually';
import { freePort } from '@scenic/testkit/free-port';
import { afterEach, describe, expect, it } from 'vitest';

const secret = randomBytes(32).toString('base64');

async function leads(cloud: CloudChild): Promise<boolean> {
  const response = await fetch(`${cloud.url}/healthz`, { signal: AbortSignal.timeout(2_000) });
  expect(response.status).toBe(200);
  return ((await response.json()) as { leader: boolean }).leader;
}

describe.each(databaseBackends())('the periodic jobs’ leader among cloud processes on $name', (backend) => {
  let test: TestDatabase | undefined;
  let dir: string | undefined;
  const clouds: CloudChild[] = [];
  afterEach(async () => {
    for (const cloud of clouds.splice(0)) await cloud.stop();
    await test?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function start(): Promise<CloudChild> {
    test ??= await backend.create();
    dir ??= mkdtempSync(join(tmpdir(), 'cloud-leadership-'));
    const cloud = await spawnCloud({
      env: {
        DATABASE_URL: test.url,
        MQTT_PORT: String(await freePort()),
        AUDIT_ANCHOR_FILE: join(dir, `anchors-${clouds.length}.jsonl`),
        BACKUP_DIR: join(dir, `backups-${clouds.length}`),
        CREDENTIAL_SECRET: secret,
        ADMIN_USERNAME: 'lead_admin',
        ADMIN_PASSWORD: 'lead-password-1234',
      },
    });
    clouds.push(cloud);
    return cloud;
  }

  if (backend.name === 'sqlite')
    it('the one cloud on a database file leads', async () => {
      expect(await leads(await start())).toBe(true);
    }, 60_000);

  if (backend.name === 'postgres')
    it('two clouds on one schema: one leads; the survivor of a kill -9 leads within 10 s', async () => {
      // One after the other: the first creates the first administrator, the second finds it.
      const first = await start();
      const second = await start();
      const both = async () => [await leads(first), await leads(second)];
      expect(await both()).toEqual([true, false]);
      // Still one leader after several of the follower's tries (every 2 s).
      await new Promise((resolve) => setTimeout(resolve, 4_500));
      expect(await both()).toEqual([true, false]);

      first.child.kill('SIGKILL');
      await first.exited;
      const killedAt = Date.now();
      await eventually(async () => ((await leads(second)) ? true : undefined), 10_000);
      expect(Date.now() - killedAt).toBeLessThanOrEqual(10_000);
    }, 90_000);
});
