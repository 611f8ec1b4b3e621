/**
 * No-loss acknowledgements (intake.ts), for each intake:
 * - broker intake (embedded aedes): the broker PUBACKs the gate's QoS 1 event only once it is stored; a store that
 *   fails once drops the gate's connection without a PUBACK, the gate sends the event again after its reconnect,
 *   and it is stored exactly once;
 * - client intake (aedes with the cloud's client subscribed, and Mosquitto via TEST_MQTT_URL): the broker PUBACKs
 *   the gate (which then drops the event from its outbox) and keeps the event for the cloud's persistent session
 *   until the cloud PUBACKs it after the store; a failed store is delivered again after the cloud's reconnect.
 */
import { randomUUID } from 'node:crypto';
import { encodeMessage, gateTopic } from '@scenic/protocol';
import { eventually } from '@scenic/testkit/eventually';
import { serviceUrl } from '@scenic/testkit/services';
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { databaseBackends, type TestDatabase } from '../db/testing.js';
import { GateAccessService } from '../modules/gate-access/service.js';
import type { PassageHook } from '../modules/passages/service.js';
import type { CloudMqtt } from '../modules/services.js';
import { connectGate, passageOf, seedGates, startTestMqtt } from './testing.js';

const [sqlite] = databaseBackends();
const sharedUrl = serviceUrl('TEST_MQTT_URL');

/** Throws on its first call, as a database that is briefly unavailable would. */
function failingOnce(): PassageHook & { calls: number } {
  const hook = {
    name: 'fails-once',
    calls: 0,
    async apply() {
      hook.calls++;
      if (hook.calls === 1) throw new Error('storage unavailable');
    },
  };
  return hook;
}

const brokers = [
  { name: 'embedded aedes, client intake', url: undefined as string | undefined, intake: 'client' as const },
  ...(sharedUrl ? [{ name: 'Mosquitto, client intake', url: sharedUrl, intake: 'client' as const }] : []),
];

describe.each(brokers)('acknowledging gate events on $name', (broker) => {
  let test: TestDatabase;
  let cloud: CloudMqtt;
  let gate: MqttClient | undefined;

  afterEach(async () => {
    await gate?.endAsync(true);
    await cloud.close();
    await test.dispose();
  });

  it('withholds the PUBACK while the event is not stored, and stores the redelivery once', async () => {
    test = await sqlite!.create();
    // A site of its own: other runs may share the external broker.
    const site = `a${randomUUID().slice(0, 8)}`;
    const gateId = `${site}G1`;
    await seedGates(test.database.db, site, [gateId]);
    const hook = failingOnce();
    cloud = await startTestMqtt(test.database, broker.url ? { MQTT_URL: broker.url } : {}, {
      extraPassageHooks: [hook],
      intake: broker.intake,
    });
    if (broker.url) {
      gate = mqtt.connect(broker.url, { clientId: `sg-${site}-${gateId}`, clean: false, reconnectPeriod: 0 });
      await new Promise((resolve, reject) => {
        gate!.once('connect', resolve);
        gate!.once('error', reject);
      });
    } else {
      const { password } = await new GateAccessService(test.database.db).issue(gateId);
      gate = await connectGate(`mqtt://127.0.0.1:${cloud.broker!.port}`, site, gateId, password);
    }

    const event = passageOf(gateId);
    // The broker's receipt: from here on the gate has forgotten the event, so only the broker holds it.
    await gate.publishAsync(gateTopic(site, gateId, 'event/passage'), encodeMessage(event, 'event/passage'), {
      qos: 1,
    });
    const stored = () =>
      test.database.db
        .selectFrom('passage_events')
        .select('event_id')
        .where('event_id', '=', event.eventId)
        .execute();
    await eventually(() => (hook.calls >= 1 ? true : undefined));
    expect(await stored()).toHaveLength(0);
    // Redelivered after the cloud's reconnect (about 1 s + the 2 s reconnect period) and stored.
    await eventually(async () => ((await stored()).length > 0 ? true : undefined), 10_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await stored()).toHaveLength(1);
    expect(hook.calls).toBe(2);
    await cloud.commLog.flush();
    const lines = await test.database.db
      .selectFrom('comm_log')
      .select(['result', 'reason'])
      .where('channel', '=', 'event/passage')
      .where('gate_id', '=', gateId)
      .execute();
    // One line for the message, written when it was finally handled.
    expect(lines).toEqual([{ result: 'ok', reason: null }]);
  }, 20_000);
});

describe('acknowledging gate events on embedded aedes, broker intake', () => {
  let test: TestDatabase;
  let cloud: CloudMqtt;
  let gate: MqttClient | undefined;

  afterEach(async () => {
    await gate?.endAsync(true);
    await cloud.close();
    await test.dispose();
  });

  async function start(hooks: PassageHook[]) {
    test = await sqlite!.create();
    await seedGates(test.database.db, 'park', ['G1']);
    // The burst below is 302 events from one gate at once, beyond a gate's default message budget (budget.ts):
    // with the default some would wait for their tokens and arrive one by one.
    cloud = await startTestMqtt(test.database, { MQTT_GATE_BURST: '1000' }, { extraPassageHooks: hooks });
    const { password } = await new GateAccessService(test.database.db).issue('G1');
    // The gate reconnects by itself, as a real one does, and mqtt.js sends unacknowledged events again.
    gate = await connectGate(`mqtt://127.0.0.1:${cloud.broker!.port}`, 'park', 'G1', password, {
      reconnectPeriod: 100,
    });
    return gate;
  }

  const stored = (eventId: string) =>
    test.database.db
      .selectFrom('passage_events')
      .select('event_id')
      .where('event_id', '=', eventId)
      .execute();

  it('PUBACKs the gate only once the event is stored; a failed store drops the gate, whose resend is stored once', async () => {
    const hook = failingOnce();
    const client = await start([hook]);
    let dropped = 0;
    client.on('close', () => dropped++);
    const event = passageOf('G1');
    let acked = false;
    const publishing = client
      .publishAsync(gateTopic('park', 'G1', 'event/passage'), encodeMessage(event, 'event/passage'), {
        qos: 1,
      })
      .then(() => {
        acked = true;
      });
    await eventually(() => (hook.calls >= 1 ? true : undefined));
    // The store failed: the gate still holds the event, unacknowledged.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(acked).toBe(false);
    expect(await stored(event.eventId)).toHaveLength(0);
    await publishing;
    expect(await stored(event.eventId)).toHaveLength(1);
    expect(hook.calls).toBe(2);
    expect(dropped).toBe(1);
    await cloud.commLog.flush();
    const lines = await test.database.db
      .selectFrom('comm_log')
      .select(['result', 'reason'])
      .where('channel', '=', 'event/passage')
      .execute();
    expect(lines).toEqual([{ result: 'ok', reason: null }]);
  }, 20_000);

  it('a burst of events shares transactions, each event acknowledged once it is stored, a resend once', async () => {
    const transactions = new Set<unknown>();
    let applied = 0;
    const client = await start([
      {
        name: 'watch',
        async apply(trx) {
          applied++;
          transactions.add(trx);
        },
      },
    ]);
    const events = Array.from({ length: 300 }, () => passageOf('G1'));
    const topic = gateTopic('park', 'G1', 'event/passage');
    await Promise.all(
      [...events, events[0]!, events[1]!].map(async (event) => {
        await client.publishAsync(topic, encodeMessage(event, 'event/passage'), { qos: 1 });
        // Acknowledged: stored and committed.
        expect(await stored(event.eventId)).toHaveLength(1);
      }),
    );
    expect(applied).toBe(300);
    // Shared transactions: far fewer than one per event.
    expect(transactions.size).toBeLessThan(100);
    const count = await test.database.db
      .selectFrom('passage_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(300);
    const inside = await test.database.db
      .selectFrom('occupancy_counters')
      .select(['zone_id', 'inside'])
      .execute();
    expect(inside.map((r) => r.inside)).toEqual([300, 300]);
    await cloud.commLog.flush();
    const reasons = await test.database.db
      .selectFrom('comm_log')
      .select(['reason', 'count'])
      .where('channel', '=', 'event/passage')
      .execute();
    expect(reasons.filter((r) => r.reason === null)).toHaveLength(300);
    // Rejections repeated within a minute share a row (comm-log/writer.ts).
    expect(reasons.filter((r) => r.reason === 'DUPLICATE_EVENT')).toEqual([
      { reason: 'DUPLICATE_EVENT', count: 2 },
    ]);
  }, 20_000);
});
