import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { runCli } from './cli.js';
import { testConfig } from './core/testing.js';
import { GateStore } from './store/gate-store.js';
import { testRecord } from './store/testing.js';
import { writeAgentConfig } from './testing.js';

const dir = mkdtempSync(join(tmpdir(), 'gate-cli-'));
afterEach(() => {
  vi.restoreAllMocks();
});

const configFile = (drivers?: object) => writeAgentConfig(dir, drivers);

it('status reports what the local store holds', async () => {
  const store = new GateStore(join(dir, 'data', 'gate.db'));
  store.saveConfig(testConfig({ version: 4 }));
  store.whitelist.beginSnapshot();
  store.whitelist.stageSnapshotChunk([testRecord(1), testRecord(2)]);
  store.whitelist.commitSnapshot(12, Date.UTC(2026, 0, 1));
  store.close();
  const out: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((line: string) => out.push(line));
  expect(await runCli(['status', '--config', configFile(), '--json'])).toBe(0);
  expect(JSON.parse(out[0]!)).toEqual({
    siteId: 'park',
    gateId: 'G01',
    mode: 'normal',
    denyUnauthorized: null,
    configVersion: 4,
    whitelistVersion: 12,
    whitelistRecords: 2,
    outboxDepth: 0,
    lastSync: '2026-01-01T00:00:00.000Z',
  });
});

it('refuses to start a config with virtual drivers itself, naming the simulators command, and exits 2', async () => {
  const errors: string[] = [];
  vi.spyOn(console, 'error').mockImplementation((line: string) => errors.push(line));
  expect(await runCli(['start', '--config', configFile()])).toBe(2);
  expect(await runCli(['test-hardware', '--config', configFile()])).toBe(2);
  expect(errors.join('\n')).toMatch(/npm run sim-agent -- start --config[\s\S]*sim-agent -- test-hardware/);
});

it('explains a bad command line or config and exits 2', async () => {
  const errors: string[] = [];
  vi.spyOn(console, 'error').mockImplementation((line: string) => errors.push(line));
  expect(await runCli(['start'])).toBe(2);
  expect(await runCli(['start', '--config', configFile({ kind: 'laser' })])).toBe(2);
  expect(errors.join('\n')).toMatch(/usage: gate-agent[\s\S]*drivers\.kind/);
  rmSync(dir, { recursive: true, force: true });
});
