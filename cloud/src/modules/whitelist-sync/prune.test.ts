/**
 * Pruning on each database: feed rows older than the retention and reservations that lapsed before theirs go in
 * bounded batches, newer ones stay; a gate asking for versions before the oldest row kept gets a snapshot, one after
 * it gets the rest as deltas.
 */
import { randomUUID } from 'node:crypto';
import { decodeMessage, type SyncRequest, type WhitelistDelta } from '@scenic/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseBackends, type TestDatabase } from '../../db/testing.js';
import { transaction } from '../../db/transaction.js';
import { MqttBus } from '../../mqtt/bus.js';
import { silentLogger } from '../../mqtt/testing.js';
import { insertReservation, pruneReservations } from '../gate-validation/repo.js';
import { issueTicket, seedGateSite, TYPES } from '../gate-validation/testing.js';
import { TicketsService } from '../tickets/service.js';
import { WhitelistDistributor } from './distributor.js';

const DAY = 86_400_000;

/** What the distributor asks of online validation: its lapsed reservations pruned, on the test's database. */
const reservationsOf = (db: () => Parameters<typeof pruneReservations>[0]) => ({
  pruneReservations: (before: number, batch: number) => pruneReservations(db(), before, batch),
});

/** The distributor as the container builds it, on the test's database and bus. */
const distributorWith = (
  db: () => TestDatabase['database']['db'],
  bus: MqttBus,
  options: ConstructorParameters<typeof WhitelistDistributor>[5],
) => new WhitelistDistributor(db(), new TicketsService(db()), reservationsOf(db), bus, silentLogger, options);

describe.each(databaseBackends())('whitelist pruning on $name', (backend) => {
  let test: TestDatabase;
  let bus: MqttBus;
  const sent: { topic: string; message: ReturnType<typeof decodeMessage> }[] = [];

  beforeEach(async () => {
    sent.length = 0;
    test = await backend.create();
    await seedGateSite(test.database.db, ['G01']);
    bus = new MqttBus(silentLogger);
    bus.attach({
      publish: async (topic, payload) => {
        sent.push({ topic, message: decodeMessage('whitelist', payload) });
      },
    });
  });
  afterEach(() => test.dispose());

  const db = () => test.database.db;
  const feedVersions = async () =>
    (await db().selectFrom('whitelist_feed').select('version').orderBy('version').execute()).map((r) =>
      Number(r.version),
    );
  const ask = (distributor: WhitelistDistributor, haveVersion: number) => {
    const request: SyncRequest = {
      type: 'sync_request',
      v: 1,
      requestId: randomUUID(),
      gateId: 'G01',
      haveVersion,
      full: false,
      reason: 'gap',
      at: Date.now(),
    };
    return distributor.answer('park', 'G01', request);
  };

  it('deletes feed rows past the retention in batches; a gate behind them gets a snapshot', async () => {
    const card = await issueTicket(db(), { typeId: TYPES.count, entriesTotal: 20 });
    await transaction(db(), async (trx) => {
      for (let used = 1; used <= 6; used++)
        await new TicketsService(trx).change(trx, card, 'use', { entriesUsed: used });
    });
    // Versions 1–7 are a day old, 8–9 new.
    await db()
      .updateTable('whitelist_feed')
      .set({ at: Date.now() - DAY })
      .execute();
    const fresh = await issueTicket(db());
    await transaction(db(), (trx) => new TicketsService(trx).change(trx, card, 'use', { entriesUsed: 7 }));
    expect(await feedVersions()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);

    const distributor = distributorWith(db, bus, {
      feedRetentionMs: DAY / 2,
      pruneBatch: 3,
    });
    expect(await distributor.prune()).toEqual({ feedRows: 7, reservations: 0 });
    expect(await feedVersions()).toEqual([8, 9]);
    expect(await distributor.prune()).toEqual({ feedRows: 0, reservations: 0 });

    // Version 7 is the last one pruned: a gate at 7 still gets deltas, one at 5 a snapshot.
    expect(await ask(distributor, 7)).toEqual({ kind: 'deltas', count: 1, versions: 2 });
    const delta = sent.at(-1)!.message as WhitelistDelta;
    expect(delta).toMatchObject({ fromVersion: 7, toVersion: 9 });
    expect(delta.upserts.map((r) => [r.ticketId, r.entriesUsed]).sort()).toEqual(
      [
        [card, 7],
        [fresh, 0],
      ].sort(),
    );
    expect(await ask(distributor, 5)).toMatchObject({ kind: 'snapshot', version: 9, records: 2 });
    expect(await ask(distributor, 9)).toEqual({ kind: 'current' });
  });

  it('moves past feed rows pruned before they were published, so gates see a gap and resync', async () => {
    // One version per page: a round that finds its page empty must still move on.
    const distributor = distributorWith(db, bus, {
      intervalMs: 3_600_000,
      page: 1,
    });
    await distributor.start();
    try {
      await issueTicket(db());
      await issueTicket(db());
      await db().deleteFrom('whitelist_feed').execute();
      await distributor.poll();
      expect(sent).toEqual([]);
      await distributor.poll();
      const third = await issueTicket(db());
      await distributor.poll();
      expect(sent.map((s) => s.message)).toMatchObject([
        { type: 'whitelist_delta', fromVersion: 2, toVersion: 3, upserts: [{ ticketId: third }] },
      ]);
    } finally {
      await distributor.stop();
    }
  });

  it('deletes reservations that lapsed before the retention, in batches, and keeps the rest', async () => {
    const ticket = await issueTicket(db(), { entriesTotal: null });
    const now = Date.now();
    const reserve = (expiresAt: number, confirmed: boolean) =>
      insertReservation(db(), {
        gate_id: 'G01',
        correlation_id: `vr-${randomUUID()}`,
        site_id: 'park',
        ticket_id: ticket,
        direction: 'in',
        consumes: 0,
        entries_left: null,
        at: expiresAt - 10_000,
        expires_at: expiresAt,
      }).then(async () => {
        if (confirmed)
          await db()
            .updateTable('ticket_reservations')
            .set({ confirmed_at: expiresAt - 5_000, event_id: randomUUID() })
            .where('expires_at', '=', expiresAt)
            .execute();
      });
    for (let i = 0; i < 7; i++) await reserve(now - 3 * DAY - i * 1_000, i % 2 === 0);
    await reserve(now - DAY, false);
    await reserve(now + 10_000, false);

    const distributor = distributorWith(db, bus, {
      reservationRetentionMs: 2 * DAY,
      pruneBatch: 3,
    });
    expect(await distributor.prune()).toEqual({ feedRows: 0, reservations: 7 });
    const left = await db().selectFrom('ticket_reservations').select('expires_at').execute();
    expect(left.map((r) => Number(r.expires_at)).sort()).toEqual([now - DAY, now + 10_000]);
  });
});
