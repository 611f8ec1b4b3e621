/**
 * The cloud's MQTT side end to end on the embedded broker: gate logins and ACL, live status from retained state and
 * the last will, and the communication log of good and bad messages — on each database backend.
 */
import { createServer } from 'node:net';
import { encodeMessage, gateTopic, siteTopic } from '@scenic/protocol';
import { eventually } from '@scenic/testkit/eventually';
import type { MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseBackends, type TestDatabase } from '../db/testing.js';
import { GateAccessService } from '../modules/gate-access/service.js';
import type { CloudMqtt } from '../modules/services.js';
import { VenuesService } from '../modules/venues/service.js';
import { ListenError } from './listen-errors.js';
import { connectGate, gateState, seedGates, startTestMqtt } from './testing.js';

describe.each(databaseBackends())('cloud MQTT on $name', (backend) => {
  let test: TestDatabase;
  let cloud: CloudMqtt;
  let access: GateAccessService;
  let url: string;
  const gates: MqttClient[] = [];

  beforeEach(async () => {
    test = await backend.create();
    await seedGates(test.database.db, 'park', ['G01', 'G02']);
    cloud = await startTestMqtt(test.database);
    access = new GateAccessService(test.database.db, (gate) => cloud.disconnectGate(gate));
    url = `mqtt://127.0.0.1:${cloud.broker?.port}`;
  });

  afterEach(async () => {
    for (const gate of gates.splice(0)) gate.end(true);
    await cloud.close();
    await test.dispose();
  });

  async function gate(gateId: string, password: string): Promise<MqttClient> {
    const client = await connectGate(url, 'park', gateId, password);
    gates.push(client);
    return client;
  }

  async function logRows() {
    await cloud.commLog.flush();
    return test.database.db.selectFrom('comm_log').selectAll().orderBy('id').execute();
  }

  /** The cloud sends gate G01 a command, valid for a minute. */
  function commandG01(commandId: string, kind: 'emergency_open' | 'reboot') {
    return cloud.bus.publish(
      { siteId: 'park', gateId: 'G01', channel: 'cmd' },
      {
        type: 'command',
        v: 1,
        commandId,
        issuedAt: Date.now(),
        expiresAt: Date.now() + 60_000,
        action: { kind },
      },
    );
  }

  function closed(client: MqttClient): Promise<void> {
    return new Promise((resolve) => client.once('close', () => resolve()));
  }

  it('accepts a gate with its credential and refuses a wrong password, a borrowed client id and anonymous', async () => {
    const { password } = await access.issue('G01');
    const client = await gate('G01', password);
    expect(client.connected).toBe(true);
    await expect(connectGate(url, 'park', 'G01', `${password}x`)).rejects.toThrow(/Bad username or password/);
    // G02 has no credential; G01's password with G02's name is refused.
    await expect(connectGate(url, 'park', 'G02', password)).rejects.toThrow(/Bad username or password/);
    // Right login, but another gate's client id (which would kick that gate off).
    await expect(connectGate(url, 'park', 'G01', password, { clientId: 'sg-park-G02' })).rejects.toThrow(
      /Bad username or password/,
    );
    await expect(
      connectGate(url, 'park', 'G01', password, { username: undefined, password: undefined }),
    ).rejects.toThrow(/Bad username or password/);
  });

  it('disconnects and then refuses a revoked gate; a rotated password replaces the old one at once', async () => {
    const first = await access.issue('G01');
    const client = await gate('G01', first.password);
    const dropped = closed(client);
    client.options.reconnectPeriod = 0;
    const rotated = await access.rotate('G01');
    await dropped;
    await expect(connectGate(url, 'park', 'G01', first.password)).rejects.toThrow(/Bad username or password/);
    const again = await gate('G01', rotated.password);
    const droppedAgain = closed(again);
    await access.revoke('G01');
    await droppedAgain;
    await expect(connectGate(url, 'park', 'G01', rotated.password)).rejects.toThrow(
      /Bad username or password/,
    );
  });

  it('disconnects a gate when it is deactivated, and refuses it afterwards', async () => {
    const venues = new VenuesService(test.database.db, undefined, (retired) => cloud.disconnectGate(retired));
    const context = { actor: { id: null, username: 'test' }, ip: null };
    const first = await access.issue('G01');
    const client = await gate('G01', first.password);
    client.options.reconnectPeriod = 0;
    const dropped = closed(client);
    const other = await gate('G02', (await access.issue('G02')).password);
    await venues.updateGate('park', 'G01', { active: false }, context);
    await dropped;
    await expect(connectGate(url, 'park', 'G01', first.password)).rejects.toThrow(/Bad username or password/);
    // Another gate's session stays; a change that keeps the gate active drops nothing.
    await venues.updateGate('park', 'G02', { name: { zh: '二号', en: 'No. 2' } }, context);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(other.connected).toBe(true);
  });

  it('refuses a publish on another gate’s topic (logged as ACL_DENIED) and a subscription outside the ACL', async () => {
    const { password } = await access.issue('G01');
    const client = await gate('G01', password);
    // mqtt.js rejects when any filter is refused; the SUBACK it carries has the per-filter results.
    const failure = await client
      .subscribeAsync({
        [gateTopic('park', 'G01', 'cmd')]: { qos: 1 },
        [siteTopic('park', 'site/cmd')]: { qos: 1 },
        [gateTopic('park', 'G02', 'cmd')]: { qos: 1 },
        'sg/v1/#': { qos: 1 },
      })
      .then(
        () => undefined,
        (error: { packet?: { granted?: number[] } }) => error,
      );
    expect(failure?.packet?.granted).toEqual([1, 1, 128, 128]);

    const dropped = closed(client);
    client.publish(
      gateTopic('park', 'G02', 'state'),
      encodeMessage(gateState('G02', true, Date.now()), 'state'),
      {
        qos: 1,
        retain: true,
      },
    );
    await dropped;
    const rows = await eventually(async () => {
      const all = await logRows();
      return all.some((r) => r.reason === 'ACL_DENIED' && r.message_type !== 'subscribe') ? all : undefined;
    });
    const denied = rows.filter((r) => r.reason === 'ACL_DENIED');
    expect(denied).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          direction: 'in',
          site_id: 'park',
          gate_id: 'G01',
          topic: 'sg/v1/park/gate/G02/state',
          channel: 'state',
          result: 'rejected',
        }),
        expect.objectContaining({
          gate_id: 'G01',
          topic: 'sg/v1/park/gate/G02/cmd',
          message_type: 'subscribe',
        }),
      ]),
    );
    // The refused state never reached anyone: G02 has no status.
    // (G01's own last will, published when the broker dropped it, may have arrived by now; it is about G01.)
    expect(
      await test.database.db.selectFrom('gate_status').selectAll().where('gate_id', '=', 'G02').execute(),
    ).toEqual([]);
  });

  it('tracks a gate online from its retained state and offline from its last will after an abrupt disconnect', async () => {
    const { password } = await access.issue('G01');
    const client = await gate('G01', password);
    const since = Date.now() - 1_000;
    await client.publishAsync(
      gateTopic('park', 'G01', 'state'),
      encodeMessage(gateState('G01', true, since), 'state'),
      {
        qos: 1,
        retain: true,
      },
    );
    const online = await eventually(() => {
      const status = cloud.gateStatus.get('G01');
      return status?.online ? status : undefined;
    });
    expect(online).toMatchObject({
      siteId: 'park',
      mode: 'normal',
      firmware: '1.0.0',
      whitelistVersion: 3,
      since,
    });

    await client.publishAsync(
      gateTopic('park', 'G01', 'heartbeat'),
      encodeMessage(
        {
          type: 'heartbeat',
          v: 1,
          gateId: 'G01',
          at: Date.now(),
          uptimeSec: 60,
          counters: { scans: 5, admits: 4, denies: 1 },
          outboxDepth: 2,
          whitelistVersion: 4,
          configVersion: 2,
        },
        'heartbeat',
      ),
    );
    await eventually(() => (cloud.gateStatus.get('G01')?.outboxDepth === 2 ? true : undefined));

    const beforeDrop = Date.now();
    (client.stream as unknown as { destroy(): void }).destroy();
    const row = await eventually(async () => {
      const found = await test.database.db
        .selectFrom('gate_status')
        .selectAll()
        .where('gate_id', '=', 'G01')
        .executeTakeFirst();
      return found?.online === 0 ? found : undefined;
    });
    expect(row).toMatchObject({
      site_id: 'park',
      online: 0,
      scans: 5,
      outbox_depth: 2,
      // The will's whitelist version (3, from connect time) does not overwrite the heartbeat's newer 4.
      whitelist_version: 4,
    });
    expect(row.since).toBeGreaterThanOrEqual(beforeDrop);
  });

  it('logs malformed, oversized, unknown-type and mismatched messages with their reason, and changes nothing', async () => {
    const { password } = await access.issue('G01');
    const client = await gate('G01', password);
    const state = gateTopic('park', 'G01', 'state');
    await client.publishAsync(state, Buffer.from('{not json'), { qos: 1 });
    await client.publishAsync(state, Buffer.alloc(5_000, 0x20), { qos: 1 });
    await client.publishAsync(state, JSON.stringify({ type: 'passage', v: 1 }), { qos: 1 });
    await client.publishAsync(state, JSON.stringify({ ...gateState('G01', true, 1), mode: 'party' }), {
      qos: 1,
    });
    await client.publishAsync(state, encodeMessage(gateState('G02', true, 1), 'state'), { qos: 1 });
    const rows = await eventually(async () => {
      const all = (await logRows()).filter((r) => r.topic === state);
      return all.length >= 5 ? all : undefined;
    });
    expect(rows.map((r) => [r.result, r.reason])).toEqual([
      ['rejected', 'BAD_JSON'],
      ['rejected', 'TOO_LARGE'],
      ['rejected', 'UNKNOWN_MESSAGE_TYPE'],
      ['rejected', 'BAD_MESSAGE'],
      ['rejected', 'GATE_MISMATCH'],
    ]);
    expect(rows[1]).toMatchObject({ size: 5_000, gate_id: 'G01', direction: 'in', channel: 'state' });
    expect(client.connected).toBe(true);
    // (G01's own last will, published when the broker dropped it, may have arrived by now; it is about G01.)
    expect(
      await test.database.db.selectFrom('gate_status').selectAll().where('gate_id', '=', 'G02').execute(),
    ).toEqual([]);
    expect(cloud.metrics.snapshot()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ channel: 'state', result: 'rejected', reason: 'BAD_JSON', messages: 1 }),
      ]),
    );
  });

  it('logs what the cloud publishes to a gate', async () => {
    await commandG01('c-1', 'emergency_open');
    // The gates' retained configs, published at start, are logged too; this is about the command.
    const row = await eventually(async () => (await logRows()).find((r) => r.channel === 'cmd'));
    expect(row).toMatchObject({
      direction: 'out',
      gate_id: 'G01',
      channel: 'cmd',
      message_type: 'command',
      result: 'ok',
    });
  });

  it('delivers what the cloud publishes like a client publish: retained configs, and QoS 1 queued for a gate away', async () => {
    const { password } = await access.issue('G01');
    const received = (client: MqttClient) => {
      const messages: { topic: string; retain: boolean; qos: number }[] = [];
      client.on('message', (topic, _payload, packet) =>
        messages.push({ topic, retain: packet.retain, qos: packet.qos }),
      );
      return messages;
    };
    const first = await gate('G01', password);
    const before = received(first);
    await first.subscribeAsync({
      [gateTopic('park', 'G01', 'config')]: { qos: 1 },
      [gateTopic('park', 'G01', 'cmd')]: { qos: 1 },
    });
    // The config the cloud published at start is retained on the broker, so a later subscriber gets it.
    await eventually(() => before.find((m) => m.topic === gateTopic('park', 'G01', 'config') && m.retain));
    first.end(true);
    await closed(first);

    // While the gate is away its persistent session (clean: false) keeps the QoS 1 command for it.
    await commandG01('c-away', 'reboot');
    const back = await connectGate(url, 'park', 'G01', password);
    gates.push(back);
    const after = received(back);
    const command = await eventually(() => after.find((m) => m.topic === gateTopic('park', 'G01', 'cmd')));
    expect(command).toMatchObject({ qos: 1, retain: false });
  });
});

describe('embedded broker start-up', () => {
  it('fails with one bilingual line when the MQTT port is taken', async () => {
    const holder = createServer();
    const port = await new Promise<number>((resolve) =>
      holder.listen(0, '127.0.0.1', () => resolve((holder.address() as { port: number }).port)),
    );
    const [backend] = databaseBackends();
    const test = await backend!.create();
    try {
      const error = await startTestMqtt(test.database, { MQTT_PORT: String(port) }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ListenError);
      expect((error as ListenError).line).toBe(
        `MQTT 端口 ${port} 已被占用（127.0.0.1），请关闭占用它的程序或设置 MQTT_PORT 换一个端口 / ` +
          `MQTT port ${port} on 127.0.0.1 is already in use: stop the program holding it or set MQTT_PORT to another port`,
      );
    } finally {
      await test.dispose();
      await new Promise((resolve) => holder.close(resolve));
    }
  });
});

describe('external broker out of reach', () => {
  it('starts, and shuts down although gate configs wait to be published', async () => {
    const holder = createServer();
    const port = await new Promise<number>((resolve) =>
      holder.listen(0, '127.0.0.1', () => resolve((holder.address() as { port: number }).port)),
    );
    await new Promise((resolve) => holder.close(resolve));
    const [backend] = databaseBackends();
    const test = await backend!.create();
    try {
      await seedGates(test.database.db, 'park', ['G01']);
      const cloud = await startTestMqtt(test.database, { MQTT_URL: `mqtt://127.0.0.1:${port}` });
      const started = Date.now();
      await cloud.close();
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await test.dispose();
    }
  }, 15_000);
});
