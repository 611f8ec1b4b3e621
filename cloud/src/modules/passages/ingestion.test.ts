/**
 * Passage ingestion over MQTT on each database: exactly once per eventId (sequential and parallel duplicates),
 * refusals that change nothing and leave a comm-log reason, late events, and the ticket-update hook's place in the
 * transaction.
 */

import { eventually } from '@scenic/testkit/eventually';
import { serviceUrl } from '@scenic/testkit/services';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../db/testing.js';
import { silentLogger } from '../../mqtt/testing.js';
import {
  type ControlRoomEnv,
  createControlRoomEnv,
  denial,
  GateConnection,
  passage,
  SITE,
} from '../metrics/testing.js';
import { OccupancyService } from '../occupancy/service.js';
import { PassageIngestion, type StoredEvent } from './service.js';
import { passageTables } from './tables.js';

describe.each(databaseBackends())('passage ingestion on $name', (backend) => {
  let env: ControlRoomEnv;
  let gate: GateConnection;

  beforeEach(async () => {
    env = await createControlRoomEnv(backend);
    gate = await GateConnection.open(env, 'N1');
  });
  afterEach(async () => {
    await gate.close();
    await env.dispose();
  });

  const occupancyService = () =>
    new OccupancyService(env.db, { resetHour: 0, hysteresisPct: 3 }, silentLogger);

  async function events() {
    return env.db.selectFrom('passage_events').selectAll().orderBy('at').execute();
  }
  async function counters() {
    return env.db
      .selectFrom('occupancy_counters')
      .select(['zone_id', 'day', 'entries', 'exits', 'inside'])
      .orderBy('day')
      .orderBy('zone_id')
      .execute();
  }
  async function rejectedReasons(): Promise<(string | null)[]> {
    await env.cloud.commLog.flush();
    const rows = await env.db
      .selectFrom('comm_log')
      .select(['reason', 'count'])
      .where('result', '=', 'rejected')
      .execute();
    // A rejection repeated within a minute is one row with its count (comm-log/writer.ts): one reason per message.
    return rows.flatMap((r) => Array.from({ length: Number(r.count) }, () => r.reason));
  }

  it('stores a passage with its gate, site and zone and moves occupancy; the same event again changes nothing', async () => {
    const event = passage('N1', { persons: 3, decidedOffline: true, entriesLeft: 4, correlationId: 'vr-1' });
    await gate.send(event);
    await gate.send(event);
    await eventually(async () => ((await rejectedReasons()).includes('DUPLICATE_EVENT') ? true : undefined));
    await env.cloud.bus.idle();
    expect(await events()).toEqual([
      expect.objectContaining({
        event_id: event.eventId,
        kind: 'passage',
        site_id: SITE,
        zone_id: 'north',
        gate_id: 'N1',
        ticket_id: 1001,
        direction: 'in',
        persons: 3,
        at: event.at,
        decided_offline: 1,
        entries_left: 4,
        correlation_id: 'vr-1',
        reason: null,
      }),
    ]);
    const [site, zone] = await counters();
    expect([site?.zone_id, site?.inside, zone?.zone_id, zone?.inside]).toEqual(['', 3, 'north', 3]);
    expect(env.cloud.controlRoom.metrics.prometheus()).toMatch(
      /sg_events_ingested_total\{kind="passage",result="duplicate"\} 1/,
    );
  });

  it('stores a denial with its reason and leaves occupancy alone', async () => {
    const event = denial('N1', { reason: 'ANTI_PASSBACK', ticketId: null, credentialKind: null });
    await gate.send(event);
    const [row] = await eventually(async () => {
      const rows = await events();
      return rows.length > 0 ? rows : undefined;
    });
    expect(row).toMatchObject({
      kind: 'denial',
      reason: 'ANTI_PASSBACK',
      persons: 0,
      ticket_id: null,
      zone_id: 'north',
    });
    expect(await counters()).toEqual([]);
    expect(env.cloud.controlRoom.metrics.prometheus()).toMatch(
      /sg_denials_total\{site="park",reason="ANTI_PASSBACK"\} 1/,
    );
  });

  it('20 duplicates in parallel (as from several cloud instances) apply exactly once', async () => {
    const ingestion = new PassageIngestion(env.db, occupancyService());
    const event = passage('N2', { persons: 2 });
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () =>
        ingestion.ingest({ siteId: SITE, gateId: 'N2', message: event, receivedAt: Date.now() }),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'applied')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'duplicate')).toHaveLength(19);
    expect(await events()).toHaveLength(1);
    expect((await counters()).map((c) => [c.zone_id, c.entries, c.inside])).toEqual([
      ['', 2, 2],
      ['north', 2, 2],
    ]);
  });

  it('two instances ingesting the same 60 events at once, in batches, apply each exactly once', async () => {
    const first = new PassageIngestion(env.db, occupancyService());
    const second = new PassageIngestion(env.db, occupancyService());
    const sent = Array.from({ length: 60 }, () => passage('N2', { persons: 2 }));
    const ingest = (ingestion: PassageIngestion, event: (typeof sent)[number]) =>
      ingestion.ingest({ siteId: SITE, gateId: 'N2', message: event, receivedAt: Date.now() });
    // Each instance gets every event (as with two clouds on one broker), the second in reverse order.
    const outcomes = await Promise.all([
      ...sent.map((event) => ingest(first, event)),
      ...[...sent].reverse().map((event) => ingest(second, event)),
    ]);
    expect(outcomes.filter((o) => o.status === 'applied')).toHaveLength(60);
    expect(outcomes.filter((o) => o.status === 'duplicate')).toHaveLength(60);
    expect(await events()).toHaveLength(60);
    expect((await counters()).map((c) => [c.zone_id, c.entries, c.inside])).toEqual([
      ['', 120, 120],
      ['north', 120, 120],
    ]);
  });

  it('a batch with an event whose hook fails stores the others and fails only that one', async () => {
    const poison = passage('N3');
    const ingestion = new PassageIngestion(env.db, occupancyService(), [
      {
        name: 'poison',
        apply: async (_trx, event) => {
          if (event.event_id === poison.eventId) throw new Error('cannot apply');
        },
      },
    ]);
    const good = Array.from({ length: 5 }, () => passage('N3'));
    const results = await Promise.allSettled(
      [good[0]!, good[1]!, poison, good[2]!, good[3]!, good[4]!].map((message) =>
        ingestion.ingest({ siteId: SITE, gateId: 'N3', message, receivedAt: Date.now() }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
      'fulfilled',
    ]);
    expect((await events()).map((e) => e.event_id).sort()).toEqual(good.map((e) => e.eventId).sort());
    expect((await counters()).map((c) => c.inside)).toEqual([5, 5]);
  });

  it('20 copies of one event published at once over MQTT give one row and one occupancy change', async () => {
    const event = passage('N1');
    await Promise.all(Array.from({ length: 20 }, () => gate.send(event)));
    await eventually(async () => {
      const reasons = await rejectedReasons();
      return reasons.filter((r) => r === 'DUPLICATE_EVENT').length === 19 ? true : undefined;
    });
    expect(await events()).toHaveLength(1);
    expect((await counters()).map((c) => c.inside)).toEqual([1, 1]);
  });

  it('malformed, oversized, unknown-type, mismatched and unregistered messages are logged with reasons and change nothing', async () => {
    await gate.publish('event/passage', '{"type":"passage",');
    await gate.publish('event/passage', Buffer.alloc(5_000, 0x20));
    await gate.publish('event/passage', JSON.stringify({ ...passage('N1'), type: 'heartbeat' }));
    await gate.publish('event/passage', JSON.stringify({ ...passage('N1'), persons: 0 }));
    await gate.publish('event/passage', JSON.stringify(passage('N2')));
    // A gate the registry does not know (possible on an external broker without the exported ACL).
    const ingestion = new PassageIngestion(env.db, occupancyService());
    expect(
      await ingestion.ingest({ siteId: SITE, gateId: 'ZZ', message: passage('ZZ'), receivedAt: Date.now() }),
    ).toEqual({ status: 'unknown_gate' });
    expect(
      await ingestion.ingest({
        siteId: 'elsewhere',
        gateId: 'N1',
        message: passage('N1'),
        receivedAt: Date.now(),
      }),
    ).toEqual({ status: 'unknown_gate' });
    const reasons = await eventually(async () => {
      const all = await rejectedReasons();
      return all.length >= 5 ? all : undefined;
    });
    expect(reasons.sort()).toEqual([
      'BAD_JSON',
      'BAD_MESSAGE',
      'GATE_MISMATCH',
      'TOO_LARGE',
      'UNKNOWN_MESSAGE_TYPE',
    ]);
    expect(await events()).toEqual([]);
    expect(await counters()).toEqual([]);
  });

  it('a late event from yesterday is stored and counts towards yesterday, not today', async () => {
    const yesterday = Date.now() - 86_400_000;
    await gate.send(passage('N1', { at: yesterday }));
    await gate.send(passage('N1'));
    await eventually(async () => ((await events()).length === 2 ? true : undefined));
    await env.cloud.bus.idle();
    const rows = await counters();
    expect(rows.map((r) => [r.zone_id, r.inside])).toEqual([
      ['', 1],
      ['north', 1],
      ['', 1],
      ['north', 1],
    ]);
    expect(new Set(rows.map((r) => r.day)).size).toBe(2);
  });

  it('runs the ticket-update hook inside the transaction: once per new event, and a failing hook stores nothing', async () => {
    const seen: StoredEvent[] = [];
    const ok = new PassageIngestion(env.db, occupancyService(), [
      {
        name: 'record',
        apply: async (trx, event) => {
          // Inside the same transaction the event row is already visible.
          const row = await passageTables(trx)
            .selectFrom('passage_events')
            .select('event_id')
            .where('event_id', '=', event.event_id)
            .executeTakeFirst();
          expect(row?.event_id).toBe(event.event_id);
          seen.push(event);
        },
      },
    ]);
    const event = passage('N3');
    await ok.ingest({ siteId: SITE, gateId: 'N3', message: event, receivedAt: 1 });
    await ok.ingest({ siteId: SITE, gateId: 'N3', message: event, receivedAt: 2 });
    expect(seen.map((e) => e.event_id)).toEqual([event.eventId]);

    const failing = new PassageIngestion(env.db, occupancyService(), [
      {
        name: 'fail',
        apply: async () => {
          throw new Error('ticket store down');
        },
      },
    ]);
    const other = passage('N3');
    await expect(
      failing.ingest({ siteId: SITE, gateId: 'N3', message: other, receivedAt: 3 }),
    ).rejects.toThrow('ticket store down');
    expect((await events()).map((e) => e.event_id)).toEqual([event.eventId]);
    expect((await counters()).map((c) => c.inside)).toEqual([1, 1]);
  });
});

const sharedUrl = serviceUrl('TEST_MQTT_URL');
const [sqlite] = databaseBackends();

describe.skipIf(!sharedUrl || !sqlite)('passage ingestion through Mosquitto (TEST_MQTT_URL)', () => {
  it('applies an event sent twice once, and logs the replay', async () => {
    const site = `t${Math.random().toString(36).slice(2, 10)}`;
    const env = await createControlRoomEnv(sqlite!, { mqttEnv: { MQTT_URL: sharedUrl ?? '' }, siteId: site });
    const gate = await GateConnection.open(env, `${site}-N1`, site);
    try {
      const event = passage(`${site}-N1`, { persons: 2 });
      await gate.send(event);
      await gate.send(event);
      await eventually(async () => {
        await env.cloud.commLog.flush();
        const row = await env.db
          .selectFrom('comm_log')
          .select('reason')
          .where('site_id', '=', site)
          .where('reason', '=', 'DUPLICATE_EVENT')
          .executeTakeFirst();
        return row ? true : undefined;
      }, 10_000);
      const rows = await env.db.selectFrom('passage_events').select(['event_id', 'zone_id']).execute();
      expect(rows).toEqual([{ event_id: event.eventId, zone_id: 'north' }]);
      const inside = await env.db.selectFrom('occupancy_counters').select('inside').execute();
      expect(inside.map((r) => r.inside)).toEqual([2, 2]);
    } finally {
      await gate.close();
      await env.dispose();
    }
  });
});
