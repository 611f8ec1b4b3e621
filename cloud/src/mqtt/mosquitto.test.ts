/**
 * The same gate logins, ACL, live status and communication log with a real Mosquitto in front: a private instance
 * (child process on a free port) configured with the generated passwd and acl files. Runs where `mosquitto` is
 * installed; the cloud-client-only path against the shared broker is covered by the TEST_MQTT_URL suite below.
 */
import { encodeMessage, gateTopic } from '@scenic/protocol';
import { eventually } from '@scenic/testkit/eventually';
import { serviceUrl } from '@scenic/testkit/services';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { databaseBackends, type TestDatabase } from '../db/testing.js';
import { GateAccessService } from '../modules/gate-access/service.js';
import type { CloudMqtt } from '../modules/services.js';
import { mosquittoInstalled, type PrivateMosquitto, startPrivateMosquitto } from './testing/mosquitto.js';
import { connectGate, gateState, seedGates, startTestMqtt } from './testing.js';

const CLOUD_PASSWORD = 'cloud-secret-for-tests';
const [sqlite] = databaseBackends();

describe.skipIf(!mosquittoInstalled())('with a private Mosquitto using the exported passwd and acl', () => {
  let broker: PrivateMosquitto;
  let port: number;
  let test: TestDatabase;
  let cloud: CloudMqtt;
  let passwords: Record<string, string>;
  const gates: MqttClient[] = [];

  beforeAll(async () => {
    test = await sqlite!.create();
    await seedGates(test.database.db, 'park', ['G01', 'G02']);
    const access = new GateAccessService(test.database.db);
    passwords = { G01: (await access.issue('G01')).password, G02: (await access.issue('G02')).password };
    broker = await startPrivateMosquitto(test.database.db, {
      username: 'sg-cloud',
      password: CLOUD_PASSWORD,
    });
    port = broker.port;
    cloud = await startTestMqtt(test.database, { MQTT_URL: broker.url, MQTT_PASSWORD: CLOUD_PASSWORD });
  });

  afterAll(async () => {
    await cloud?.close();
    await broker?.stop();
    await test?.dispose();
  });

  beforeEach(async () => {
    await test.database.db.deleteFrom('gate_status').execute();
  });
  afterEach(() => {
    for (const gate of gates.splice(0)) gate.end(true);
  });

  async function gate(gateId: string, password = passwords[gateId] ?? ''): Promise<MqttClient> {
    const client = await connectGate(`mqtt://127.0.0.1:${port}`, 'park', gateId, password);
    gates.push(client);
    return client;
  }

  it('accepts the gate’s exported credential and refuses a wrong password', async () => {
    expect((await gate('G01')).connected).toBe(true);
    await expect(gate('G01', 'wrong')).rejects.toThrow(/Not authorized|Bad username or password/);
  });

  it('tracks online and the last will, drops another gate’s topic and logs bad payloads', async () => {
    const client = await gate('G01');
    await client.publishAsync(
      gateTopic('park', 'G01', 'state'),
      encodeMessage(gateState('G01', true, 1), 'state'),
      {
        qos: 1,
        retain: true,
      },
    );
    await eventually(() => (cloud.gateStatus.get('G01')?.online ? true : undefined));
    // Mosquitto drops a publish outside the ACL silently (MQTT 3.1.1 has no way to refuse it).
    await client.publishAsync(
      gateTopic('park', 'G02', 'state'),
      encodeMessage(gateState('G02', true, 1), 'state'),
      {
        qos: 1,
        retain: true,
      },
    );
    await client.publishAsync(gateTopic('park', 'G01', 'heartbeat'), Buffer.from('{"type":'));
    await eventually(async () => {
      await cloud.commLog.flush();
      const row = await test.database.db
        .selectFrom('comm_log')
        .selectAll()
        .where('reason', '=', 'BAD_JSON')
        .executeTakeFirst();
      return row?.gate_id === 'G01' ? row : undefined;
    });
    (client.stream as unknown as { destroy(): void }).destroy();
    await eventually(() => (cloud.gateStatus.get('G01')?.online === false ? true : undefined));
    expect(cloud.gateStatus.get('G02')).toBeUndefined();
  });
});

const sharedUrl = serviceUrl('TEST_MQTT_URL');

describe.skipIf(!sharedUrl)('cloud client on the shared broker (TEST_MQTT_URL)', () => {
  let test: TestDatabase;
  let cloud: CloudMqtt;
  // A site id of its own, so parallel runs on the shared broker never see each other's gates.
  const site = `t${Math.random().toString(36).slice(2, 10)}`;

  beforeEach(async () => {
    test = await sqlite!.create();
    cloud = await startTestMqtt(test.database, { MQTT_URL: sharedUrl ?? '' });
  });
  afterEach(async () => {
    await cloud.close();
    await test.dispose();
  });

  it('records status from retained state and the will, and logs rejected payloads', async () => {
    const client = mqtt.connect(sharedUrl ?? '', {
      clientId: `sg-${site}-G01`,
      reconnectPeriod: 0,
      will: {
        topic: gateTopic(site, 'G01', 'state'),
        payload: encodeMessage(gateState('G01', false, null), 'state'),
        qos: 1,
        retain: true,
      },
    });
    await new Promise((resolve) => client.once('connect', resolve));
    try {
      await client.publishAsync(
        gateTopic(site, 'G01', 'state'),
        encodeMessage(gateState('G01', true, 5), 'state'),
        {
          qos: 1,
          retain: true,
        },
      );
      await client.publishAsync(gateTopic(site, 'G01', 'heartbeat'), Buffer.alloc(5_000, 0x7b));
      await eventually(() => (cloud.gateStatus.get('G01')?.online ? true : undefined));
      (client.stream as unknown as { destroy(): void }).destroy();
      await eventually(() => (cloud.gateStatus.get('G01')?.online === false ? true : undefined), 10_000);
      await cloud.commLog.flush();
      const rows = await test.database.db
        .selectFrom('comm_log')
        .selectAll()
        .where('site_id', '=', site)
        .execute();
      expect(rows.map((r) => r.reason)).toContain('TOO_LARGE');
    } finally {
      client.end(true);
      // Clear the retained state so the shared broker does not keep test data.
      const cleaner = mqtt.connect(sharedUrl ?? '', { reconnectPeriod: 0 });
      await new Promise((resolve) => cleaner.once('connect', resolve));
      await cleaner.publishAsync(gateTopic(site, 'G01', 'state'), '', { qos: 1, retain: true });
      await cleaner.endAsync();
    }
  });
});
