/**
 * Retained configs of gates that are gone: a gate deactivated or removed loses its retained `config` on the broker
 * (also when that happened while the cloud was down), and one that comes back gets a new version — on the embedded
 * broker and on Mosquitto (TEST_MQTT_URL, run-unique site, cleaned up), on each database.
 */
import { randomBytes } from 'node:crypto';
import { decodeMessage, type GateConfig, gateTopic } from '@scenic/protocol';
import { eventually } from '@scenic/testkit/eventually';
import { serviceUrl } from '@scenic/testkit/services';
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseBackends, type TestDatabase } from '../../db/testing.js';
import { startTestMqtt } from '../../mqtt/testing.js';
import type { CloudMqtt } from '../services.js';
import { SYSTEM_CONTEXT } from '../tickets/testing.js';
import { VenuesService } from '../venues/service.js';

const CLOUD_PASSWORD = randomBytes(12).toString('hex');
const sharedUrl = serviceUrl('TEST_MQTT_URL');
const brokers: { name: string; env: Record<string, string> }[] = [
  { name: 'embedded', env: { MQTT_PASSWORD: CLOUD_PASSWORD } },
  ...(sharedUrl ? [{ name: 'mosquitto', env: { MQTT_URL: sharedUrl } }] : []),
];
const GATES = ['G01', 'G02', 'G03'];

describe.each(databaseBackends())('retired gate configs on $name', (backend) => {
  describe.each(brokers)('through the $name broker', (broker) => {
    let test: TestDatabase;
    let venues: VenuesService;
    let site: string;
    let cloud: CloudMqtt | undefined;
    const gateId = (id: string) => `${site}-${id}`;

    function start(): Promise<CloudMqtt> {
      return startTestMqtt(test.database, broker.env);
    }

    function brokerUrl(): string {
      return cloud?.broker ? `mqtt://127.0.0.1:${cloud.broker.port}` : (sharedUrl ?? '');
    }

    /** A client that may read every topic: the cloud's own login on the embedded broker, anonymous on Mosquitto. */
    async function observer(): Promise<{ client: MqttClient; seen: Map<string, (GateConfig | null)[]> }> {
      const client = await mqtt.connectAsync(brokerUrl(), {
        clientId: `sg-cloud-observer-${randomBytes(4).toString('hex')}`,
        ...(cloud?.broker ? { username: 'sg-cloud', password: CLOUD_PASSWORD } : {}),
        reconnectPeriod: 0,
      });
      const seen = new Map<string, (GateConfig | null)[]>();
      client.on('message', (topic, payload) => {
        const id = topic.split('/')[4] ?? '';
        const config = payload.length === 0 ? null : (decodeMessage('config', payload) as GateConfig);
        seen.set(id, [...(seen.get(id) ?? []), config]);
      });
      await client.subscribeAsync(
        GATES.map((id) => gateTopic(site, gateId(id), 'config')),
        { qos: 1 },
      );
      return { client, seen };
    }

    /** What the broker retains now: a fresh subscriber gets exactly the retained messages. */
    async function retained(): Promise<Record<string, number>> {
      const { client, seen } = await observer();
      await new Promise((resolve) => setTimeout(resolve, 400));
      await client.endAsync(true);
      const out: Record<string, number> = {};
      for (const [id, configs] of seen) {
        const last = configs.at(-1);
        if (last) out[id] = last.version;
      }
      return out;
    }

    beforeEach(async () => {
      test = await backend.create();
      site = `r${randomBytes(4).toString('hex')}`;
      venues = new VenuesService(test.database.db);
      await venues.createSite(
        {
          id: site,
          name: { zh: site, en: site },
          timezone: 'Asia/Shanghai',
          dailyCapacity: null,
          agePolicy: [],
        },
        SYSTEM_CONTEXT,
      );
      await venues.createZone(
        site,
        { id: 'z', name: { zh: 'z', en: 'z' }, capacity: null, active: true },
        SYSTEM_CONTEXT,
      );
      for (const id of GATES)
        await venues.createGate(
          site,
          {
            id: gateId(id),
            zoneId: 'z',
            direction: 'both',
            kind: 'tripod',
            name: { zh: id, en: id },
            active: true,
          },
          SYSTEM_CONTEXT,
        );
    });
    afterEach(async () => {
      // Leave nothing retained on a shared broker.
      if (sharedUrl && !cloud?.broker) {
        const client = await mqtt.connectAsync(sharedUrl, { reconnectPeriod: 0 });
        for (const id of GATES)
          await client.publishAsync(gateTopic(site, gateId(id), 'config'), Buffer.alloc(0), {
            qos: 1,
            retain: true,
          });
        await client.endAsync();
      }
      await cloud?.close();
      cloud = undefined;
      await test.dispose();
    });

    it('clears the retained config of a deactivated or removed gate; one that comes back gets a new version', async () => {
      cloud = await start();
      const names = GATES.map(gateId);
      expect(
        await eventually(async () => {
          const now = await retained();
          return Object.keys(now).length === 3 ? now : undefined;
        }),
      ).toEqual(Object.fromEntries(names.map((id) => [id, 1])));

      const { client, seen } = await observer();
      const cleared: string[] = [];
      cloud.bus.onRecord((record) => {
        if (
          record.direction === 'out' &&
          record.channel === 'config' &&
          record.size === 0 &&
          record.result === 'ok'
        )
          cleared.push(record.gateId ?? '');
      });
      await venues.updateGate(site, gateId('G02'), { active: false }, SYSTEM_CONTEXT);
      await venues.deleteGate(site, gateId('G03'), SYSTEM_CONTEXT);
      await cloud.gateConfig.refresh(site);
      // Subscribed gates are told too: an empty payload on their config topic.
      await eventually(() =>
        seen.get(gateId('G02'))?.at(-1) === null && seen.get(gateId('G03'))?.at(-1) === null
          ? true
          : undefined,
      );
      await client.endAsync(true);
      // Each clear is in the communication log like any message to a gate.
      expect(cleared.sort()).toEqual([gateId('G02'), gateId('G03')]);
      expect(await retained()).toEqual({ [gateId('G01')]: 1 });
      const rows = await test.database.db
        .selectFrom('gate_configs')
        .select(['gate_id', 'version', 'published_at', 'fingerprint'])
        .orderBy('gate_id')
        .execute();
      expect(
        rows.map((r) => [r.gate_id, r.version, r.published_at === null, r.fingerprint === null]),
      ).toEqual([
        [gateId('G01'), 1, false, false],
        [gateId('G02'), 1, true, true],
        [gateId('G03'), 1, true, true],
      ]);

      // Back in service: a version above the one the gate last held.
      await venues.updateGate(site, gateId('G02'), { active: true }, SYSTEM_CONTEXT);
      await cloud.gateConfig.refresh(site);
      expect(await retained()).toEqual({ [gateId('G01')]: 1, [gateId('G02')]: 2 });

      // Removed while the cloud was down: cleared at the next start.
      await cloud.close();
      cloud = undefined;
      await venues.deleteGate(site, gateId('G01'), SYSTEM_CONTEXT);
      cloud = await start();
      expect(await retained()).toEqual({ [gateId('G02')]: 2 });
    }, 30_000);
  });
});
