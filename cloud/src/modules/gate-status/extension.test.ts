/**
 * The live-status extension without a broker: messages handed over together are written in arrival order (one
 * transaction), the hub follows the table, a will keeps the gate's last known state, a replayed retained state that
 * says nothing new is not written, and one message that cannot be stored does not fail the others — on each database.
 */
import type { GateState, Heartbeat } from '@scenic/protocol';
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../db/schema.js';
import { databaseBackends, type TestDatabase } from '../../db/testing.js';
import type { InboundMessage, MqttExtension } from '../../mqtt/extensions/types.js';
import { gateStatusExtension } from './extension.js';
import { GateStatusHub, statusFromRow } from './hub.js';
import { GateStatusRepo, type StateParams } from './repo.js';

const SITE = 'park';

function state(gateId: string, over: Partial<GateState> = {}): GateState {
  return {
    type: 'gate_state',
    v: 1,
    gateId,
    online: true,
    mode: 'normal',
    denyUnauthorized: false,
    firmware: '1.0.0',
    whitelistVersion: 7,
    configVersion: 3,
    since: 1_000,
    ...over,
  } as GateState;
}

function beat(gateId: string, at: number, scans: number): Heartbeat {
  return {
    type: 'heartbeat',
    v: 1,
    gateId,
    at,
    uptimeSec: 60,
    counters: { scans, admits: scans, denies: 0 },
    outboxDepth: 0,
    whitelistVersion: 9,
    configVersion: 3,
  } as Heartbeat;
}

function inbound(message: GateState | Heartbeat, receivedAt: number, retained = false): InboundMessage {
  const channel = message.type === 'gate_state' ? 'state' : 'heartbeat';
  return {
    siteId: SITE,
    gateId: message.gateId,
    channel,
    topic: `sg/v1/${SITE}/gate/${message.gateId}/${channel}`,
    message,
    receivedAt,
    retained,
  };
}

describe.each(databaseBackends())('live gate status on $name', (backend) => {
  let test: TestDatabase;
  let db: Kysely<Database>;
  let hub: GateStatusHub;
  let repo: GateStatusRepo;
  let extension: MqttExtension;

  const handle = (message: InboundMessage) => Promise.resolve(extension.handle(message));
  const row = (gateId: string) => repo.get(gateId);

  beforeEach(async () => {
    test = await backend.create();
    db = test.database.db;
    hub = new GateStatusHub();
    repo = new GateStatusRepo(db);
    extension = gateStatusExtension(repo, hub);
  });
  afterEach(() => test.dispose());

  it('keeps what the gate runs without: from its state and heartbeats, cleared when it reports none', async () => {
    await handle(inbound(state('D1', { degraded: ['voice', 'passage.in'] }), 2_000));
    expect(hub.get('D1')?.degraded).toEqual(['voice', 'passage.in']);
    await handle(inbound({ ...beat('D1', 3_000, 1), degraded: ['voice'] } as Heartbeat, 3_000));
    expect(hub.get('D1')?.degraded).toEqual(['voice']);
    expect(JSON.parse((await row('D1'))!.degraded!)).toEqual(['voice']);
    // A heartbeat that leaves the list out: nothing is degraded any more.
    await handle(inbound(beat('D1', 4_000, 2), 4_000));
    expect(hub.get('D1')?.degraded).toEqual([]);
    // The hub loaded afresh from the table says the same.
    const reloaded = new GateStatusHub();
    await reloaded.load(repo);
    expect(reloaded.get('D1')?.degraded).toEqual([]);
  });

  it('writes messages handed over together in arrival order; the hub holds what the table holds', async () => {
    const changes: string[] = [];
    hub.on('change', (status) => changes.push(`${status.gateId}:${status.online ? 'on' : 'off'}`));
    await Promise.all([
      handle(inbound(state('G1'), 2_000)),
      handle(inbound(beat('G1', 2_100, 5), 2_100)),
      handle(inbound(state('G2', { mode: 'emergency_open' }), 2_050)),
      // A heartbeat before any state creates the row online; the will after it is authoritative for online only.
      handle(inbound(beat('G3', 2_000, 1), 2_000)),
      handle(inbound(state('G1', { online: false, since: null, mode: 'locked' }), 2_200)),
      handle(inbound(state('G2', { mode: 'always_open', since: 2_300 }), 2_300)),
    ]);
    expect(changes).toEqual(['G1:on', 'G1:on', 'G2:on', 'G3:on', 'G1:off', 'G2:on']);
    expect(await row('G1')).toMatchObject({
      online: 0,
      // The will's mode is as of its connect; the last real state stays.
      mode: 'normal',
      since: 2_200,
      last_seen_at: 2_200,
      last_state_at: 2_200,
      last_heartbeat_at: 2_100,
      scans: 5,
      // The heartbeat's, which came after the state.
      whitelist_version: 9,
    });
    expect(await row('G2')).toMatchObject({
      online: 1,
      mode: 'always_open',
      since: 2_300,
      config_version: 3,
    });
    expect(await row('G3')).toMatchObject({
      online: 1,
      mode: null,
      whitelist_version: 9,
      last_state_at: null,
    });
    for (const id of ['G1', 'G2', 'G3']) expect(hub.get(id)).toEqual(statusFromRow((await row(id))!));
  });

  it('a replayed retained state is not a sighting; one that says nothing new is not written', async () => {
    await handle(inbound(state('G1'), 2_000));
    await handle(inbound(state('G1'), 9_000, true));
    expect(await row('G1')).toMatchObject({ last_seen_at: 2_000, last_state_at: 2_000 });
    await handle(inbound(state('G1', { mode: 'locked', since: 8_000 }), 9_500, true));
    expect(await row('G1')).toMatchObject({
      mode: 'locked',
      since: 8_000,
      last_seen_at: 2_000,
      last_state_at: 9_500,
    });
    // A replayed will of a gate already known offline keeps when it went offline.
    await handle(inbound(state('G1', { online: false, since: null }), 10_000));
    await handle(inbound(state('G1', { online: false, since: null }), 12_000, true));
    expect(await row('G1')).toMatchObject({ online: 0, since: 10_000, last_seen_at: 10_000 });
    // A gate without a row gets one from a replay; the replay's receive time is all there is for last_seen_at.
    await handle(inbound(state('G9'), 13_000, true));
    expect(await row('G9')).toMatchObject({ online: 1, last_seen_at: 13_000, last_state_at: 13_000 });
  });

  it('a message that cannot be stored fails alone; the others of its batch are stored', async () => {
    class FailingRepo extends GateStatusRepo {
      override applyState(
        params: StateParams,
        kind: { will: boolean; retained: boolean },
        trx?: Kysely<Database>,
      ) {
        if (params.gateId === 'BAD') return Promise.reject(new Error('disk full'));
        return super.applyState(params, kind, trx);
      }
    }
    extension = gateStatusExtension(new FailingRepo(db), hub);
    const results = await Promise.allSettled([
      handle(inbound(state('G1'), 2_000)),
      handle(inbound(state('BAD'), 2_000)),
      handle(inbound(beat('G2', 2_000, 1), 2_000)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await row('G1')).toBeDefined();
    expect(await row('G2')).toBeDefined();
    expect(await row('BAD')).toBeUndefined();
    expect(hub.get('BAD')).toBeUndefined();
  });
});
