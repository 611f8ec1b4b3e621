import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { SILENT_LOG } from './core/testing.js';
import { type ServiceNotifier, startServiceNotifier } from './service-notify.js';

const dir = mkdtempSync(join(tmpdir(), 'sd-notify-'));
const calls = join(dir, 'calls');
// Stands in for systemd-notify: records its arguments and the socket it was given, one line per call.
const fake = join(dir, 'systemd-notify');
writeFileSync(fake, `#!/bin/sh\necho "$NOTIFY_SOCKET $*" >> ${calls}\n`);
chmodSync(fake, 0o755);

const notifiers: ServiceNotifier[] = [];
afterEach(() => {
  for (const n of notifiers.splice(0)) n.close();
  rmSync(calls, { force: true });
});

const lines = () => {
  try {
    return readFileSync(calls, 'utf8').trim().split('\n');
  } catch {
    return [];
  }
};

it('does nothing outside systemd', () => {
  expect(startServiceNotifier({ env: {}, log: SILENT_LOG, healthy: () => true, command: fake })).toBeNull();
});

it('reports ready, pings the watchdog at half its period while healthy, and says when it stops', async () => {
  let healthy = true;
  const n = startServiceNotifier({
    env: { NOTIFY_SOCKET: '/run/test.sock', WATCHDOG_USEC: '400000', PATH: process.env.PATH },
    log: SILENT_LOG,
    healthy: () => healthy,
    command: fake,
  })!;
  notifiers.push(n);
  n.ready('mode normal');
  await expect.poll(lines).toContain('/run/test.sock --ready --status=mode normal');
  await expect.poll(() => lines().filter((l) => l.endsWith('WATCHDOG=1')).length).toBeGreaterThanOrEqual(2);
  healthy = false;
  await new Promise((resolve) => setTimeout(resolve, 300));
  const pings = lines().filter((l) => l.endsWith('WATCHDOG=1')).length;
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(lines().filter((l) => l.endsWith('WATCHDOG=1')).length).toBe(pings);
  n.stopping();
  await expect.poll(lines).toContain('/run/test.sock STOPPING=1');
});

it('leaves the watchdog alone when it is meant for another process', async () => {
  const n = startServiceNotifier({
    env: { NOTIFY_SOCKET: '/run/test.sock', WATCHDOG_USEC: '200000', WATCHDOG_PID: '1' },
    log: SILENT_LOG,
    healthy: () => true,
    command: fake,
  })!;
  notifiers.push(n);
  await new Promise((resolve) => setTimeout(resolve, 400));
  expect(lines()).toEqual([]);
});
