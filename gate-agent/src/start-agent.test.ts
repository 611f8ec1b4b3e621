import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { type AgentConfig, agentConfigSchema } from './config.js';
import type { Log } from './core/ports.js';
import { testConfig } from './core/testing.js';
import { DriverError, type GateHardware } from './drivers/index.js';
import { fakeHardware } from './drivers/testing.js';
import { type RunningAgent, startAgent } from './main.js';
import { GateStore } from './store/gate-store.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Line {
  level: keyof Log;
  fields: Record<string, unknown>;
  message: string;
}

function recordingLog(): Log & { lines: Line[] } {
  const lines: Line[] = [];
  const at = (level: keyof Log) => (fields: object, message: string) =>
    lines.push({ level, fields: fields as Record<string, unknown>, message });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

async function start(options: { degradedRetryMs?: number; seedConfig?: boolean } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'start-agent-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  if (options.seedConfig !== false) {
    const seed = new GateStore(join(dir, 'gate.db'));
    seed.saveConfig(testConfig());
    seed.close();
  }
  const config = agentConfigSchema.parse({
    siteId: 'park',
    gateId: 'G01',
    direction: 'in',
    // Nothing listens there: the agent runs offline, which is all these tests need.
    broker: { url: 'mqtt://127.0.0.1:1', reconnectMs: 60_000 },
    dataDir: dir,
    drivers: { kind: 'virtual' },
  });
  const gate = fakeHardware({ autoPassAfterMs: 5 });
  const log = recordingLog();
  return { gate, log, config, dir, run: (hardware = gate.hardware) => run(config, log, hardware, options) };
}

async function run(
  config: AgentConfig,
  log: Log,
  hardware: GateHardware,
  options: { degradedRetryMs?: number },
): Promise<RunningAgent> {
  const agent = await startAgent(config, log, {
    hardware,
    ...(options.degradedRetryMs === undefined ? {} : { degradedRetryMs: options.degradedRetryMs }),
  });
  cleanups.push(() => agent.stop());
  return agent;
}

it('runs without an LED that cannot be started, logs it as an error, and takes it back once it starts', async () => {
  const t = await start({ degradedRetryMs: 50 });
  const ledStart = vi
    .spyOn(t.gate.led, 'start')
    .mockRejectedValue(new DriverError('SERIAL_IO', 'no /dev/ttyS1'));
  const agent = await t.run();
  expect(t.log.lines).toContainEqual(
    expect.objectContaining({
      level: 'error',
      fields: expect.objectContaining({ role: 'led', code: 'SERIAL_IO' }),
    }),
  );
  expect(agent.core.status.degraded).toEqual(['led']);
  // Still failing on the next tries: the list stays.
  await expect.poll(() => ledStart.mock.calls.length).toBeGreaterThanOrEqual(3);
  expect(agent.core.status.degraded).toEqual(['led']);
  ledStart.mockRestore(); // the cable is plugged back in
  await expect.poll(() => agent.core.status.degraded).toEqual([]);
  expect(t.gate.led.content.lines).toEqual(['欢迎光临', '请扫码或刷卡']);
  expect(t.log.lines).toContainEqual(expect.objectContaining({ level: 'info', fields: { role: 'led' } }));
  // Nothing left to retry: the device is not started again behind the lane's back.
  const again = vi.spyOn(t.gate.led, 'start');
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(again).not.toHaveBeenCalled();
});
