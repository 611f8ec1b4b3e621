import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeMessage } from '@scenic/protocol';
import { cloudClient, TestBroker } from '@scenic/testkit/mqtt-broker';
import { afterEach, expect, it } from 'vitest';
import { GateCore, type ScanOutcome } from '../core/gate-core.js';
import { SILENT_LOG, testConfig, testQr } from '../core/testing.js';
import { startGateHardware, stopGateHardware } from '../drivers/index.js';
import { fakeHardware } from '../drivers/testing.js';
import { GateStore } from '../store/gate-store.js';
import { GateLink } from './gate-link.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

it('keeps admitting while the broker is down, then delivers every event once, in order', async () => {
  const broker = new TestBroker();
  await broker.start();
  cleanups.push(() => broker.stop());
  const dir = mkdtempSync(join(tmpdir(), 'gate-offline-'));
  const store = new GateStore(join(dir, 'gate.db'));
  const gate = fakeHardware({ autoPassAfterMs: 5 });
  await startGateHardware(gate.hardware);
  const core = new GateCore({
    hardware: gate.hardware,
    store,
    siteId: 'park',
    gateId: 'G01',
    scanDirection: 'in',
    log: SILENT_LOG,
  });
  await core.start();
  const cloud = await cloudClient(broker.url, 'sg/v1/park/gate/G01/#');
  const link = new GateLink({
    url: broker.url,
    siteId: 'park',
    gateId: 'G01',
    firmware: 'test',
    store,
    core,
    log: SILENT_LOG,
    reconnectMs: 50,
    maxReconnectMs: 200,
  });
  link.start();
  cleanups.push(async () => {
    await link.stop();
    await core.stop();
    await stopGateHardware(gate.hardware);
    await cloud.client.endAsync();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  await cloud.client.publishAsync('sg/v1/park/gate/G01/config', encodeMessage(testConfig()), {
    qos: 1,
    retain: true,
  });
  await expect.poll(() => core.status.configVersion).toBe(1);

  await broker.stop();
  await expect.poll(() => link.connected).toBe(false);
  const outcomes: ScanOutcome[] = [];
  core.on('outcome', (o) => outcomes.push(o));
  const codes = [1, 2, 3, 4, 5].map((ticketId) => testQr({ ticketId }));
  const forged = `${codes[0]!.slice(0, 60)}${codes[0]![60] === 'A' ? 'B' : 'A'}${codes[0]!.slice(61)}`;
  for (const code of [...codes, forged]) {
    // A new release only starts the virtual visitor once the previous one has closed.
    await expect.poll(() => gate.relays.entry.state).toBe(false);
    const done = new Promise((resolve) => core.once('outcome', resolve));
    gate.scanner.scan(code);
    await done;
  }
  expect(outcomes.map((o) => o.reason)).toEqual(['OK', 'OK', 'OK', 'OK', 'OK', 'BAD_SIGNATURE']);
  const queued = store.outbox.pendingAfter(0, 100).map((e) => e.eventId);
  expect(queued).toHaveLength(6);

  // Back up, but the gate may only reconnect once the cloud listens again.
  broker.blocked.add('sg-park-G01');
  await broker.start();
  await expect.poll(() => cloud.client.connected, { timeout: 5_000 }).toBe(true);
  await cloud.client.subscribeAsync('sg/v1/park/gate/G01/#', { qos: 1 });
  broker.blocked.clear();

  await expect.poll(() => store.outbox.depth(), { timeout: 10_000 }).toBe(0);
  const delivered = () =>
    cloud.received
      .filter((r) => r.json.type === 'passage' || r.json.type === 'denial')
      .map((r) => r.json.eventId);
  await expect.poll(() => delivered().length).toBeGreaterThanOrEqual(6);
  // Give a duplicate time to show up before asserting there is none.
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(delivered()).toEqual(queued);
  expect(
    cloud.received.filter((r) => r.json.type === 'passage').every((r) => r.json.decidedOffline === true),
  ).toBe(true);
});
