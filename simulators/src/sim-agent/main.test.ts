import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { GateStore } from '@scenic/gate-agent';
import { cloudClient, TestBroker } from '@scenic/testkit/mqtt-broker';
import { afterEach, expect, it } from 'vitest';
import { adultQr, simConfig } from '../gate-sim/testing.js';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Agent {
  readonly child: ChildProcess;
  /** Resolves with the first log line (parsed) that matches. */
  waitForLog(predicate: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  readonly exited: Promise<number | null>;
}

function spawnAgent(configPath: string): Agent {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'start', '--config', configPath], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines: Record<string, unknown>[] = [];
  const waiters: {
    predicate: (l: Record<string, unknown>) => boolean;
    resolve: (l: Record<string, unknown>) => void;
  }[] = [];
  createInterface({ input: child.stdout! }).on('line', (text) => {
    const line = JSON.parse(text) as Record<string, unknown>;
    lines.push(line);
    for (const w of [...waiters]) {
      if (w.predicate(line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return {
    child,
    exited,
    waitForLog(predicate) {
      const seen = lines.find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ predicate, resolve }));
    },
  };
}

it('delivers exactly once a passage admitted just before the agent was killed -9', async () => {
  const broker = new TestBroker();
  await broker.start();
  cleanups.push(() => broker.stop());
  const dir = mkdtempSync(join(tmpdir(), 'gate-crash-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  // The gate was configured earlier; now it cannot reach the broker.
  const seed = new GateStore(join(dir, 'data', 'gate.db'));
  seed.saveConfig(simConfig('G01'));
  seed.close();
  broker.blocked.add('sg-park-G01');
  const configPath = join(dir, 'gate.json');
  writeFileSync(
    configPath,
    JSON.stringify({
      siteId: 'park',
      gateId: 'G01',
      direction: 'in',
      broker: { url: broker.url, reconnectMs: 100, maxReconnectMs: 200 },
      dataDir: 'data',
      voice: false,
      drivers: { kind: 'virtual', autoPassAfterMs: 10 },
    }),
  );
  const cloud = await cloudClient(broker.url, 'sg/v1/park/gate/G01/#');
  cleanups.push(() => cloud.client.endAsync());

  const first = spawnAgent(configPath);
  await first.waitForLog((l) => l.msg === 'gate agent started');
  first.child.stdin!.write(`${adultQr(4242)}\n`);
  const admitted = await first.waitForLog((l) => l.msg === 'scan admitted');
  expect(admitted).toMatchObject({ ticketId: 4242, passed: true, decidedOffline: true });
  first.child.kill('SIGKILL');
  await first.exited;

  const store = new GateStore(join(dir, 'data', 'gate.db'), { readonly: true });
  const [pending] = store.outbox.pendingAfter(0, 10);
  expect(store.outbox.depth()).toBe(1);
  store.close();

  broker.blocked.clear();
  const second = spawnAgent(configPath);
  const passages = () => cloud.received.filter((r) => r.json.type === 'passage');
  await expect.poll(passages, { timeout: 15_000 }).toHaveLength(1);
  expect(passages()[0]!.json).toMatchObject({ eventId: pending!.eventId, ticketId: 4242 });

  second.child.kill('SIGTERM');
  expect(await second.exited).toBe(0);
  expect(passages()).toHaveLength(1);
  const states = cloud.received.filter((r) => r.json.type === 'gate_state');
  expect(states.at(-1)!.json).toMatchObject({ online: false, mode: 'normal' });
  const after = new GateStore(join(dir, 'data', 'gate.db'), { readonly: true });
  expect(after.outbox.depth()).toBe(0);
  after.close();
}, 60_000);
