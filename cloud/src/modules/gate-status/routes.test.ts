/**
 * The live gate status stream with the cloud's MQTT side running: a change that lands right after the snapshot was
 * read (before the stream could have listened, in the old order) still reaches the console, after the snapshot, so
 * the console's view ends equal to the hub's. Each status carries the gate's configured heartbeat interval. On each
 * database.
 */
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { databaseBackends } from '../../db/testing.js';
import { insertTestOperator } from '../../platform/auth/testing.js';
import { openEventStream } from '../../platform/testing.js';
import { type ControlRoomEnv, createControlRoomEnv, SITE } from '../metrics/testing.js';
import type { GateStatus } from './hub.js';

/** The default heartbeat interval of a gate whose settings were never changed. */
const DEFAULT_HEARTBEAT_SEC = 30;

function status(gateId: string, online: boolean, at: number): GateStatus {
  return {
    gateId,
    siteId: SITE,
    online,
    mode: 'normal',
    denyUnauthorized: true,
    firmware: '1.0.0',
    whitelistVersion: 3,
    configVersion: 2,
    since: at,
    lastSeenAt: at,
    lastStateAt: at,
    lastHeartbeatAt: null,
    uptimeSec: null,
    counters: null,
    outboxDepth: null,
    degraded: [],
    floodedUntil: null,
  };
}

describe.each(databaseBackends())('gate status stream on $name', (backend) => {
  let env: ControlRoomEnv;
  beforeEach(async () => {
    env = await createControlRoomEnv(backend);
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await env.dispose();
  });

  it('sends a change that lands right after the snapshot was read, after the snapshot', async () => {
    const hub = env.cloud.gateStatus;
    hub.set(status('N1', true, 1_000));
    hub.set(status('N2', true, 1_000));
    const all = hub.all.bind(hub);
    // The gate goes offline the moment after the stream read the statuses: before the snapshot is even written.
    vi.spyOn(hub, 'all').mockImplementationOnce(() => {
      const items = all();
      queueMicrotask(() => hub.set(status('N1', false, 2_000)));
      return items;
    });

    await env.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = env.app.server.address() as AddressInfo;
    const stream = openEventStream({
      port,
      path: '/api/v1/gates/status/stream',
      headers: env.auth.as('control_room'),
    });
    try {
      await vi.waitFor(() => expect(stream.events.length).toBeGreaterThanOrEqual(2), { timeout: 5_000 });
      const shown = (s: GateStatus) => ({ ...s, heartbeatSec: DEFAULT_HEARTBEAT_SEC });
      expect(stream.events).toEqual([
        ['snapshot', { items: [status('N1', true, 1_000), status('N2', true, 1_000)].map(shown) }],
        ['status', shown(status('N1', false, 2_000))],
      ]);
      // What the console builds from the stream is what the hub holds.
      const view = new Map<string, unknown>();
      for (const [name, data] of stream.events) {
        if (name === 'snapshot')
          for (const item of (data as { items: GateStatus[] }).items) view.set(item.gateId, item);
        if (name === 'status') view.set((data as GateStatus).gateId, data);
      }
      expect([...view.values()]).toEqual(all().map(shown));
    } finally {
      stream.close();
    }
  });

  it('shows an operator limited to a site only its gates, in the list, the snapshot and the changes', async () => {
    const hub = env.cloud.gateStatus;
    const elsewhere = (gateId: string, online: boolean, at: number) => ({
      ...status(gateId, online, at),
      siteId: 'lake',
    });
    hub.set(status('N1', true, 1_000));
    hub.set(elsewhere('L1', true, 1_000));
    const db = env.test.database.db;
    const limited = await insertTestOperator(db, 'park_only', 'control_room', {
      password: 'park-only-pass-1',
    });
    await db.insertInto('operator_sites').values({ operator_id: limited, site_id: SITE }).execute();
    const signedIn = await env.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'park_only', password: 'park-only-pass-1' },
    });
    const headers = { authorization: `Bearer ${signedIn.json().token}` };
    const list = await env.app.inject({ method: 'GET', url: '/api/v1/gates/status', headers });
    expect(list.json().items.map((item: GateStatus) => item.gateId)).toEqual(['N1']);

    await env.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = env.app.server.address() as AddressInfo;
    const stream = openEventStream({ port, path: '/api/v1/gates/status/stream', headers });
    try {
      await stream.snapshot;
      hub.set(elsewhere('L1', false, 2_000));
      hub.set(status('N1', false, 2_000));
      await vi.waitFor(() => expect(stream.events.length).toBeGreaterThanOrEqual(2), { timeout: 5_000 });
      expect(
        stream.events.map(([name, data]) => [name, name === 'snapshot' ? data : (data as GateStatus).gateId]),
      ).toEqual([
        ['snapshot', { items: [{ ...status('N1', true, 1_000), heartbeatSec: DEFAULT_HEARTBEAT_SEC }] }],
        ['status', 'N1'],
      ]);
    } finally {
      stream.close();
    }
  });

  it('carries the heartbeat interval each gate’s config asks for, in the list and in the stream', async () => {
    const hub = env.cloud.gateStatus;
    hub.set(status('N1', true, 1_000));
    hub.set(status('N2', true, 1_000));
    const admin = env.auth.as('admin');
    const patched = await env.app.inject({
      method: 'PATCH',
      url: '/api/v1/gates/N1/settings',
      headers: admin,
      payload: { heartbeatSec: 10 },
    });
    expect(patched.statusCode).toBe(200);

    const list = await env.app.inject({
      method: 'GET',
      url: '/api/v1/gates/status',
      headers: env.auth.as('control_room'),
    });
    expect(list.statusCode).toBe(200);
    const intervals = Object.fromEntries(
      (list.json() as { items: { gateId: string; heartbeatSec: number }[] }).items.map((item) => [
        item.gateId,
        item.heartbeatSec,
      ]),
    );
    expect(intervals).toEqual({ N1: 10, N2: DEFAULT_HEARTBEAT_SEC });

    await env.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = env.app.server.address() as AddressInfo;
    const stream = openEventStream({
      port,
      path: '/api/v1/gates/status/stream',
      headers: env.auth.as('control_room'),
    });
    try {
      await vi.waitFor(() => expect(stream.events.length).toBe(1), { timeout: 5_000 });
      hub.set(status('N1', true, 3_000));
      await vi.waitFor(() => expect(stream.events.length).toBe(2), { timeout: 5_000 });
      expect(stream.events[1]).toEqual(['status', { ...status('N1', true, 3_000), heartbeatSec: 10 }]);
    } finally {
      stream.close();
    }
  });
});
