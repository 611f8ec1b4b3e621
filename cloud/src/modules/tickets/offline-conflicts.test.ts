/**
 * Offline conflicts inside real passage ingestion, wired as the composition root wires it (the type's gate rules, the
 * site's clock), on each database: an entry decided offline that the rules engine refuses at its scan time is stored
 * flagged with the engine's reason — already used at another gate, entries exhausted (with its overdraft; the count
 * stays at its total), refunded before the scan (not after it), expired — and the list filters on the flag; entries
 * the engine admits, and entries decided online, are not flagged.
 */
import { randomUUID } from 'node:crypto';
import type { PassageEvent } from '@scenic/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseBackends, type TestDatabase } from '../../db/testing.js';
import { silentLogger } from '../../mqtt/testing.js';
import { ALL_SITES } from '../../platform/site-scope.js';
import { reservationPassageHook } from '../gate-validation/passage-hook.js';
import { DAY_MS, issueTicket, seedGateSite, TYPES } from '../gate-validation/testing.js';
import { OccupancyService } from '../occupancy/service.js';
import { PassageHub } from '../passages/hub.js';
import { PassageRecords, passageItem } from '../passages/records.js';
import { PassageIngestion } from '../passages/service.js';
import { GateRulesCache } from '../ticket-types/gate-rules.js';
import { TicketTypesService } from '../ticket-types/service.js';
import { VenuesService } from '../venues/service.js';
import { SiteClocks } from '../venues/site-clocks.js';
import { ticketPassageHook } from './passage-hook.js';
import { TicketsService } from './service.js';

describe.each(databaseBackends())('offline conflicts on $name', (backend) => {
  let test: TestDatabase;
  let ingestion: PassageIngestion;
  let tickets: TicketsService;
  let hub: PassageHub;

  beforeEach(async () => {
    test = await backend.create();
    await seedGateSite(test.database.db, ['G01', 'G02']);
    const db = test.database.db;
    tickets = new TicketsService(db);
    const types = new TicketTypesService(db, new VenuesService(db));
    const gateRules = new GateRulesCache();
    const clocks = new SiteClocks();
    hub = new PassageHub();
    ingestion = new PassageIngestion(
      db,
      new OccupancyService(db, { resetHour: 0, hysteresisPct: 3 }, silentLogger),
      [
        reservationPassageHook(),
        ticketPassageHook(
          tickets,
          (trx, typeId, version) => types.unconfirmedUsesEntry(typeId, version, trx),
          {
            usageOf: async (trx, typeId) => {
              const type = await types.get(typeId, trx);
              return { visitDays: false, reentry: false, rules: type.active ? gateRules.of(type) : null };
            },
            clockOf: (trx, siteId) => clocks.of(trx, siteId),
          },
        ),
      ],
      hub,
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
    ingestion.ingest({ siteId: 'park', gateId: message.gateId, message, receivedAt: Date.now() });
  const stored = (eventId: string) =>
    test.database.db
      .selectFrom('passage_events')
      .select(['conflict', 'overdraft'])
      .where('event_id', '=', eventId)
      .executeTakeFirstOrThrow();
  const ticket = (id: number) =>
    test.database.db
      .selectFrom('tickets')
      .select(['status', 'entries_used'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  it('flags the second of two offline admits of a single ticket as USED, stored, and lists it', async () => {
    const id = await issueTicket(test.database.db);
    const now = Date.now();
    // The control room's push stream (passages/routes.ts sends passageItem of what the hub hands it).
    const streamed: [string, string | null][] = [];
    hub.subscribe((events) => {
      for (const event of events) streamed.push([event.event_id, passageItem(event).conflict]);
    });
    const first = pass(id, { gateId: 'G01', at: now - 60_000 });
    const second = pass(id, { gateId: 'G02', at: now - 30_000 });
    const outcome = await ingest(first);
    expect(outcome.status).toBe('applied');
    const flagged = await ingest(second);
    expect(flagged.status).toBe('applied');
    // What the push stream is handed carries the flag too.
    expect(flagged.status === 'applied' && flagged.event.conflict).toBe('USED');
    expect(await stored(first.eventId)).toEqual({ conflict: null, overdraft: 0 });
    expect(await stored(second.eventId)).toEqual({ conflict: 'USED', overdraft: 1 });
    expect(await ticket(id)).toEqual({ status: 'used', entries_used: 1 });
    expect(streamed).toEqual([
      [first.eventId, null],
      [second.eventId, 'USED'],
    ]);

    const records = new PassageRecords(test.database.db, { timeZone: 'Asia/Shanghai', now: Date.now });
    const page = await records.list({ conflict: true, limit: 50 }, ALL_SITES);
    expect(page.items.map((item) => [item.eventId, item.conflict, item.overdraft])).toEqual([
      [second.eventId, 'USED', 1],
    ]);
    const clean = await records.list({ conflict: false, limit: 50 }, ALL_SITES);
    expect(clean.items.map((item) => item.eventId)).toEqual([first.eventId]);
  });

  it('a count card exhausted offline: the count stops at its total, the overdraft says by how much', async () => {
    const card = await issueTicket(test.database.db, { typeId: TYPES.count, entriesTotal: 2 });
    const now = Date.now();
    const events = [0, 1, 2, 3].map((i) =>
      pass(card, { gateId: i % 2 ? 'G02' : 'G01', at: now - 40_000 + i }),
    );
    for (const event of events) await ingest(event);
    expect(await ticket(card)).toEqual({ status: 'used', entries_used: 2 });
    expect(await Promise.all(events.map((e) => stored(e.eventId)))).toEqual([
      { conflict: null, overdraft: 0 },
      { conflict: null, overdraft: 0 },
      { conflict: 'USED', overdraft: 1 },
      { conflict: 'USED', overdraft: 1 },
    ]);
  });

  it('counts the same in one batch as one by one', async () => {
    const card = await issueTicket(test.database.db, { typeId: TYPES.count, entriesTotal: 2 });
    const now = Date.now();
    const events = [0, 1, 2].map((i) => pass(card, { at: now - 40_000 + i }));
    const outcomes = await Promise.all(events.map(ingest));
    expect(outcomes.map((o) => o.status)).toEqual(['applied', 'applied', 'applied']);
    expect((await Promise.all(events.map((e) => stored(e.eventId)))).map((s) => s.conflict)).toEqual([
      null,
      null,
      'USED',
    ]);
    expect(await ticket(card)).toEqual({ status: 'used', entries_used: 2 });
  });

  it('a refund counts only if it came before the scan', async () => {
    const id = await issueTicket(test.database.db);
    const other = await issueTicket(test.database.db);
    const refundedAt = Date.now();
    for (const t of [id, other]) await tickets.change(test.database.db, t, 'refund', { status: 'refunded' });
    // Scanned a minute before the refund, reported after it: a valid entry.
    const before = pass(id, { at: refundedAt - 60_000 });
    await ingest(before);
    expect(await stored(before.eventId)).toEqual({ conflict: null, overdraft: 0 });
    // Scanned after the refund by a gate that had not heard of it.
    const after = pass(other, { at: refundedAt + 60_000 });
    await ingest(after);
    expect((await stored(after.eventId)).conflict).toBe('REFUNDED');
  });

  it('an entry after the validity ended is EXPIRED; one within it is not; an online admit is not judged again', async () => {
    const now = Math.floor(Date.now() / 60_000) * 60_000;
    const id = await issueTicket(test.database.db, {
      typeId: TYPES.count,
      entriesTotal: 5,
      validFrom: now - 2 * DAY_MS,
      validTo: now - 60_000,
    });
    const within = pass(id, { at: now - 120_000 });
    const late = pass(id, { at: now - 30_000 });
    const online = pass(id, { at: now - 20_000, decidedOffline: false, gateId: 'G02' });
    for (const event of [within, late, online]) await ingest(event);
    expect((await stored(within.eventId)).conflict).toBeNull();
    expect(await stored(late.eventId)).toEqual({ conflict: 'EXPIRED', overdraft: 0 });
    expect((await stored(online.eventId)).conflict).toBeNull();
  });
});
