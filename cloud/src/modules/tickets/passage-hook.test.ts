/**
 * The passage → ticket hook inside real passage ingestion, on each database: count cards use one entry per admitted
 * entry up to their total and become `used` at it, single tickets on their first entry; exits and passes change
 * nothing, a replayed entry only restates the record; every change is a feed row; an unconfirmed passage uses the
 * entry as its type's rules say; a passage after an online validation confirms its reservation.
 */
import { randomUUID } from 'node:crypto';
import { createVenueClock, type PassageEvent } from '@scenic/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseBackends, type TestDatabase } from '../../db/testing.js';
import { silentLogger } from '../../mqtt/testing.js';
import { reservationPassageHook } from '../gate-validation/passage-hook.js';
import { issueTicket, seedGateSite, TYPES } from '../gate-validation/testing.js';
import { OccupancyService } from '../occupancy/service.js';
import { PassageIngestion } from '../passages/service.js';
import { TicketTypesService } from '../ticket-types/service.js';
import { VenuesService } from '../venues/service.js';
import { ticketPassageHook } from './passage-hook.js';
import { TicketsService } from './service.js';

describe.each(databaseBackends())('passage → ticket hook on $name', (backend) => {
  let test: TestDatabase;
  let ingestion: PassageIngestion;

  beforeEach(async () => {
    test = await backend.create();
    await seedGateSite(test.database.db, ['G01']);
    const db = test.database.db;
    ingestion = new PassageIngestion(
      db,
      new OccupancyService(db, { resetHour: 0, hysteresisPct: 3 }, silentLogger),
      // As the container wires them: the reservation hook (gate-validation) runs before the tickets hook.
      [
        reservationPassageHook(),
        ticketPassageHook(new TicketsService(db), (trx, typeId, version) =>
          new TicketTypesService(db, new VenuesService(db)).unconfirmedUsesEntry(typeId, version, trx),
        ),
      ],
    );
  });
  afterEach(() => test.dispose());

  function pass(ticketId: number, overrides: Partial<PassageEvent> = {}): PassageEvent {
    return {
      type: 'passage',
      v: 1,
      eventId: randomUUID(),
      gateId: 'G01',
      at: Date.now(),
      ticketId,
      credentialKind: 'qr',
      direction: 'in',
      persons: 1,
      entriesLeft: null,
      decidedOffline: true,
      correlationId: null,
      ...overrides,
    };
  }
  const ingest = (message: PassageEvent) =>
    ingestion.ingest({ siteId: 'park', gateId: 'G01', message, receivedAt: Date.now() });
  const ticket = (id: number) =>
    test.database.db
      .selectFrom('tickets')
      .select(['status', 'entries_used'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  const feedOps = (id: number) =>
    test.database.db
      .selectFrom('whitelist_feed')
      .select(['op', 'record_json'])
      .where('ticket_id', '=', id)
      .orderBy('version')
      .execute()
      .then((rows) =>
        rows.map((row) => [row.op, (JSON.parse(row.record_json) as { entriesUsed: number }).entriesUsed]),
      );

  it('records the earliest entry of a first-use pass as its activation, in any order, and sends it to the gates', async () => {
    const now = Date.now();
    const id = await issueTicket(test.database.db, {
      entriesTotal: null,
      activation: { by: now + 86_400_000, unit: 'day', count: 30 },
    });
    const firstEntry = async () =>
      (
        await test.database.db
          .selectFrom('tickets')
          .select('first_entry_at')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).first_entry_at;
    await ingest(pass(id, { at: now - 60_000 }));
    expect(Number(await firstEntry())).toBe(now - 60_000);
    // A later entry changes nothing; an exit neither; an earlier one decided offline and reported late moves it.
    await ingest(pass(id, { at: now }));
    await ingest(pass(id, { at: now - 300_000, direction: 'out' }));
    expect(Number(await firstEntry())).toBe(now - 60_000);
    await ingest(pass(id, { at: now - 120_000 }));
    expect(Number(await firstEntry())).toBe(now - 120_000);
    const records = await test.database.db
      .selectFrom('whitelist_feed')
      .select('record_json')
      .where('ticket_id', '=', id)
      .orderBy('version')
      .execute();
    expect(records.map((r) => (JSON.parse(r.record_json) as { firstEntryAt?: number }).firstEntryAt)).toEqual(
      [undefined, now - 60_000, now - 120_000],
    );
  });

  it('records visit days (a late entry on an earlier day adds its day) and the latest entry and exit', async () => {
    const db = test.database.db;
    const shanghai = createVenueClock('Asia/Shanghai');
    const tracking = new PassageIngestion(
      db,
      new OccupancyService(db, { resetHour: 0, hysteresisPct: 3 }, silentLogger),
      [
        ticketPassageHook(new TicketsService(db), async () => true, {
          usageOf: async () => ({ visitDays: true, reentry: true }),
          clockOf: async () => shanghai,
        }),
      ],
    );
    const track = (message: PassageEvent) =>
      tracking.ingest({ siteId: 'park', gateId: 'G01', message, receivedAt: Date.now() });
    const now = Date.now();
    const day = 86_400_000;
    const id = await issueTicket(db, {
      entriesTotal: null,
      validFrom: Math.floor((now - 5 * day) / 60_000) * 60_000,
    });
    const row = () =>
      db
        .selectFrom('tickets')
        .select(['visit_days', 'last_visit_at', 'last_entry_at', 'last_exit_at'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
    const today = shanghai.dayNumber(now);
    await track(pass(id, { at: now - 2 * day }));
    await track(pass(id, { at: now }));
    await track(pass(id, { at: now + 1_000, direction: 'out' }));
    // An entry decided offline three days ago and reported late: its day counts, the latest day stays today.
    await track(pass(id, { at: now - 3 * day }));
    expect(await row()).toEqual({
      visit_days: JSON.stringify([today - 3, today - 2, today]),
      last_visit_at: now,
      last_entry_at: now,
      last_exit_at: now + 1_000,
    });
  });

  it('uses one entry of a count card per admitted entry, up to its total, and marks it used at the total', async () => {
    const card = await issueTicket(test.database.db, { typeId: TYPES.count, entriesTotal: 3 });
    await ingest(pass(card));
    await ingest(pass(card, { direction: 'out' }));
    await ingest(pass(card));
    expect(await ticket(card)).toEqual({ status: 'active', entries_used: 2 });
    await ingest(pass(card));
    expect(await ticket(card)).toEqual({ status: 'used', entries_used: 3 });
    // An offline gate admitted once more: stored, but the count stays at its total.
    expect((await ingest(pass(card))).status).toBe('applied');
    expect(await ticket(card)).toEqual({ status: 'used', entries_used: 3 });
    expect(await feedOps(card)).toEqual([
      ['issue', 0],
      ['use', 1],
      ['use', 2],
      ['use', 3],
    ]);
  });

  it('counts every entry of a card when a batch holds several (read once per batch, kept current)', async () => {
    const card = await issueTicket(test.database.db, { typeId: TYPES.count, entriesTotal: 3 });
    const other = await issueTicket(test.database.db, { typeId: TYPES.count, entriesTotal: 5 });
    // Ingested together, these share one batch and one read of the tickets.
    const results = await Promise.all(
      [pass(card), pass(other), pass(card), pass(card, { direction: 'out' }), pass(card), pass(card)].map(
        ingest,
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(6).fill('applied'));
    expect(await ticket(card)).toEqual({ status: 'used', entries_used: 3 });
    expect(await ticket(other)).toEqual({ status: 'active', entries_used: 1 });
    expect(await feedOps(card)).toEqual([
      ['issue', 0],
      ['use', 1],
      ['use', 2],
      ['use', 3],
    ]);
  });

  it('marks a single ticket used on its first entry; an exit and a pass change nothing', async () => {
    const single = await issueTicket(test.database.db);
    const event = pass(single);
    await ingest(event);
    expect(await ticket(single)).toEqual({ status: 'used', entries_used: 1 });
    await ingest(pass(single, { direction: 'out' }));
    expect(await feedOps(single)).toEqual([
      ['issue', 0],
      ['use', 1],
    ]);
    const pass_ = await issueTicket(test.database.db, { entriesTotal: null });
    await ingest(pass(pass_));
    expect(await ticket(pass_)).toEqual({ status: 'active', entries_used: 0 });
    expect(await feedOps(pass_)).toEqual([['issue', 0]]);
  });

  it('a group code uses its headcount: 25 of 30 leave 5, the rest use them up, an old gate’s 30 is capped', async () => {
    const group = await issueTicket(test.database.db, { typeId: TYPES.group, entriesTotal: 1, persons: 30 });
    expect(await ticket(group)).toEqual({ status: 'active', entries_used: 0 });
    await ingest(pass(group, { persons: 25 }));
    expect(await ticket(group)).toEqual({ status: 'active', entries_used: 25 });
    await ingest(pass(group, { persons: 5 }));
    expect(await ticket(group)).toEqual({ status: 'used', entries_used: 30 });
    expect(await feedOps(group)).toEqual([
      ['issue', 0],
      ['use', 25],
      ['use', 30],
    ]);
    // A gate that still admits a whole group in one scan reports all of it: never beyond the code's persons.
    const old = await issueTicket(test.database.db, { typeId: TYPES.group, entriesTotal: 1, persons: 12 });
    await ingest(pass(old, { persons: 10 }));
    await ingest(pass(old, { persons: 12 }));
    expect(await ticket(old)).toEqual({ status: 'used', entries_used: 12 });
    const stored = await test.database.db
      .selectFrom('passage_events')
      .select('persons')
      .where('ticket_id', '=', group)
      .orderBy('persons')
      .execute();
    expect(stored.map((row) => row.persons)).toEqual([5, 25]);
  });

  it('an unconfirmed group pass uses the persons counted, and the uncertain release only by its type’s policy', async () => {
    const group = await issueTicket(test.database.db, { typeId: TYPES.group, entriesTotal: 1, persons: 30 });
    // 7 counted, then the gate restarted with the turnstile released for the 8th.
    await ingest(pass(group, { persons: 8, unconfirmed: true }));
    expect(await ticket(group)).toEqual({ status: 'active', entries_used: 8 });
    const version = await test.database.db
      .selectFrom('ticket_type_versions')
      .select(['rules_json'])
      .where('type_id', '=', TYPES.group)
      .where('version', '=', 1)
      .executeTakeFirstOrThrow();
    await test.database.db
      .updateTable('ticket_type_versions')
      .set({ rules_json: JSON.stringify({ ...JSON.parse(version.rules_json), unconfirmedUsesEntry: false }) })
      .where('type_id', '=', TYPES.group)
      .where('version', '=', 1)
      .execute();
    const lenient = await issueTicket(test.database.db, {
      typeId: TYPES.group,
      entriesTotal: 1,
      persons: 30,
    });
    await ingest(pass(lenient, { persons: 8, unconfirmed: true }));
    expect(await ticket(lenient)).toEqual({ status: 'active', entries_used: 7 });
    // Nobody counted and the one release uncertain: nothing used, as for a single ticket.
    await ingest(pass(lenient, { persons: 1, unconfirmed: true }));
    expect(await ticket(lenient)).toEqual({ status: 'active', entries_used: 7 });
  });

  it('a replayed entry uses nothing but restates the record at a new feed version, for the gate that sent it again', async () => {
    const card = await issueTicket(test.database.db, { typeId: TYPES.count, entriesTotal: 5 });
    const event = pass(card);
    await ingest(event);
    // The gate died after the cloud stored the event and before it marked it sent; its next start sends it again.
    expect((await ingest(event)).status).toBe('duplicate');
    expect(await ticket(card)).toEqual({ status: 'active', entries_used: 1 });
    expect(await feedOps(card)).toEqual([
      ['issue', 0],
      ['use', 1],
      ['use', 1],
    ]);
    // A replayed exit, and a replay within the batch that stores the event, restate nothing.
    const exit = pass(card, { direction: 'out' });
    await ingest(exit);
    await ingest(exit);
    const twice = pass(card);
    expect((await Promise.all([ingest(twice), ingest(twice)])).map((r) => r.status)).toEqual([
      'applied',
      'duplicate',
    ]);
    expect(await feedOps(card)).toEqual([
      ['issue', 0],
      ['use', 1],
      ['use', 1],
      ['use', 2],
    ]);
  });

  it('stores the unconfirmed flag; an unconfirmed entry uses an entry unless its type says otherwise', async () => {
    const card = await issueTicket(test.database.db, { typeId: TYPES.count, entriesTotal: 5 });
    const unconfirmed = pass(card, { unconfirmed: true });
    await ingest(unconfirmed);
    await ingest(pass(card));
    expect(await ticket(card)).toEqual({ status: 'active', entries_used: 2 });
    const stored = await test.database.db
      .selectFrom('passage_events')
      .select(['event_id', 'unconfirmed'])
      .where('ticket_id', '=', card)
      .execute();
    expect(stored.map((row) => row.unconfirmed).sort()).toEqual([0, 1]);
    expect(stored.find((row) => row.unconfirmed === 1)!.event_id).toBe(unconfirmed.eventId);

    // A type whose rules say an unconfirmed passage is free.
    const version = await test.database.db
      .selectFrom('ticket_type_versions')
      .select(['rules_json'])
      .where('type_id', '=', TYPES.count)
      .where('version', '=', 1)
      .executeTakeFirstOrThrow();
    await test.database.db
      .updateTable('ticket_type_versions')
      .set({ rules_json: JSON.stringify({ ...JSON.parse(version.rules_json), unconfirmedUsesEntry: false }) })
      .where('type_id', '=', TYPES.count)
      .where('version', '=', 1)
      .execute();
    const free = await issueTicket(test.database.db, { typeId: TYPES.count, entriesTotal: 5 });
    expect((await ingest(pass(free, { unconfirmed: true }))).status).toBe('applied');
    expect(await ticket(free)).toEqual({ status: 'active', entries_used: 0 });
    await ingest(pass(free));
    expect(await ticket(free)).toEqual({ status: 'active', entries_used: 1 });
  });

  it('confirms the reservation of the online validation the passage followed', async () => {
    const card = await issueTicket(test.database.db, { typeId: TYPES.count, entriesTotal: 5 });
    const now = Date.now();
    await test.database.db
      .insertInto('ticket_reservations')
      .values({
        gate_id: 'G01',
        correlation_id: 'vr-1',
        site_id: 'park',
        ticket_id: card,
        direction: 'in',
        consumes: 1,
        at: now,
        expires_at: now + 10_000,
        confirmed_at: null,
        event_id: null,
      })
      .execute();
    const event = pass(card, { correlationId: 'vr-1', decidedOffline: false });
    await ingest(event);
    const reservation = await test.database.db
      .selectFrom('ticket_reservations')
      .select(['confirmed_at', 'event_id'])
      .executeTakeFirstOrThrow();
    expect(reservation.event_id).toBe(event.eventId);
    expect(reservation.confirmed_at).not.toBeNull();
    expect(await ticket(card)).toEqual({ status: 'active', entries_used: 1 });
  });
});
