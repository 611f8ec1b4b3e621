import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RELAY_PULSE_MIN_MS } from '@scenic/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { loadAgentConfig } from './config.js';

const dir = mkdtempSync(join(tmpdir(), 'agent-config-'));
afterEach(() => rmSync(join(dir, 'c.json'), { force: true }));

function write(value: unknown): string {
  const path = join(dir, 'c.json');
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
}

const minimal = {
  siteId: 'park',
  gateId: 'G01',
  direction: 'in',
  broker: { url: 'mqtt://127.0.0.1:1883' },
  dataDir: 'data',
  drivers: { kind: 'virtual' },
};

describe('agent config', () => {
  it('fills defaults and resolves the data dir next to the file', () => {
    const config = loadAgentConfig(write(minimal));
    expect(config).toMatchObject({ voice: true, logLevel: 'info', dataDir: join(dir, 'data') });
    expect(config.drivers).toEqual({ kind: 'virtual', autoPassAfterMs: 500 });
  });

  it('lists every problem with its path', () => {
    const path = write({
      ...minimal,
      gateId: 'G/1',
      broker: { url: 'http://x' },
      drivers: { kind: 'hardware', relays: {} },
    });
    expect(() => loadAgentConfig(path)).toThrow(/gateId[\s\S]*broker\.url: must be an mqtt/);
    expect(() => loadAgentConfig(path)).toThrow(/drivers\.relays\.entry/);
  });

  it('holds a local relay pulse override to the same floor as the cloud config', () => {
    expect(RELAY_PULSE_MIN_MS).toBe(50);
    expect(() => loadAgentConfig(write({ ...minimal, relayPulseMs: 20 }))).toThrow(/relayPulseMs/);
    expect(() => loadAgentConfig(write({ ...minimal, relayPulseMs: RELAY_PULSE_MIN_MS - 1 }))).toThrow(
      /relayPulseMs/,
    );
    expect(loadAgentConfig(write({ ...minimal, relayPulseMs: RELAY_PULSE_MIN_MS })).relayPulseMs).toBe(50);
  });

  it('names unreadable and non-JSON files', () => {
    expect(() => loadAgentConfig(join(dir, 'missing.json'))).toThrow(/cannot read config file/);
    expect(() => loadAgentConfig(write('{ nope'))).toThrow(/not valid JSON/);
  });
});
