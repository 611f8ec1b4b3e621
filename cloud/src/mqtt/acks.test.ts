/**
 * No-loss acknowledgements: the broker PUBACKs the gate's QoS 1 event (the gate then drops it from its outbox) and
 * keeps it for the cloud's persistent session until the cloud PUBACKs it — which the cloud now does only after the
 * event is stored. A store that fails once leaves the delivery unacknowledged, the broker delivers it again after
 * the cloud's reconnect, and it is stored exactly once — on the embedded broker (aedes) and on Mosquitto
 * (TEST_MQTT_URL).
 */
import { randomUUID } from 'node:crypto';
import { encodeMessage, gateTopic, type PassageEvent } from '@scenic/protocol';
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { serviceUrl } from '../../../test/support/services.js';
import { databaseBackends, type TestDatabase } from '../db/testing.js';
import { GateAccessService } from '../modules/gate-access/service.js';
import type { PassageHook } from '../modules/passages/service.js';
import type { CloudMqtt } from './runtime.js';
import { connectGate, eventually, seedGates, startTestMqtt } from './testing.js';

const [sqlite] = databaseBackends();
const sharedUrl = serviceUrl('TEST_MQTT_URL');

function passageOf(gateId: string): PassageEvent {
  return {
    type: 'passage',
    v: 1,
    eventId: randomUUID(),
    gateId,
    at: Date.now(),
    ticketId: 4242,
    credentialKind: 'barcode',
    direction: 'in',
    persons: 1,
    entriesLeft: null,
    decidedOffline: true,
    correlationId: null,
  };
}

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
  { name: 'embedded aedes', url: undefined as string | undefined },
  ...(sharedUrl ? [{ name: 'Mosquitto', url: sharedUrl }] : []),
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
