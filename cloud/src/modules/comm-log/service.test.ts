import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseBackends, type TestDatabase } from '../../db/testing.js';
import type { CommRecord } from '../../mqtt/extensions/types.js';
import { silentLogger } from '../../mqtt/testing.js';
import { CommLogRepo } from './repo.js';
import { CommLogService } from './service.js';
import { CommLogWriter } from './writer.js';

function record(at: number, overrides: Partial<CommRecord> = {}): CommRecord {
  return {
    at,
    direction: 'in',
    siteId: 'park',
    gateId: 'G01',
    topic: 'sg/v1/park/gate/G01/heartbeat',
    channel: 'heartbeat',
    messageType: 'heartbeat',
    size: 100,
    result: 'ok',
    reason: null,
    latencyMs: 10,
    ...overrides,
  };
}

// 2025-05-01 23:59:59.999 and 2025-05-02 00:00 in Asia/Shanghai (UTC+8).
const LAST_MS_OF_MAY_1 = Date.UTC(2025, 4, 1, 15, 59, 59, 999);
const MIDNIGHT_MAY_2 = Date.UTC(2025, 4, 1, 16, 0, 0);

describe.each(databaseBackends())('communication log on $name', (backend) => {
  let test: TestDatabase;
  let repo: CommLogRepo;
  let service: CommLogService;

  beforeEach(async () => {
    test = await backend.create();
    repo = new CommLogRepo(test.database.db);
    service = new CommLogService(repo, test.database.db, 'Asia/Shanghai');
  });
  afterEach(() => test.dispose());

  it('summarises per gate per venue-local day, splitting at local midnight', async () => {
    const writer = new CommLogWriter(repo, silentLogger);
    writer.add(record(LAST_MS_OF_MAY_1, { latencyMs: 30 }));
    writer.add(record(MIDNIGHT_MAY_2, { latencyMs: 50 }));
    writer.add(record(MIDNIGHT_MAY_2 + 1, { direction: 'out', size: 40, latencyMs: null, channel: 'cmd' }));
    writer.add(record(MIDNIGHT_MAY_2 + 2, { result: 'rejected', reason: 'BAD_JSON', latencyMs: null }));
    writer.add(record(MIDNIGHT_MAY_2 + 3, { gateId: 'G02' }));
    // Outside the range: 2025-05-03 00:00 Shanghai.
    writer.add(record(MIDNIGHT_MAY_2 + 86_400_000));
    await writer.stop();

    const { timeZone, days } = await service.summary({
      from: '2025-05-01',
      to: '2025-05-02',
      siteId: 'park',
    });
    expect(timeZone).toBe('Asia/Shanghai');
    expect(days).toEqual([
      {
        date: '2025-05-01',
        siteId: 'park',
        gateId: 'G01',
        messagesIn: 1,
        messagesOut: 0,
        rejected: 0,
        bytesIn: 100,
        bytesOut: 0,
        avgLatencyMs: 30,
        maxLatencyMs: 30,
      },
      {
        date: '2025-05-02',
        siteId: 'park',
        gateId: 'G01',
        messagesIn: 2,
        messagesOut: 1,
        rejected: 1,
        bytesIn: 200,
        bytesOut: 40,
        avgLatencyMs: 50,
        maxLatencyMs: 50,
      },
      expect.objectContaining({ date: '2025-05-02', gateId: 'G02', messagesIn: 1 }),
    ]);
    const single = await service.summary({ from: '2025-05-02', to: '2025-05-02', gateId: 'G01' });
    expect(single.days.map((d) => [d.date, d.messagesIn])).toEqual([['2025-05-02', 2]]);
    await expect(service.summary({ from: '2025-05-02', to: '2025-05-01' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });

  it('lists newest first with filters and paging, and prunes by age', async () => {
    await repo.insertMany([
      record(1_000),
      record(2_000, { result: 'rejected', reason: 'TOO_LARGE' }),
      record(3_000, { direction: 'out', messageType: 'command' }),
      record(4_000, { gateId: 'G02' }),
    ]);
    const all = await service.list({}, { limit: 2, offset: 0 });
    expect(all.total).toBe(4);
    expect(all.items.map((i) => i.at)).toEqual([4_000, 3_000]);
    const page2 = await service.list({}, { limit: 2, offset: 2 });
    expect(page2.items.map((i) => i.at)).toEqual([2_000, 1_000]);
    const rejected = await service.list({ gateId: 'G01', result: 'rejected' }, { limit: 10, offset: 0 });
    expect(rejected.items).toEqual([
      expect.objectContaining({ at: 2_000, reason: 'TOO_LARGE', siteId: 'park' }),
    ]);
    const window = await service.list({ from: 2_000, to: 4_000, direction: 'out' }, { limit: 10, offset: 0 });
    expect(window.items.map((i) => i.messageType)).toEqual(['command']);

    expect(await service.pruneOlderThan(1, 86_400_000 + 2_500)).toBe(2);
    expect((await service.list({}, { limit: 10, offset: 0 })).total).toBe(2);
  });

  it('stores a batch that spans several insert sizes with every field of every record', async () => {
    // 341 = 256 + 64 + 16 + 4 + 1: every precompiled size once; each record differs in every column.
    const records = Array.from({ length: 341 }, (_, i) =>
      record(10_000 + i, {
        direction: i % 2 === 0 ? 'in' : 'out',
        siteId: i % 7 === 0 ? null : `s${i % 5}`,
        gateId: i % 11 === 0 ? null : `G${i}`,
        topic: `sg/v1/s/gate/G${i}/heartbeat`,
        channel: i % 13 === 0 ? null : `c${i % 3}`,
        messageType: i % 17 === 0 ? null : `t${i}`,
        size: i * 3,
        result: i % 4 === 0 ? 'rejected' : 'ok',
        reason: i % 4 === 0 ? `R${i}` : null,
        latencyMs: i % 6 === 0 ? null : i,
      }),
    );
    const writer = new CommLogWriter(repo, silentLogger);
    for (const r of records) writer.add(r);
    await writer.stop();
    const { items, total } = await service.list({}, { limit: 500, offset: 0 });
    expect(total).toBe(341);
    const stored = items.map(({ id: _id, ...rest }) => rest).sort((a, b) => a.at - b.at);
    expect(stored).toEqual(records.map((r) => ({ ...r, count: 1 })));
  });

  it('keeps repeated rejects as one row per gate, reason and minute with a count', async () => {
    const minute = Date.UTC(2025, 4, 2, 2, 0, 0);
    const bad = (at: number, overrides: Partial<CommRecord> = {}) =>
      record(at, { result: 'rejected', reason: 'BAD_JSON', latencyMs: null, size: 10, ...overrides });
    const writer = new CommLogWriter(repo, silentLogger);
    // 5,000 garbage messages of one gate within one minute, flushed in two batches.
    for (let i = 0; i < 3_000; i++) writer.add(bad(minute + i));
    await writer.flush();
    for (let i = 3_000; i < 5_000; i++) writer.add(bad(minute + i));
    // Another reason, another gate and the next minute each get their own row; valid messages stay one row each.
    // A claimed message type does not make a row of its own (garbage could vary it without end).
    writer.add(bad(minute + 5, { messageType: 'nonsense' }));
    writer.add(bad(minute + 10, { reason: 'OVER_BUDGET' }));
    writer.add(bad(minute + 20, { gateId: 'G02' }));
    writer.add(bad(minute + 60_000));
    writer.add(record(minute + 30));
    writer.add(record(minute + 31));
    await writer.stop();

    const { items, total } = await service.list({}, { limit: 100, offset: 0 });
    expect(total).toBe(6);
    const rows = items.map((i) => [i.gateId, i.reason, i.at, i.count]);
    expect(rows).toEqual(
      expect.arrayContaining([
        ['G01', 'BAD_JSON', minute, 5_001],
        ['G01', 'OVER_BUDGET', minute + 10, 1],
        ['G02', 'BAD_JSON', minute + 20, 1],
        ['G01', 'BAD_JSON', minute + 60_000, 1],
        ['G01', null, minute + 30, 1],
        ['G01', null, minute + 31, 1],
      ]),
    );
    // The daily summary counts the messages, not the rows.
    const { days } = await service.summary({ from: '2025-05-02', to: '2025-05-02', gateId: 'G01' });
    expect(days).toEqual([
      expect.objectContaining({ gateId: 'G01', messagesIn: 5_005, rejected: 5_003, bytesIn: 50_230 }),
    ]);
  });

  it('stores a gate’s text with NUL characters in it (PostgreSQL refuses them) and the records around it', async () => {
    // A gate chooses the topic and the `type` of a payload it sends; a NUL in either once failed the whole batch on
    // PostgreSQL, and the writer retried it forever, so nothing was logged any more (found by mqtt/fuzz.test.ts).
    const records = [
      record(1_000),
      record(1_001, { messageType: 'heart\u0000beat', result: 'rejected', reason: 'UNKNOWN_MESSAGE_TYPE' }),
      record(1_002, { topic: 'sg/v1/park/gate/G01/state\u0000x', channel: null, reason: 'ACL_DENIED' }),
      record(1_003),
    ];
    const writer = new CommLogWriter(repo, silentLogger);
    for (const r of records) writer.add(r);
    await writer.stop();
    const { items } = await service.list({}, { limit: 10, offset: 0 });
    expect(items.map((i) => [i.at, i.messageType, i.topic]).sort()).toEqual([
      [1_000, 'heartbeat', 'sg/v1/park/gate/G01/heartbeat'],
      [1_001, 'heart\ufffdbeat', 'sg/v1/park/gate/G01/heartbeat'],
      [1_002, 'heartbeat', 'sg/v1/park/gate/G01/state\ufffdx'],
      [1_003, 'heartbeat', 'sg/v1/park/gate/G01/heartbeat'],
    ]);
  });
});
