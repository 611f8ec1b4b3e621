/**
 * Whitelist distribution over the embedded broker on each database: a committed change reaches a gate as the next
 * delta within a second; sync requests get the missing deltas, or a snapshot when the gate is new, asks in full or
 * is too far behind; an unregistered gate gets nothing.
 */
import {
  decodeMessage,
  encodeMessage,
  gateTopic,
  type SyncRequest,
  siteTopic,
  type WhitelistDelta,
  type WhitelistSnapshot,
} from '@scenic/protocol';
import { eventually } from '@scenic/testkit/eventually';
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseBackends, type TestDatabase } from '../../db/testing.js';
import { transaction } from '../../db/transaction.js';
import { startTestMqtt } from '../../mqtt/testing.js';
import { GateAccessService } from '../gate-access/service.js';
import { issueTicket, seedGateSite, TYPES } from '../gate-validation/testing.js';
import type { CloudMqtt } from '../services.js';
import { TicketsService } from '../tickets/service.js';

type Received = { topic: string; message: WhitelistDelta | WhitelistSnapshot; at: number };

describe.each(databaseBackends())('whitelist distribution on $name', (backend) => {
  let test: TestDatabase;
  let cloud: CloudMqtt;
  let gate: MqttClient;
  const received: Received[] = [];

  beforeEach(async () => {
    received.length = 0;
    test = await backend.create();
    await seedGateSite(test.database.db, ['G01']);
    cloud = await startTestMqtt(test.database);
    const { password } = await new GateAccessService(test.database.db).issue('G01');
    gate = await mqtt.connectAsync(`mqtt://127.0.0.1:${cloud.broker!.port}`, {
      clientId: 'sg-park-G01',
      username: 'gate@park@G01',
      password,
      reconnectPeriod: 0,
    });
    gate.on('message', (topic, payload) => {
      const channel = topic.endsWith('site/whitelist') ? 'site/whitelist' : 'whitelist';
      received.push({
        topic,
        message: decodeMessage(channel, payload) as Received['message'],
        at: Date.now(),
      });
    });
    await gate.subscribeAsync({
      [siteTopic('park', 'site/whitelist')]: { qos: 1 },
      [gateTopic('park', 'G01', 'whitelist')]: { qos: 1 },
    });
  });
  afterEach(async () => {
    await gate.endAsync(true);
    await cloud.close();
    await test.dispose();
  });

  function ask(haveVersion: number, full = false): Promise<void> {
    const request: SyncRequest = {
      type: 'sync_request',
      v: 1,
      requestId: `sr-${haveVersion}-${full}`,
      gateId: 'G01',
      haveVersion,
      full,
      reason: full ? 'command' : 'gap',
      at: Date.now(),
    };
    return gate
      .publishAsync(gateTopic('park', 'G01', 'whitelist/req'), encodeMessage(request, 'whitelist/req'), {
        qos: 1,
      })
      .then(() => undefined);
  }
  const live = () =>
    received.filter((r) => r.topic.endsWith('site/whitelist')).map((r) => r.message as WhitelistDelta);
  const own = () => received.filter((r) => !r.topic.endsWith('site/whitelist')).map((r) => r.message);

  it('publishes each committed change within a second, one delta per round covering what is new', async () => {
    const started = Date.now();
    const first = await issueTicket(test.database.db);
    const delta = await eventually(() => live().find((d) => d.upserts[0]?.ticketId === first));
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(delta).toMatchObject({ fromVersion: 0, toVersion: 1, removals: [] });
    expect(delta.upserts[0]).toMatchObject({ status: 'active', entriesUsed: 0 });

    // A refund of the same ticket and a new ticket: versions 2 and 3, in one delta or two consecutive ones.
    await transaction(test.database.db, (trx) =>
      new TicketsService(trx).change(trx, first, 'refund', { status: 'refunded' }),
    );
    const second = await issueTicket(test.database.db);
    await eventually(() => (live().at(-1)?.toVersion === 3 ? true : undefined));
    const deltas = live();
    for (let i = 1; i < deltas.length; i++) expect(deltas[i]!.fromVersion).toBe(deltas[i - 1]!.toVersion);
    const last = new Map(deltas.flatMap((d) => d.upserts).map((r) => [r.ticketId, r.status]));
    expect(last).toEqual(
      new Map([
        [first, 'refunded'],
        [second, 'active'],
      ]),
    );
  });

  it('merges a burst of changes into one delta per round, each ticket once with its last record', async () => {
    const card = await issueTicket(test.database.db, { typeId: TYPES.count, entriesTotal: 50 });
    await eventually(() => (live().at(-1)?.toVersion === 1 ? true : undefined));
    received.length = 0;
    // 40 entries used in one transaction: 40 versions, one ticket.
    await transaction(test.database.db, async (trx) => {
      for (let used = 1; used <= 40; used++)
        await new TicketsService(trx).change(trx, card, 'use', { entriesUsed: used });
    });
    const delta = await eventually(() => live()[0]);
    expect(delta).toMatchObject({ fromVersion: 1, toVersion: 41, removals: [] });
    expect(delta.upserts).toHaveLength(1);
    expect(delta.upserts[0]).toMatchObject({ ticketId: card, entriesUsed: 40 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(live()).toHaveLength(1);
  });

  it('answers a sync request with the missing versions in one delta, or a snapshot for a new gate or in full', async () => {
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await issueTicket(test.database.db));
    await eventually(() => (live().at(-1)?.toVersion === 3 ? true : undefined));

    received.length = 0;
    await ask(1);
    const [catchUp] = await eventually(() => (own().length === 1 ? own() : undefined));
    expect(catchUp).toMatchObject({ type: 'whitelist_delta', fromVersion: 1, toVersion: 3 });
    expect((catchUp as WhitelistDelta).upserts.map((r) => r.ticketId).sort()).toEqual(ids.slice(1).sort());

    received.length = 0;
    await ask(0);
    const [snapshot] = await eventually(() => (own().length === 1 ? own() : undefined));
    expect(snapshot).toMatchObject({ type: 'whitelist_snapshot', version: 3, chunk: 0, chunks: 1 });
    expect((snapshot as WhitelistSnapshot).records.map((r) => r.ticketId).sort()).toEqual([...ids].sort());

    received.length = 0;
    await ask(3, true);
    await eventually(() =>
      own().length === 1 && own()[0]!.type === 'whitelist_snapshot' ? true : undefined,
    );
    // Up to date and not asking in full: nothing to send.
    received.length = 0;
    await ask(3);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(own()).toEqual([]);
    const lag = await cloud.whitelist.lag('park');
    expect(lag.head).toBe(3);
  });

  it('splits a snapshot into chunks of at most 2,000 records', async () => {
    const signer = await (await import('../gate-validation/testing.js'))
      .signingKeys(test.database.db)
      .active();
    // QR validity is in whole minutes.
    const now = Math.floor(Date.now() / 60_000) * 60_000;
    const many = Array.from({ length: 2_100 }, () => ({
      siteId: 'park',
      typeId: 101,
      typeVersion: 1,
      saleId: null,
      saleLine: null,
      visitDay: Math.floor(now / 86_400_000),
      validFrom: now - 60_000,
      validTo: now + 86_400_000,
      entriesTotal: 1,
      persons: 1,
      slot: null,
      holder: null,
      priceFen: 1,
      flags: 0,
    }));
    await transaction(test.database.db, (trx) => new TicketsService(trx).issue(trx, many, signer));
    received.length = 0;
    await ask(0, true);
    const chunks = await eventually(
      () => (own().length === 2 ? (own() as WhitelistSnapshot[]) : undefined),
      10_000,
    );
    expect(chunks.map((c) => [c.chunk, c.chunks, c.records.length, c.version])).toEqual([
      [0, 2, 2_000, 2_100],
      [1, 2, 100, 2_100],
    ]);
  }, 20_000);
});
