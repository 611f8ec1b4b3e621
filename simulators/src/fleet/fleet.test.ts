/**
 * Five fleet gates (the agent's GateLink each, on an in-memory store) against the real cloud process (embedded broker; SQLite, and PostgreSQL too when
 * TEST_DATABASE_URL is set): registered and given logins over the HTTP API, connected with their own client ids;
 * every event is stored exactly once even when sent twice, and a site-wide emergency open is acknowledged by all
 * five.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fleet, sleep } from './fleet.js';
import { LightGate } from './light-gate.js';
import { CloudApi, provisionFleet } from './provision.js';
import type { StoredEvents } from './stored-events.js';
import { CLOUD_ADMIN, type CloudProcess, startCloudProcess } from './testing/cloud-process.js';
import { fleetBackends } from './testing/fleet-database.js';
import { type FleetEvent, VisitorStream } from './visitors.js';

describe.each(fleetBackends())('fleet against the real cloud on %s', (backend) => {
  let cloud: CloudProcess;
  let api: CloudApi;
  let fleet: Fleet;
  let stored: StoredEvents;

  beforeAll(async () => {
    cloud = await startCloudProcess({ backend });
    api = await CloudApi.login(cloud.url, CLOUD_ADMIN.username, CLOUD_ADMIN.password);
    const logins = await provisionFleet(api, {
      siteId: 'fleet',
      zoneId: 'main',
      gates: 5,
      gatePrefix: 'T',
    });
    fleet = await Fleet.start(logins, { brokerUrl: cloud.brokerUrl });
    stored = await cloud.database.openStoredEvents();
  }, 90_000);

  afterAll(async () => {
    await stored?.close();
    await fleet?.stop();
    await cloud?.stop();
  }, 60_000);

  it('reports every gate online with its own login', async () => {
    expect(fleet.gates.map((g) => g.gateId)).toEqual(['T0001', 'T0002', 'T0003', 'T0004', 'T0005']);
    const onlineGates = async () => {
      const { items } = await api.call<{ items: { gateId: string; online: boolean; mode: string | null }[] }>(
        'GET',
        '/api/v1/gates/status?siteId=fleet',
      );
      return items.filter((s) => s.online).map((s) => s.gateId);
    };
    let online: string[] = [];
    for (let i = 0; i < 50 && online.length < 5; i++) {
      online = await onlineGates();
      if (online.length < 5) await sleep(100);
    }
    expect(online.sort()).toEqual(['T0001', 'T0002', 'T0003', 'T0004', 'T0005']);
  });

  it('tells the database server processes serving the cloud apart (none on SQLite, which runs inside it)', async () => {
    const pids = await cloud.database.serverPids();
    if (backend === 'sqlite') expect(pids).toEqual([]);
    // The cloud's pool (DATABASE_POOL_SIZE, 10 by default) has connected by now: it created the administrator.
    else expect(pids.length).toBeGreaterThanOrEqual(1);
    expect(pids.length).toBeLessThanOrEqual(10);
  });

  it('stores each event once, also when a gate sends it again', async () => {
    const sent: FleetEvent[] = [];
    await Promise.all(
      fleet.gates.map(async (gate, i) => {
        const stream = new VisitorStream(gate.gateId, { admits: 6, exits: 2, denials: 2 }, 100 + i);
        for (let n = 0; n < 20; n++) {
          const event = stream.next(Date.now());
          sent.push(event);
          await gate.publishEvent(event);
        }
      }),
    );
    // A retransmission after a lost PUBACK: the same bytes, the same event ids.
    const again = sent.filter((_, i) => i % 10 === 0);
    await Promise.all(
      again.map((event) => {
        const gate = fleet.gates.find((g) => g.gateId === event.gateId)!;
        return gate.publishEncoded(event.type, LightGate.encodeEvent(event));
      }),
    );
    for (let i = 0; i < 100 && (await stored.count('fleet')) < sent.length; i++) await sleep(100);
    await sleep(300);
    expect(await stored.count('fleet')).toBe(sent.length);
    const rows = await stored.rowsPerEvent(sent.map((e) => e.eventId));
    expect(rows.size).toBe(sent.length);
    expect([...rows.values()].every((n) => n === 1)).toBe(true);
    expect(await stored.duplicateRows()).toBe(0);
  });

  it('traffic at a set rate reaches the cloud', async () => {
    const before = await stored.count('fleet');
    const report = await fleet.runTraffic({ ratePerGate: 10, durationMs: 1_000, drainMs: 10_000 });
    expect(report.scans).toBeGreaterThanOrEqual(40);
    expect(report.acknowledged).toBe(report.scans);
    for (let i = 0; i < 100 && (await stored.count('fleet')) < before + report.scans; i++) await sleep(100);
    expect(await stored.count('fleet')).toBe(before + report.scans);
  });

  it('scans that ask the cloud first are answered, each reported with when it was asked and its round trip', async () => {
    const seen: { askedAtUs: bigint; rttMs: number; answered: boolean }[] = [];
    const askedFrom = process.hrtime.bigint() / 1000n;
    const report = await fleet.runTraffic({
      ratePerGate: 4,
      durationMs: 1_000,
      mix: { admits: 1, exits: 0, denials: 0 },
      validateShare: 1,
      drainMs: 10_000,
      onValidation: (askedAtUs, rttMs, answered) => seen.push({ askedAtUs, rttMs, answered }),
    });
    expect(report.validation.sent).toBeGreaterThanOrEqual(15);
    // Unsold ticket ids: the cloud answers every one (a refusal), long before the deadline.
    expect(report.validation.answered).toBe(report.validation.sent);
    expect(seen).toHaveLength(report.validation.sent);
    const wellFormed = seen.filter(
      (s) => s.answered && s.rttMs > 0 && s.rttMs < 800 && s.askedAtUs >= askedFrom,
    );
    expect(wellFormed).toHaveLength(seen.length);
    expect(report.denials).toBe(report.validation.sent);
  });

  it('acknowledges a site-wide emergency open on every gate, then returns to normal', async () => {
    const issued = await api.call<{ summary: { gates: number; ok: number }; status: string }>(
      'POST',
      '/api/v1/commands?wait=10000',
      { action: { kind: 'emergency_open' }, target: { kind: 'site', siteId: 'fleet' }, ttlSec: 30 },
    );
    expect(issued.summary).toMatchObject({ gates: 5, ok: 5 });
    expect(issued.status).toBe('completed');
    expect(fleet.gates.every((g) => g.currentMode === 'emergency_open')).toBe(true);
    const back = await api.call<{ summary: { ok: number } }>('POST', '/api/v1/commands?wait=10000', {
      action: { kind: 'normal' },
      target: { kind: 'site', siteId: 'fleet' },
    });
    expect(back.summary.ok).toBe(5);
    expect(fleet.gates.every((g) => g.currentMode === 'normal')).toBe(true);
  });
});
