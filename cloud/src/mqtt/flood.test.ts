import { encodeMessage, gateTopic, type Heartbeat } from '@scenic/protocol';
import { eventually } from '@scenic/testkit/eventually';
import type { MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseBackends, type TestDatabase } from '../db/testing.js';
import { GateAccessService } from '../modules/gate-access/service.js';
import type { CloudMqtt } from '../modules/services.js';
import { connectGate, passageOf, seedGates, startTestMqtt } from './testing.js';

const BUDGET = { MQTT_GATE_RATE: '20', MQTT_GATE_BURST: '64', MQTT_GATE_BACKOFF_SECONDS: '2' };

function heartbeat(gateId: string): Heartbeat {
  return {
    type: 'heartbeat',
    v: 1,
    gateId,
    at: Date.now(),
    uptimeSec: 60,
    counters: { scans: 0, admits: 0, denies: 0 },
    outboxDepth: 0,
    whitelistVersion: 1,
    configVersion: 1,
  };
}

const cases = databaseBackends().flatMap((backend) =>
  (['broker', 'client'] as const).map((intake) => ({
    backend,
    intake,
    name: `${backend.name}, ${intake} intake`,
  })),
);

describe.each(cases)('a flooding gate on $name', ({ backend, intake }) => {
  let test: TestDatabase;
  let cloud: CloudMqtt;
  let url: string;
  const clients: MqttClient[] = [];

  beforeEach(async () => {
    test = await backend.create();
    await seedGates(test.database.db, 'park', ['G01', 'G02']);
    cloud = await startTestMqtt(test.database, BUDGET, { intake });
    url = `mqtt://127.0.0.1:${cloud.broker?.port}`;
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) client.end(true);
    await cloud.close();
    await test.dispose();
  });

  it('is dropped beyond its budget, cut off with an alert, and costs the log a row per reason and minute', async () => {
    const access = new GateAccessService(test.database.db);
    const { password } = await access.issue('G01');
    const flooder = await connectGate(url, 'park', 'G01', password);
    const other = await connectGate(url, 'park', 'G02', (await access.issue('G02')).password);
    clients.push(flooder, other);
    const closed = new Promise<void>((resolve) => flooder.once('close', () => resolve()));

    const topic = gateTopic('park', 'G01', 'heartbeat');
    const valid = encodeMessage(heartbeat('G01'), 'heartbeat');
    for (let i = 0; i < 5_000; i++) flooder.publish(topic, i % 2 === 0 ? valid : Buffer.from(`garbage ${i}`));
    const event = passageOf('G02');
    await other.publishAsync(
      gateTopic('park', 'G02', 'event/passage'),
      encodeMessage(event, 'event/passage'),
      {
        qos: 1,
      },
    );
    await eventually(() =>
      test.database.db
        .selectFrom('passage_events')
        .select('event_id')
        .where('event_id', '=', event.eventId)
        .executeTakeFirst(),
    );

    // The control room hears of it, and the dropped messages are counted.
    const status = await eventually(() => cloud.gateStatus.get('G01')?.floodedUntil ?? undefined);
    expect(status).toBeGreaterThan(Date.now());
    const overBudget = await eventually(() => {
      const dropped = cloud.metrics
        .snapshot()
        .filter((c) => c.reason === 'OVER_BUDGET')
        .reduce((sum, c) => sum + c.messages, 0);
      return dropped > 0 ? dropped : undefined;
    });
    expect(overBudget).toBeGreaterThan(0);
    expect(cloud.metrics.prometheus()).toMatch(/^sg_mqtt_gate_floods_total 1$/m);

    if (intake === 'broker') {
      // Cut off, and refused while backed off; welcome again afterwards.
      await closed;
      await expect(connectGate(url, 'park', 'G01', password)).rejects.toThrow(/Server unavailable/);
      const back = await eventually(
        () => connectGate(url, 'park', 'G01', password).catch(() => undefined),
        5_000,
      );
      clients.push(back);
      await eventually(() => (cloud.gateStatus.get('G01')?.floodedUntil === null ? true : undefined));
    }

    // At most a row per reason and minute (two, when the flood straddled a minute), plus the valid ones let through.
    await cloud.commLog.flush();
    const rows = await test.database.db
      .selectFrom('comm_log')
      .select(['reason', 'count'])
      .where('gate_id', '=', 'G01')
      .where('direction', '=', 'in')
      .execute();
    expect(rows.length).toBeLessThan(2 * 3 + 64 + 40);
    const counted = rows.reduce((sum, r) => sum + Number(r.count), 0);
    expect(counted).toBeGreaterThan(64);
    expect(counted).toBeLessThanOrEqual(5_000);
  }, 30_000);
});
