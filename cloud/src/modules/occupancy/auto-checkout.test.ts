/**
 * Automatic check-out on each database: at the site's local check-out time the people still inside are checked out
 * (occupancy 0, a re-entry ticket comes back in without an exit), once per site and day whatever runs it, a run
 * that catches up later keeps those who came in after the instant, and a passage from before it arriving late does
 * not bring anybody back inside.
 */
import { randomUUID } from 'node:crypto';
import { type CredentialRef, ticketTypeRulesSchema, type ValidateRequest } from '@scenic/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseBackends, type TestDatabase } from '../../db/testing.js';
import { silentLogger } from '../../mqtt/testing.js';
import { clockOf } from '../capacity/local-time.js';
import { reservationPassageHook } from '../gate-validation/passage-hook.js';
import { ValidationService } from '../gate-validation/service.js';
import { issueTicket, SYSTEM_CONTEXT, seedGateSite } from '../gate-validation/testing.js';
import { PassageIngestion } from '../passages/service.js';
import { TicketTypesService } from '../ticket-types/service.js';
import { ticketPassageHook } from '../tickets/passage-hook.js';
import { TicketsService } from '../tickets/service.js';
import { VenuesService } from '../venues/service.js';
import { OccupancyService } from './service.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const REENTRY_TYPE = 312;

/** Today in Asia/Shanghai (the seeded site's zone) at a wall time: inside the issued tickets' validity. */
const today = Math.floor((Date.now() + 8 * HOUR) / DAY);
const sh = (hour: number, minute = 0) => today * DAY + hour * HOUR + minute * 60_000 - 8 * HOUR;
const todayText = new Date(today * DAY).toISOString().slice(0, 10);

describe.each(databaseBackends())('automatic check-out on $name', (backend) => {
  let test: TestDatabase;
  let now: number;
  let occupancy: OccupancyService;
  let ingestion: PassageIngestion;
  let validation: ValidationService;

  beforeEach(async () => {
    test = await backend.create();
    const db = test.database.db;
    await seedGateSite(db, ['G01', 'G02']);
    const venues = new VenuesService(db);
    const types = new TicketTypesService(db, venues);
    await types.create(
      {
        siteId: 'park',
        typeId: REENTRY_TYPE,
        code: 'DAYRE',
        kind: 'single',
        name: { zh: '日票可再入', en: 'Day ticket, re-entry' },
        prices: { window: 10_000 },
        rules: {
          ...ticketTypeRulesSchema.omit({ typeId: true, name: true }).parse({}),
          reentry: { until: null },
        },
      },
      SYSTEM_CONTEXT,
    );
    await venues.updateSite('park', { autoCheckoutAt: '22:00' }, SYSTEM_CONTEXT);
    now = sh(20);
    occupancy = new OccupancyService(db, { resetHour: 4, hysteresisPct: 3 }, silentLogger, () => now);
    const tickets = new TicketsService(db);
    ingestion = new PassageIngestion(db, occupancy, [
      reservationPassageHook(),
      ticketPassageHook(tickets, async () => true, {
        usageOf: async (trx, typeId) => ({
          visitDays: false,
          reentry: (await types.get(typeId, trx)).rules.reentry !== undefined,
        }),
        clockOf: async () => clockOf('Asia/Shanghai'),
      }),
    ]);
    validation = new ValidationService(db, types, () => now);
  });
  afterEach(() => test.dispose());

  async function pass(ticketId: number, direction: 'in' | 'out', at: number, gateId = 'G01'): Promise<void> {
    await ingestion.ingest({
      siteId: 'park',
      gateId,
      receivedAt: now,
      message: {
        type: 'passage',
        v: 1,
        eventId: randomUUID(),
        gateId,
        at,
        ticketId,
        credentialKind: 'qr',
        direction,
        persons: 1,
        entriesLeft: 0,
        decidedOffline: true,
        correlationId: null,
      },
    });
  }

  function ask(ticketId: number): Promise<string | undefined> {
    const credential: CredentialRef = { kind: 'qr', ticketId };
    const request: ValidateRequest = {
      type: 'validate_request',
      v: 1,
      correlationId: `vr-${randomUUID()}`,
      gateId: 'G02',
      credential,
      direction: 'in',
      at: now,
      deadlineAt: now + 10_000,
    };
    return validation.validate('park', 'G02', request).then((answer) => answer?.reason);
  }

  async function inside(): Promise<{ site: number; zone: number | undefined; entries: number }> {
    const [site] = await occupancy.current('park');
    return {
      site: site!.site.inside,
      zone: site!.zones.find((z) => z.zoneId === 'north')?.inside,
      entries: site!.site.entries,
    };
  }

  it('at 22:00 everyone inside is checked out: occupancy 0, the re-entry ticket comes back in without an exit, once', async () => {
    const reentry = await issueTicket(test.database.db, { typeId: REENTRY_TYPE });
    const other = await issueTicket(test.database.db);
    await pass(reentry, 'in', sh(20));
    await pass(other, 'in', sh(20, 30));
    now = sh(21);
    expect(await inside()).toEqual({ site: 2, zone: 2, entries: 2 });
    // Inside and never scanned out: strict in/out alternation refuses.
    expect(await ask(reentry)).toBe('ANTI_PASSBACK');
    // The first round catches up the latest check-out due, yesterday's (nobody of today's was inside then); after
    // it, nothing is due before 22:00.
    expect(await occupancy.checkOutDue()).toEqual([
      expect.objectContaining({ day: new Date((today - 1) * DAY).toISOString().slice(0, 10), checkedOut: 0 }),
    ]);
    expect(await occupancy.checkOutDue()).toEqual([]);
    expect(await inside()).toEqual({ site: 2, zone: 2, entries: 2 });

    now = sh(22, 0) + 30_000;
    const runs = await occupancy.checkOutDue();
    expect(runs).toEqual([
      {
        siteId: 'park',
        day: todayText,
        at: sh(22),
        occupancyDay: todayText,
        checkedOut: 2,
        ranAt: now,
      },
    ]);
    expect(await inside()).toEqual({ site: 0, zone: 0, entries: 2 });
    // The re-entry holder comes back in without an exit (the cloud decides with the same check-out as the gates).
    now = sh(22, 5);
    expect(await ask(reentry)).toBe('OK');
    // Another round (the next minute, a restart, another instance) finds the day done.
    now = sh(22, 6);
    expect(await occupancy.checkOutDue()).toEqual([]);
    expect((await occupancy.checkoutRuns('park', 30))[0]).toEqual(runs[0]);
    // No passages were made up: only the two real entries are stored.
    expect(await test.database.db.selectFrom('passage_events').select('event_id').execute()).toHaveLength(2);

    // An offline gate's entry from before 22:00 arrives late: counted, but its visitor was checked out since.
    const late = await issueTicket(test.database.db);
    await pass(late, 'in', sh(21, 30), 'G02');
    expect(await inside()).toEqual({ site: 0, zone: 0, entries: 3 });
    // Someone coming in after the check-out is inside.
    const evening = await issueTicket(test.database.db);
    await pass(evening, 'in', sh(22, 10));
    expect(await inside()).toEqual({ site: 1, zone: 1, entries: 4 });
  });

  it('a run that catches up after 22:00 (the cloud was down) keeps those who came in after the instant', async () => {
    const first = await issueTicket(test.database.db);
    const second = await issueTicket(test.database.db);
    await pass(first, 'in', sh(20));
    await pass(second, 'in', sh(21));
    const third = await issueTicket(test.database.db);
    await pass(third, 'in', sh(22, 30));
    await pass(second, 'out', sh(22, 40));
    now = sh(23);
    expect(await inside()).toEqual({ site: 2, zone: 2, entries: 3 });
    const [run] = await occupancy.checkOutDue();
    // first and second were inside at 22:00 (second left since, on his own: not counted inside any more), third
    // came in after it and stays inside.
    expect(run).toMatchObject({ at: sh(22), checkedOut: 1, ranAt: sh(23) });
    expect(await inside()).toEqual({ site: 1, zone: 1, entries: 3 });
  });

  it('two instances running the same day at once check it out once', async () => {
    const ticket = await issueTicket(test.database.db);
    await pass(ticket, 'in', sh(20));
    now = sh(22, 1);
    const other = new OccupancyService(
      test.database.db,
      { resetHour: 4, hysteresisPct: 3 },
      silentLogger,
      () => now,
    );
    const [a, b] = await Promise.all([occupancy.checkOutDue(), other.checkOutDue()]);
    expect([...a, ...b].filter((run) => run.day === todayText)).toHaveLength(1);
    expect((await occupancy.checkoutRuns('park', 30)).filter((run) => run.day === todayText)).toHaveLength(1);
    expect(await inside()).toMatchObject({ site: 0 });
  });

  it('Europe/Berlin: 02:30 runs at 03:00 on the spring-forward day and once on the fall-back day', async () => {
    await new VenuesService(test.database.db).updateSite(
      'park',
      { timezone: 'Europe/Berlin', autoCheckoutAt: '02:30' },
      SYSTEM_CONTEXT,
    );
    const days = async () => (await occupancy.checkOutDue()).map((run) => [run.day, run.at]);
    // 29 March 2026: 02:00–02:59 do not exist; the check-out is at 03:00 CEST (01:00Z), not a moment before.
    now = Date.UTC(2026, 2, 29, 0, 59);
    expect(await days()).toEqual([['2026-03-28', Date.UTC(2026, 2, 28, 1, 30)]]);
    now = Date.UTC(2026, 2, 29, 1) - 1;
    expect(await days()).toEqual([]);
    now = Date.UTC(2026, 2, 29, 1);
    expect(await days()).toEqual([['2026-03-29', Date.UTC(2026, 2, 29, 1)]]);
    // 25 October 2026: 02:30 CEST (00:30Z) runs; 02:30 CET an hour later is the same day, already done.
    now = Date.UTC(2026, 9, 25, 0, 31);
    expect(await days()).toEqual([['2026-10-25', Date.UTC(2026, 9, 25, 0, 30)]]);
    now = Date.UTC(2026, 9, 25, 1, 31);
    expect(await days()).toEqual([]);
    now = Date.UTC(2026, 9, 25, 22);
    expect(await days()).toEqual([]);
  });

  it('a site without a check-out time is never checked out', async () => {
    await new VenuesService(test.database.db).updateSite('park', { autoCheckoutAt: null }, SYSTEM_CONTEXT);
    const ticket = await issueTicket(test.database.db);
    await pass(ticket, 'in', sh(20));
    now = sh(23);
    expect(await occupancy.checkOutDue()).toEqual([]);
    expect(await inside()).toMatchObject({ site: 1 });
  });
});
