import { mkdtempSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeMessage, type MessageInput } from '@scenic/protocol';
import { cloudClient, type Received, TestBroker } from '@scenic/testkit/mqtt-broker';
import { serviceUrl } from '@scenic/testkit/services';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GateCore } from '../core/gate-core.js';
import { SILENT_LOG, testConfig } from '../core/testing.js';
import { startGateHardware, stopGateHardware } from '../drivers/index.js';
import { fakeHardware } from '../drivers/testing.js';
import { GateStore } from '../store/gate-store.js';
import { testRecord } from '../store/testing.js';
import { GateLink } from './gate-link.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

let gateCounter = 0;

/** A gate with a fresh id per test, so a shared broker's retained messages and sessions never leak between tests. */
async function setup(url: string) {
  const gateId = `G${++gateCounter}-${process.pid}-${Date.now() % 100_000}`;
  const dir = mkdtempSync(join(tmpdir(), 'gate-link-'));
  const store = new GateStore(join(dir, 'gate.db'));
  const gate = fakeHardware({ autoPassAfterMs: 5 });
  await startGateHardware(gate.hardware);
  const linkRef: { link?: GateLink } = {};
  const core = new GateCore({
    hardware: gate.hardware,
    store,
    siteId: 'park',
    gateId,
    scanDirection: 'in',
    log: SILENT_LOG,
    online: { validate: (...args) => linkRef.link!.validator.validate(...args) },
  });
  await core.start();
  const cloud = await cloudClient(url, `sg/v1/park/gate/${gateId}/#`);
  const link = new GateLink({
    url,
    siteId: 'park',
    gateId,
    firmware: 'test',
    store,
    core,
    log: SILENT_LOG,
    reconnectMs: 50,
    maxReconnectMs: 200,
    heartbeatMs: 100,
    snapshotTimeoutMs: 300,
  });
  linkRef.link = link;
  link.start();
  cleanups.push(async () => {
    await link.stop();
    await core.stop();
    await stopGateHardware(gate.hardware);
    await cloud.client.endAsync();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const publish = (channel: string, message: MessageInput | string | Buffer, retain = false) =>
    cloud.client.publishAsync(
      channel.startsWith('site/') ? `sg/v1/park/${channel}` : `sg/v1/park/gate/${gateId}/${channel}`,
      typeof message === 'string' || Buffer.isBuffer(message) ? message : encodeMessage(message),
      { qos: 1, retain },
    );
  const of = (type: string) => cloud.received.filter((r) => r.json.type === type);
  const waitFor = async (type: string, predicate: (r: Received) => boolean = () => true) => {
    await expect.poll(() => of(type).find(predicate), { timeout: 5_000 }).toBeDefined();
    return of(type).find(predicate)!;
  };
  const config = (fields: Parameters<typeof testConfig>[0] = {}) => testConfig({ gateId, ...fields });
  cleanups.push(async () => {
    // Clear the retained config so a shared broker does not keep it.
    await cloud.client.publishAsync(`sg/v1/park/gate/${gateId}/config`, '', { qos: 1, retain: true });
  });
  return { gateId, store, gate, core, link, cloud, publish, of, waitFor, config };
}

function command(commandId: string, action: object, expiresAt = Date.now() + 60_000) {
  return { type: 'command', v: 1, commandId, issuedAt: Date.now() - 1000, expiresAt, action } as MessageInput;
}

function snapshot(version: number, chunk: number, chunks: number, ids: number[]): MessageInput {
  return {
    type: 'whitelist_snapshot',
    v: 1,
    snapshotId: `snap-${version}`,
    version,
    chunk,
    chunks,
    records: ids.map((id) => testRecord(id)),
  };
}

function delta(from: number, ids: number[]): MessageInput {
  return {
    type: 'whitelist_delta',
    v: 1,
    fromVersion: from,
    toVersion: from + 1,
    upserts: ids.map((id) => testRecord(id)),
    removals: [],
  };
}

function suite(name: string, brokerUrl: () => Promise<string>) {
  describe(name, () => {
    it('announces itself, applies the retained config and asks for the whitelist', async () => {
      const url = await brokerUrl();
      const t = await setup(url);
      const online = await t.waitFor('gate_state', (r) => r.json.online === true);
      expect(online).toMatchObject({
        topic: `sg/v1/park/gate/${t.gateId}/state`,
        json: { mode: 'locked', configVersion: null },
      });
      // Retained: a client subscribing later (the cloud after a restart) learns the state at once.
      const late = await cloudClient(url, `sg/v1/park/gate/${t.gateId}/state`);
      await expect.poll(() => late.received[0]).toMatchObject({ retain: true, json: { online: true } });
      await late.client.endAsync();
      expect((await t.waitFor('sync_request')).json).toMatchObject({ reason: 'boot', haveVersion: 0 });
      await t.publish('config', t.config(), true);
      await t.waitFor('gate_state', (r) => r.json.configVersion === 1 && r.json.mode === 'normal');
      // An older or equal version changes nothing.
      await t.publish('config', t.config({ defaultMode: 'always_closed' }), true);
      await t.publish('cmd', command('c-probe', { kind: 'deny_unauthorized', on: true }));
      await t.waitFor('command_ack', (r) => r.json.commandId === 'c-probe');
      expect(t.core.status.mode).toBe('normal');
    });

    it('acks commands once, repeats the first ack for duplicates and rejects expired ones', async () => {
      const t = await setup(await brokerUrl());
      await t.publish('config', t.config(), true);
      await t.waitFor('gate_state', (r) => r.json.configVersion === 1);
      await t.publish('cmd', command('c-1', { kind: 'emergency_open' }));
      const first = await t.waitFor('command_ack', (r) => r.json.commandId === 'c-1');
      expect(first.json).toMatchObject({ result: 'ok', reason: null, gateId: t.gateId });
      await t.waitFor('gate_state', (r) => r.json.mode === 'emergency_open');
      expect(t.gate.relays.exit.state).toBe(true);
      await t.publish('cmd', command('c-2', { kind: 'normal' }));
      await t.waitFor('command_ack', (r) => r.json.commandId === 'c-2');
      await t.publish('cmd', command('c-1', { kind: 'emergency_open' }));
      await expect.poll(() => t.of('command_ack').filter((r) => r.json.commandId === 'c-1').length).toBe(2);
      const acks = t.of('command_ack').filter((r) => r.json.commandId === 'c-1');
      expect(acks[1]!.json).toEqual(first.json);
      expect(t.core.status.mode).toBe('normal');

      await t.publish('cmd', command('c-3', { kind: 'lock' }, Date.now() - 1));
      const expired = await t.waitFor('command_ack', (r) => r.json.commandId === 'c-3');
      expect(expired.json).toMatchObject({ result: 'rejected', reason: 'expired' });
      expect(t.core.status.mode).toBe('normal');

      const site = (commandId: string, target: object) => ({
        type: 'site_command',
        v: 1,
        commandId,
        issuedAt: Date.now() - 1000,
        expiresAt: Date.now() + 60_000,
        target,
        action: { kind: 'always_closed' },
      });
      await t.publish('site/cmd', site('s-1', { zoneIds: ['south'] }) as MessageInput);
      await t.publish('site/cmd', site('s-2', { zoneIds: ['north'] }) as MessageInput);
      await t.waitFor('command_ack', (r) => r.json.commandId === 's-2');
      expect(t.of('command_ack').some((r) => r.json.commandId === 's-1')).toBe(false);
      expect(t.core.status.mode).toBe('always_closed');
    });

    it('ignores bad, oversized and unknown messages and keeps working', async () => {
      const t = await setup(await brokerUrl());
      await t.waitFor('gate_state');
      await t.publish('cmd', '{not json');
      await t.publish('cmd', Buffer.alloc(5000, 0x20));
      await t.publish('cmd', JSON.stringify({ type: 'gate_config', v: 1 }));
      await t.publish('cmd', JSON.stringify({ type: 'command', v: 1, commandId: 'x' }));
      await t.publish('whitelist', Buffer.from([0xff, 0xfe, 0x00]));
      await t.publish('config', { ...t.config(), gateId: 'G99' } as MessageInput);
      await t.publish('cmd', command('c-ok', { kind: 'deny_unauthorized', on: false }));
      await t.waitFor('command_ack', (r) => r.json.commandId === 'c-ok');
      expect(t.of('command_ack')).toHaveLength(1);
      expect(t.core.status).toMatchObject({ configVersion: null, denyUnauthorized: false });
    });

    it('collects a chunked snapshot, applies deltas and asks again after a gap', async () => {
      const t = await setup(await brokerUrl());
      await t.waitFor('sync_request');
      await t.publish('whitelist', snapshot(5, 1, 2, [3, 4]));
      await t.publish('whitelist', snapshot(5, 0, 2, [1, 2]));
      await expect.poll(() => t.store.whitelist.version()).toBe(5);
      expect(t.store.whitelist.count()).toBe(4);
      await t.publish('site/whitelist', delta(5, [10]));
      await expect.poll(() => t.store.whitelist.version()).toBe(6);
      await t.publish('site/whitelist', delta(7, [12]));
      const gap = await t.waitFor('sync_request', (r) => r.json.reason === 'gap');
      expect(gap.json).toMatchObject({ haveVersion: 6, full: false, gateId: t.gateId });
      expect(t.store.whitelist.version()).toBe(6);
      await t.publish('whitelist', delta(6, [11]));
      await expect.poll(() => t.store.whitelist.version()).toBe(8);
      expect(t.store.whitelist.byTicketId(12)).not.toBeNull();
    });

    it('sends heartbeats with counters and outbox depth, and asks again when a snapshot stalls', async () => {
      const t = await setup(await brokerUrl());
      await t.publish('config', t.config(), true);
      await t.waitFor('gate_state', (r) => r.json.configVersion === 1);
      t.gate.scanner.scan('garbage');
      const beat = await t.waitFor('heartbeat', (r) => (r.json.counters as { scans: number }).scans === 1);
      expect(beat.json).toMatchObject({ counters: { scans: 1, admits: 0, denies: 1 }, configVersion: 1 });
      expect(beat.json.outboxDepth).toBeTypeOf('number');
      await t.publish('whitelist', snapshot(9, 0, 2, [1]));
      const again = await t.waitFor('sync_request', (r) => r.json.reason === 'snapshot_timeout');
      expect(again.json).toMatchObject({ full: true, haveVersion: 0 });
      expect(t.store.whitelist.count()).toBe(0);
    });

    it('reports degraded devices in its state and heartbeat, and leaves the field out when all work', async () => {
      const t = await setup(await brokerUrl());
      await t.waitFor('gate_state', (r) => r.json.online === true);
      expect(t.of('gate_state').at(-1)!.json).not.toHaveProperty('degraded');
      t.core.setDegraded([{ role: 'led' }, { role: 'recycler' }]);
      await t.waitFor('gate_state', (r) => Array.isArray(r.json.degraded));
      expect(t.of('gate_state').at(-1)!.json.degraded).toEqual(['led', 'recycler']);
      const beat = await t.waitFor('heartbeat', (r) => Array.isArray(r.json.degraded));
      expect(beat.json.degraded).toEqual(['led', 'recycler']);
      const published = t.of('gate_state').length;
      t.core.setDegraded([]);
      await expect.poll(() => t.of('gate_state').length).toBeGreaterThan(published);
      expect(t.of('gate_state').at(-1)!.json).not.toHaveProperty('degraded');
    });

    it('validates a count card online and reports the correlation id with the passage', async () => {
      const t = await setup(await brokerUrl());
      await t.publish('config', t.config({ onlineValidation: { enabled: true, deadlineMs: 2000 } }), true);
      await t.waitFor('gate_state', (r) => r.json.configVersion === 1);
      t.store.whitelist.refreshRecord(
        testRecord(5, { typeId: 3, barcode: '407182539616', entriesTotal: 10 }),
      );
      t.cloud.client.on('message', (_topic, payload) => {
        if (!payload.toString().includes('validate_request')) return;
        const request = JSON.parse(payload.toString());
        void t.publish('validate/res', {
          type: 'validate_response',
          v: 1,
          correlationId: request.correlationId,
          decision: 'admit',
          reason: 'OK',
          entriesLeft: 4,
          record: testRecord(5, { typeId: 3, barcode: '407182539616', entriesTotal: 10, entriesUsed: 5 }),
        });
      });
      t.gate.scanner.scan('407182539616');
      const passage = await t.waitFor('passage');
      const request = t.of('validate_request')[0]!;
      expect(passage.json).toMatchObject({ ticketId: 5, entriesLeft: 4, decidedOffline: false });
      expect(passage.json.correlationId).toBe(request.json.correlationId);
      await expect.poll(() => t.store.outbox.depth()).toBe(0);
    });

    it('asks once more with the same correlation id when the first request goes unanswered', async () => {
      const t = await setup(await brokerUrl());
      await t.publish('config', t.config({ onlineValidation: { enabled: true, deadlineMs: 2000 } }), true);
      await t.waitFor('gate_state', (r) => r.json.configVersion === 1);
      t.store.whitelist.refreshRecord(
        testRecord(5, { typeId: 3, barcode: '407182539616', entriesTotal: 10 }),
      );
      let asked = 0;
      t.cloud.client.on('message', (_topic, payload) => {
        if (!payload.toString().includes('validate_request')) return;
        // The first request is lost on its way; the repeat is answered.
        if (++asked === 1) return;
        const request = JSON.parse(payload.toString());
        void t.publish('validate/res', {
          type: 'validate_response',
          v: 1,
          correlationId: request.correlationId,
          decision: 'admit',
          reason: 'OK',
          entriesLeft: 3,
          record: testRecord(5, { typeId: 3, barcode: '407182539616', entriesTotal: 10, entriesUsed: 6 }),
        });
      });
      t.gate.scanner.scan('407182539616');
      const passage = await t.waitFor('passage');
      const requests = t.of('validate_request');
      expect(requests).toHaveLength(2);
      expect(requests[1]!.json).toEqual(requests[0]!.json);
      expect(passage.json).toMatchObject({ ticketId: 5, entriesLeft: 3, decidedOffline: false });
      expect(passage.json.correlationId).toBe(requests[0]!.json.correlationId);
    });
  });
}

suite('link with an in-process aedes broker', async () => {
  const broker = new TestBroker();
  await broker.start();
  cleanups.push(() => broker.stop());
  return broker.url;
});

describe('availability', () => {
  it('leaves a retained offline state as its will when the connection drops, and comes back online', async () => {
    const own = new TestBroker();
    await own.start();
    cleanups.push(() => own.stop());
    const t = await setup(own.url);
    await t.waitFor('gate_state', (r) => r.json.online === true);
    own.dropClient(`sg-park-${t.gateId}`);
    const will = await t.waitFor('gate_state', (r) => r.json.online === false);
    expect(will.json.since).toBeNull();
    await expect.poll(() => t.of('gate_state').filter((r) => r.json.online === true).length).toBe(2);
  });

  it('keeps trying after a refused login, and comes online once the broker lets it in', async () => {
    const own = new TestBroker();
    await own.start();
    cleanups.push(() => own.stop());
    const t = await setup(own.url);
    await t.waitFor('gate_state', (r) => r.json.online === true);
    // The cloud cuts a flooding gate off and answers its logins with "server unavailable" for a while.
    own.refused.set(`sg-park-${t.gateId}`, 3);
    own.dropClient(`sg-park-${t.gateId}`);
    await t.waitFor('gate_state', (r) => r.json.online === false);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(t.link.connected).toBe(false);
    own.refused.delete(`sg-park-${t.gateId}`);
    await expect.poll(() => t.link.connected, { timeout: 5_000 }).toBe(true);
  });

  it('turns Nagle off on its broker connection, so a validation request is not held behind an unacked write', async () => {
    const own = new TestBroker();
    await own.start();
    cleanups.push(() => own.stop());
    const noDelay = vi.spyOn(Socket.prototype, 'setNoDelay');
    cleanups.push(async () => noDelay.mockRestore());
    const t = await setup(own.url);
    await t.waitFor('gate_state', (r) => r.json.online === true);
    const brokerPort = Number(new URL(own.url).port);
    const toBroker = noDelay.mock.contexts.filter(
      (socket, i) => noDelay.mock.calls[i]![0] !== false && (socket as Socket).remotePort === brokerPort,
    );
    expect(toBroker.length).toBeGreaterThanOrEqual(1);
  });

  it('publishes a clean offline state on stop', async () => {
    const own = new TestBroker();
    await own.start();
    cleanups.push(() => own.stop());
    const t = await setup(own.url);
    await t.waitFor('gate_state', (r) => r.json.online === true);
    await t.link.stop();
    const offline = await t.waitFor('gate_state', (r) => r.json.online === false);
    expect(offline.json.since).not.toBeNull();
  });
});

const mosquitto = serviceUrl('TEST_MQTT_URL');
if (mosquitto) suite('link with Mosquitto', async () => mosquitto);
