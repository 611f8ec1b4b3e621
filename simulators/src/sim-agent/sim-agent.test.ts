import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DriverError } from '@scenic/gate-agent';
import { writeAgentConfig } from '@scenic/gate-agent/testing';
import { afterAll, afterEach, expect, it, vi } from 'vitest';
import { VirtualLed, VirtualRecycler } from '../drivers/index.js';
import { runSimAgent } from './main.js';

const dir = mkdtempSync(join(tmpdir(), 'sim-agent-'));
afterEach(() => {
  vi.restoreAllMocks();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const configFile = (drivers?: object) => writeAgentConfig(dir, drivers);

it('test-hardware exercises every virtual device', async () => {
  const out: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((line: string) => out.push(line));
  expect(await runSimAgent(['test-hardware', '--config', configFile(), '--wait-ms', '2000'])).toBe(0);
  const text = out.join('\n');
  expect(text).toMatch(/scanned: 407182539616[\s\S]*card: 04A2B3C4D5E6F7[\s\S]*passage: in/);
  for (const step of [
    'relay entry',
    'relay exit',
    'relay alarm',
    'LED',
    'voice',
    'scanner',
    'card reader',
    'passage in',
    'passage out',
    'recycler swallow',
    'recycler eject',
  ]) {
    expect(text).toMatch(new RegExp(`^${step} +PASS`, 'm'));
  }
  expect(text).toContain('all checks passed');
});

it('test-hardware fails the steps nobody completed and says so in the table', async () => {
  const out: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((line: string) => out.push(line));
  // No virtual visitor walks through: both passage checks time out.
  const config = configFile({ kind: 'virtual', autoPassAfterMs: 60_000 });
  expect(await runSimAgent(['test-hardware', '--config', config, '--wait-ms', '300'])).toBe(1);
  const text = out.join('\n');
  expect(text).toMatch(/^passage in +FAIL +timed out/m);
  expect(text).toMatch(/^passage out +FAIL +timed out/m);
  expect(text).toMatch(/^recycler eject +PASS/m);
  expect(text).toContain('2 check(s) failed');
});

it('test-hardware lists devices that could not be started as failed rows and skips their steps', async () => {
  const out: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((line: string) => out.push(line));
  vi.spyOn(VirtualLed.prototype, 'start').mockRejectedValue(
    new DriverError('SERIAL_IO', 'cannot open /dev/ttyS1'),
  );
  vi.spyOn(VirtualRecycler.prototype, 'start').mockRejectedValue(new DriverError('GPIO_IO', 'line 13 busy'));
  expect(await runSimAgent(['test-hardware', '--config', configFile(), '--wait-ms', '2000'])).toBe(1);
  const text = out.join('\n');
  expect(text).toContain('  FAILED: not started: SERIAL_IO cannot open /dev/ttyS1');
  expect(text).toMatch(/^LED +FAIL +not started: SERIAL_IO cannot open \/dev\/ttyS1$/m);
  expect(text).toMatch(/^recycler +FAIL +not started: GPIO_IO line 13 busy$/m);
  expect(text).not.toMatch(/^recycler (swallow|eject)/m);
  // Everything else was still exercised.
  expect(text).toMatch(/^passage out +PASS/m);
  expect(text).toMatch(/^voice +PASS/m);
  expect(text).toContain('2 check(s) failed');
});
