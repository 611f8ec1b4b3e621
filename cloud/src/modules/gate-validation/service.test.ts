/**
 * Online validation on each database: the race for the last entry of a count card (20 gates at once → exactly one
 * admit), reservations that lapse when nobody passes and are confirmed — and counted once — by the passage that
 * follows, anti-passback across gates, and the MQTT round trip including a request past its deadline.
 */
import { randomUUID } from 'node:crypto';
import {
  type CredentialRef,
  decodeMessage,
  encodeMessage,
  gateTopic,
  ticketTypeRulesSchema,
  type ValidateRequest,
  type ValidateResponse,
} from '@scenic/protocol';
import { eventually } from '@scenic/testkit/eventually';
import mqtt from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseBackends, type TestDatabase } from '../../db/testing.js';
import { transaction } from '../../db/transaction.js';
import { silentLogger, startTestMqtt } from '../../mqtt/testing.js';
import { GateAccessService } from '../gate-access/service.js';
import { OccupancyService } from '../occupancy/service.js';
import { PassageIngestion } from '../passages/service.js';
import { TicketTypesService } from '../ticket-types/service.js';
import { ticketPassageHook } from '../tickets/passage-hook.js';
import { TicketsService } from '../tickets/service.js';
import { VenuesService } from '../venues/service.js';
import { reservationPassageHook } from './passage-hook.js';
import { ValidationService } from './service.js';
import { issueTicket, SYSTEM_CONTEXT, seedGateSite, TYPES } from './testing.js';

const GATES = Array.from({ length: 20 }, (_, i) => `G${String(i + 1).padStart(2, '0')}`);

function request(gateId: string, credential: CredentialRef, direction: 'in' | 'out' = 'in'): ValidateRequest {
  const at = Date.now();
  return {
    type: 'validate_request',
    v: 1,
    correlationId: `vr-${randomUUID()}`,
    gateId,
    credential,
    direction,
    at,
    deadlineAt: at + 10_000,
  };
}

describe.each(databaseBackends())('online validation on $name', (backend) => {
  let test: TestDatabase;
  let service: ValidationService;

  beforeEach(async () => {
    test = await backend.create();
    await seedGateSite(test.database.db, GATES);
    service = new ValidationService(
      test.database.db,
      new TicketTypesService(test.database.db, new VenuesService(test.database.db)),
    );
  });
  afterEach(() => test.dispose());

  async function countCard(total: number, used: number): Promise<number> {
    const id = await issueTicket(test.database.db, { typeId: TYPES.count, entriesTotal: total });
    if (used > 0)
      await transaction(test.database.db, (trx) =>
        new TicketsService(trx).change(trx, id, 'update', { entriesUsed: used }),
      );
    return id;
  }

  it('20 gates asking about the last entry of one count card at once: exactly one admit', async () => {
    const card = await countCard(10, 9);
    const answers = await Promise.all(
      GATES.map((gateId) =>
        service.validate('park', gateId, request(gateId, { kind: 'qr', ticketId: card })),
      ),
    );
    const admits = answers.filter((a) => a?.decision === 'admit');
    expect(admits).toHaveLength(1);
    expect(admits[0]).toMatchObject({ reason: 'OK', entriesLeft: 0 });
    expect(answers.filter((a) => a?.reason === 'ENTRIES_EXHAUSTED')).toHaveLength(19);
    const reservations = await test.database.db.selectFrom('ticket_reservations').selectAll().execute();
    expect(reservations).toHaveLength(1);
  }, 30_000);

  // Visit days (any 3 days in 7): on its last visit day, with 2 entries a day, 20 gates at once admit exactly 2; on a
  // day after its last, none; on the last day itself without a per-day limit, all of them.
  it.each([
    { name: 'the last visit day, 2 a day', perDay: 2, usedDays: 2, lastToday: false, admits: 2 },
    { name: 'a day after the last visit day', perDay: 2, usedDays: 3, lastToday: false, admits: 0 },
    {
      name: 'again on the last visit day, unlimited inside it',
      perDay: null,
      usedDays: 3,
      lastToday: true,
      admits: 20,
    },
  ])(
    'visit days, 20 gates at once: $name → $admits admitted',
    async ({ perDay, usedDays, lastToday, admits }) => {
      const db = test.database.db;
      const types = new TicketTypesService(db, new VenuesService(db));
      await types.create(
        {
          siteId: 'park',
          typeId: 311,
          code: 'DAYS3IN7',
          kind: 'period_pass',
          name: { zh: '七日任选三天', en: '3 days in 7' },
          validity: { from: 'visit_date', length: { unit: 'day', count: 7 } },
          prices: { window: 20_000 },
          rules: {
            ...ticketTypeRulesSchema.omit({ typeId: true, name: true }).parse({}),
            visitDays: 3,
            entriesPerDay: perDay,
          },
        },
        SYSTEM_CONTEXT,
      );
      const now = Date.now();
      const id = await issueTicket(db, { typeId: 311, entriesTotal: null });
      const today = Math.floor((now + 8 * 3_600_000) / 86_400_000);
      const days = Array.from({ length: usedDays }, (_, i) => today - usedDays + i + (lastToday ? 1 : 0));
      await transaction(db, (trx) =>
        new TicketsService(trx).change(trx, id, 'update', {
          visitDays: days,
          lastVisitAt: lastToday ? now - 60_000 : now - 86_400_000,
        }),
      );
      const answers = await Promise.all(
        GATES.map((gateId) =>
          service.validate('park', gateId, request(gateId, { kind: 'qr', ticketId: id })),
        ),
      );
      expect(answers.filter((a) => a?.decision === 'admit')).toHaveLength(admits);
      const denied = answers.filter((a) => a?.decision === 'deny').map((a) => a!.reason);
      expect(new Set(denied)).toEqual(
        new Set(admits === 20 ? [] : [usedDays === 3 ? 'VISIT_DAYS_USED' : 'DAILY_LIMIT']),
      );
    },
  );

  it('same-day re-entry, 20 gates at once after the holder left: exactly one comes back in', async () => {
    const db = test.database.db;
    await new TicketTypesService(db, new VenuesService(db)).create(
      {
        siteId: 'park',
        typeId: 312,
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
    const now = Date.now();
    const id = await issueTicket(db, { typeId: 312, entriesTotal: 1 });
    await transaction(db, (trx) =>
      new TicketsService(trx).change(trx, id, 'use', {
        status: 'used',
        entriesUsed: 1,
        lastEntryAt: now - 120_000,
        lastExitAt: now - 60_000,
      }),
    );
    const answers = await Promise.all(
      GATES.map((gateId) => service.validate('park', gateId, request(gateId, { kind: 'qr', ticketId: id }))),
    );
    expect(answers.filter((a) => a?.decision === 'admit')).toHaveLength(1);
    expect(new Set(answers.filter((a) => a?.decision === 'deny').map((a) => a!.reason))).toEqual(
      new Set(['ANTI_PASSBACK']),
    );
  });

  it('a gate repeating a request (same correlationId) gets the first answer again, never a second reservation', async () => {
    const card = await countCard(10, 9);
    const ask = request('G01', { kind: 'qr', ticketId: card });
    const first = await service.validate('park', 'G01', ask);
    expect(first).toMatchObject({ decision: 'admit', reason: 'OK', entriesLeft: 0 });
    // The answer was lost: the gate asks again, several times, some at once.
    const repeats = await Promise.all([1, 2, 3].map(() => service.validate('park', 'G01', { ...ask })));
    expect(repeats).toEqual([first, first, first]);
    // The entry is held once: another gate (or another request of the same gate) is refused.
    const other = await service.validate('park', 'G02', request('G02', { kind: 'qr', ticketId: card }));
    expect(other?.reason).toBe('ENTRIES_EXHAUSTED');
    const again = await service.validate('park', 'G01', request('G01', { kind: 'qr', ticketId: card }));
    expect(again?.reason).toBe('ENTRIES_EXHAUSTED');
    const reservations = await test.database.db
      .selectFrom('ticket_reservations')
      .select(['gate_id', 'correlation_id'])
      .execute();
    expect(reservations).toEqual([{ gate_id: 'G01', correlation_id: ask.correlationId }]);
  }, 30_000);

  it('a repeat arriving after the passage it admitted was stored answers the admit it gave', async () => {
    const card = await countCard(1, 0);
    const db = test.database.db;
    const ask = request('G01', { kind: 'qr', ticketId: card });
    const first = await service.validate('park', 'G01', ask);
    expect(first?.decision).toBe('admit');
    const ingestion = new PassageIngestion(
      db,
      new OccupancyService(db, { resetHour: 0, hysteresisPct: 3 }, silentLogger),
      [reservationPassageHook(), ticketPassageHook(new TicketsService(db))],
    );
    const at = Date.now();
    await ingestion.ingest({
      siteId: 'park',
      gateId: 'G01',
      receivedAt: at,
      message: {
        type: 'passage',
        v: 1,
        eventId: randomUUID(),
        gateId: 'G01',
        at,
        ticketId: card,
        credentialKind: 'qr',
        direction: 'in',
        persons: 1,
        entriesLeft: 0,
        decidedOffline: false,
        correlationId: ask.correlationId,
      },
    });
    const repeat = await service.validate('park', 'G01', { ...ask });
    expect(repeat).toMatchObject({ decision: 'admit', reason: 'OK', entriesLeft: 0 });
    const row = await db
      .selectFrom('tickets')
      .select('entries_used')
      .where('id', '=', card)
      .executeTakeFirstOrThrow();
    expect(row.entries_used).toBe(1);
    expect(await db.selectFrom('ticket_reservations').select('gate_id').execute()).toHaveLength(1);
  }, 30_000);

  it('a reservation nobody used lapses after the passage timeout; a confirmed one is counted once', async () => {
    const card = await countCard(2, 1);
    let now = Date.now();
    const clocked = new ValidationService(
      test.database.db,
      new TicketTypesService(test.database.db, new VenuesService(test.database.db)),
      () => now,
    );
    const first = request('G01', { kind: 'qr', ticketId: card });
    expect((await clocked.validate('park', 'G01', first))?.decision).toBe('admit');
    const second = await clocked.validate('park', 'G02', request('G02', { kind: 'qr', ticketId: card }));
    expect(second?.reason).toBe('ENTRIES_EXHAUSTED');
    // Nobody passed at G01: 8 s passage timeout + 300 ms pulse + 2 s later the entry is free again.
    now += 10_400;
    const third = request('G02', { kind: 'qr', ticketId: card });
    third.deadlineAt = now + 1_000;
    expect((await clocked.validate('park', 'G02', third))?.decision).toBe('admit');

    // The visitor passes G02: the passage confirms the reservation and uses the entry — once.
    const db = test.database.db;
    const ingestion = new PassageIngestion(
      db,
      new OccupancyService(db, { resetHour: 0, hysteresisPct: 3 }, silentLogger),
      [reservationPassageHook(), ticketPassageHook(new TicketsService(db))],
    );
    await ingestion.ingest({
      siteId: 'park',
      gateId: 'G02',
      receivedAt: now,
      message: {
        type: 'passage',
        v: 1,
        eventId: randomUUID(),
        gateId: 'G02',
        at: now,
        ticketId: card,
        credentialKind: 'qr',
        direction: 'in',
        persons: 1,
        entriesLeft: 0,
        decidedOffline: false,
        correlationId: third.correlationId,
      },
    });
    const row = await db
      .selectFrom('tickets')
      .select(['entries_used', 'status'])
      .where('id', '=', card)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ entries_used: 2, status: 'used' });
    const after = request('G03', { kind: 'qr', ticketId: card });
    after.deadlineAt = now + 1_000;
    expect((await clocked.validate('park', 'G03', after))?.reason).toBe('USED');
  });

  it('validations racing the passages of earlier admits never admit more entries than the card has', async () => {
    const card = await countCard(6, 1);
    const db = test.database.db;
    const ingestion = new PassageIngestion(
      db,
      new OccupancyService(db, { resetHour: 0, hysteresisPct: 3 }, silentLogger),
      [reservationPassageHook(), ticketPassageHook(new TicketsService(db))],
    );
    const pass = (gateId: string, correlationId: string) => {
      const at = Date.now();
      return ingestion.ingest({
        siteId: 'park',
        gateId,
        receivedAt: at,
        message: {
          type: 'passage',
          v: 1,
          eventId: randomUUID(),
          gateId,
          at,
          ticketId: card,
          credentialKind: 'qr',
          direction: 'in',
          persons: 1,
          entriesLeft: null,
          decidedOffline: false,
          correlationId,
        },
      });
    };
    // Each gate asks three times; every admitted visitor passes at once, while the other gates are still asking.
    const outcomes = await Promise.all(
      GATES.map(async (gateId) => {
        const reasons: string[] = [];
        for (let i = 0; i < 3; i++) {
          const ask = request(gateId, { kind: 'qr', ticketId: card });
          const answer = await service.validate('park', gateId, ask);
          reasons.push(answer!.reason);
          if (answer?.decision === 'admit') await pass(gateId, ask.correlationId);
        }
        return reasons;
      }),
    );
    const reasons = outcomes.flat();
    expect(reasons.filter((r) => r === 'OK')).toHaveLength(5);
    expect(reasons.filter((r) => r !== 'OK').every((r) => r === 'ENTRIES_EXHAUSTED' || r === 'USED')).toBe(
      true,
    );
    const row = await db
      .selectFrom('tickets')
      .select(['entries_used', 'status'])
      .where('id', '=', card)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ entries_used: 6, status: 'used' });
    const open = await db
      .selectFrom('ticket_reservations')
      .select('gate_id')
      .where('confirmed_at', 'is', null)
      .execute();
    expect(open).toEqual([]);
  }, 60_000);

  it('a group code is held in persons: 20 gates scanning it at once never admit more persons than it has left', async () => {
    const group = await issueTicket(test.database.db, { typeId: TYPES.group, entriesTotal: 1, persons: 30 });
    const db = test.database.db;
    const ingestion = new PassageIngestion(
      db,
      new OccupancyService(db, { resetHour: 0, hysteresisPct: 3 }, silentLogger),
      [reservationPassageHook(), ticketPassageHook(new TicketsService(db))],
    );
    const pass = (gateId: string, correlationId: string, persons: number) => {
      const at = Date.now();
      return ingestion.ingest({
        siteId: 'park',
        gateId,
        receivedAt: at,
        message: {
          type: 'passage',
          v: 1,
          eventId: randomUUID(),
          gateId,
          at,
          ticketId: group,
          credentialKind: 'qr',
          direction: 'in',
          persons,
          entriesLeft: null,
          decidedOffline: false,
          correlationId,
        },
      });
    };
    // The first scan admits all 30; 25 walk through, then the pass ends.
    const first = request('G01', { kind: 'qr', ticketId: group });
    expect(await service.validate('park', 'G01', first)).toMatchObject({
      decision: 'admit',
      persons: 30,
      entriesLeft: 0,
    });
    expect(
      (await service.validate('park', 'G02', request('G02', { kind: 'qr', ticketId: group })))?.reason,
    ).toBe('ENTRIES_EXHAUSTED');
    await pass('G01', first.correlationId, 25);

    // The code is scanned at every gate at once for the 5 left: one gate holds them, the others are refused.
    const asks = GATES.map((gateId) => request(gateId, { kind: 'qr', ticketId: group }));
    const answers = await Promise.all(asks.map((ask) => service.validate('park', ask.gateId, ask)));
    const admits = answers.filter((a) => a?.decision === 'admit');
    expect(admits).toHaveLength(1);
    expect(admits[0]).toMatchObject({ persons: 5, entriesLeft: 0, record: { entriesUsed: 25, persons: 30 } });
    expect(answers.filter((a) => a?.reason === 'ENTRIES_EXHAUSTED')).toHaveLength(GATES.length - 1);
    const winner = asks[answers.findIndex((a) => a?.decision === 'admit')]!;
    // A repeat of the winner's request is answered with the same hold.
    expect(await service.validate('park', winner.gateId, { ...winner })).toEqual(admits[0]);
    await pass(winner.gateId, winner.correlationId, 5);
    const row = await db
      .selectFrom('tickets')
      .select(['entries_used', 'status'])
      .where('id', '=', group)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ entries_used: 30, status: 'used' });
    expect(
      (await service.validate('park', 'G03', request('G03', { kind: 'qr', ticketId: group })))?.reason,
    ).toBe('USED');
  }, 30_000);

  it('a group pass is held for its persons’ time: the passage timeout plus the idle timeout per further person', async () => {
    let now = Date.now();
    const clocked = new ValidationService(
      test.database.db,
      new TicketTypesService(test.database.db, new VenuesService(test.database.db)),
      () => now,
    );
    const group = await issueTicket(test.database.db, { typeId: TYPES.group, entriesTotal: 1, persons: 4 });
    const first = request('G01', { kind: 'qr', ticketId: group });
    first.deadlineAt = now + 1_000;
    expect((await clocked.validate('park', 'G01', first))?.persons).toBe(4);
    // 8 s + 300 ms for the first, 3 × (10 s + 300 ms) for the others, 2 s slack: still held just before the end.
    now += 8_300 + 3 * 10_300 + 2_000 - 1;
    const during = request('G02', { kind: 'qr', ticketId: group });
    during.deadlineAt = now + 1_000;
    expect((await clocked.validate('park', 'G02', during))?.reason).toBe('ENTRIES_EXHAUSTED');
    now += 1;
    const after = request('G02', { kind: 'qr', ticketId: group });
    after.deadlineAt = now + 1_000;
    expect(await clocked.validate('park', 'G02', after)).toMatchObject({ decision: 'admit', persons: 4 });
  });

  it('a NO_PASSAGE from the gate ends its hold at once: the guide can scan the group code again', async () => {
    const group = await issueTicket(test.database.db, { typeId: TYPES.group, entriesTotal: 1, persons: 30 });
    const db = test.database.db;
    const ingestion = new PassageIngestion(
      db,
      new OccupancyService(db, { resetHour: 0, hysteresisPct: 3 }, silentLogger),
      [reservationPassageHook(), ticketPassageHook(new TicketsService(db))],
    );
    const first = request('G01', { kind: 'qr', ticketId: group });
    expect((await service.validate('park', 'G01', first))?.persons).toBe(30);
    expect(
      (await service.validate('park', 'G01', request('G01', { kind: 'qr', ticketId: group })))?.reason,
    ).toBe('ENTRIES_EXHAUSTED');
    // Another gate's NO_PASSAGE does not touch G01's hold.
    const noPassage = (gateId: string) =>
      ingestion.ingest({
        siteId: 'park',
        gateId,
        receivedAt: Date.now(),
        message: {
          type: 'denial',
          v: 1,
          eventId: randomUUID(),
          gateId,
          at: Date.now(),
          direction: 'in',
          reason: 'NO_PASSAGE',
          credentialKind: 'qr',
          ticketId: group,
          codeHash: 'a'.repeat(64),
        },
      });
    await noPassage('G02');
    expect(
      (await service.validate('park', 'G03', request('G03', { kind: 'qr', ticketId: group })))?.reason,
    ).toBe('ENTRIES_EXHAUSTED');
    await noPassage('G01');
    expect(
      await service.validate('park', 'G01', request('G01', { kind: 'qr', ticketId: group })),
    ).toMatchObject({ decision: 'admit', persons: 30 });
  }, 30_000);

  it('anti-passback holds across gates while the first admission is still open', async () => {
    const types = new TicketTypesService(test.database.db, new VenuesService(test.database.db));
    const type = await types.get(TYPES.adult);
    await types.update(TYPES.adult, { rules: { ...type.rules, antiPassbackSec: 600 } }, SYSTEM_CONTEXT);
    const pass = await issueTicket(test.database.db, { entriesTotal: null, typeVersion: 2 });
    const [a, b] = await Promise.all([
      service.validate('park', 'G01', request('G01', { kind: 'qr', ticketId: pass })),
      service.validate('park', 'G02', request('G02', { kind: 'qr', ticketId: pass })),
    ]);
    expect([a?.reason, b?.reason].sort()).toEqual(['ANTI_PASSBACK', 'OK']);
    expect(a?.entriesLeft ?? null).toBeNull();
  });

  it('sees a type change and a gate change at once, although rules and clocks are kept between requests', async () => {
    const types = new TicketTypesService(test.database.db, new VenuesService(test.database.db));
    const pass = await issueTicket(test.database.db, { entriesTotal: null });
    const ask = async (gateId: string) =>
      (await service.validate('park', gateId, request(gateId, { kind: 'qr', ticketId: pass })))?.reason;
    expect(await ask('G01')).toBe('OK');
    // A new version that admits in zone `south` only: the next request runs it.
    await new VenuesService(test.database.db).createZone(
      'park',
      { id: 'south', name: { zh: '南区', en: 'South' }, capacity: null, active: true },
      SYSTEM_CONTEXT,
    );
    const type = await types.get(TYPES.adult);
    await types.update(TYPES.adult, { rules: { ...type.rules, zones: ['south'] } }, SYSTEM_CONTEXT);
    expect(await ask('G02')).toBe('WRONG_ZONE');
    await types.update(TYPES.adult, { rules: type.rules }, SYSTEM_CONTEXT);
    expect(await ask('G03')).toBe('OK');
    // Deactivated: gates no longer know the type.
    await types.update(TYPES.adult, { active: false }, SYSTEM_CONTEXT);
    expect(await ask('G04')).toBe('UNKNOWN_CREDENTIAL');
    await types.update(TYPES.adult, { active: true }, SYSTEM_CONTEXT);
    expect(await ask('G05')).toBe('OK');
    // A gate taken out of service gets no answer.
    await test.database.db.updateTable('gates').set({ active: 0 }).where('id', '=', 'G06').execute();
    expect(await service.validate('park', 'G06', request('G06', { kind: 'qr', ticketId: pass }))).toBeNull();
  });

  it('does not work on a request whose turn comes after its deadline, nor on one finishing after it', async () => {
    const card = await countCard(5, 0);
    let now = Date.now();
    let reads = 0;
    // The clock moves on with each read, as time passes while a request waits and while it is worked on.
    const clocked = new ValidationService(
      test.database.db,
      new TicketTypesService(test.database.db, new VenuesService(test.database.db)),
      () => {
        reads++;
        return now;
      },
    );
    const stale = request('G01', { kind: 'qr', ticketId: card });
    now = stale.deadlineAt + 1;
    expect(await clocked.validate('park', 'G01', stale)).toBeNull();
    // Refused at its start: the clock was read once, nothing was decided.
    expect(reads).toBe(1);

    const slow = new ValidationService(
      test.database.db,
      new TicketTypesService(test.database.db, new VenuesService(test.database.db)),
      () => {
        reads++;
        // In time when it starts, past the deadline once decided.
        return reads <= 2 ? fresh.at : fresh.deadlineAt + 1;
      },
    );
    reads = 0;
    const fresh = request('G02', { kind: 'qr', ticketId: card });
    expect(await slow.validate('park', 'G02', fresh)).toBeNull();
    expect(reads).toBeGreaterThan(1);
    expect(await test.database.db.selectFrom('ticket_reservations').selectAll().execute()).toEqual([]);
    expect(
      (await service.validate('park', 'G03', request('G03', { kind: 'qr', ticketId: card })))?.entriesLeft,
    ).toBe(4);
  });

  it('answers over MQTT with the ticket record, and not at all after the deadline', async () => {
    const card = await issueTicket(test.database.db, {
      typeId: TYPES.count,
      entriesTotal: 5,
      barcode: '123456789012',
    });
    const cloud = await startTestMqtt(test.database);
    try {
      const { password } = await new GateAccessService(test.database.db).issue('G01');
      const gate = await mqtt.connectAsync(`mqtt://127.0.0.1:${cloud.broker!.port}`, {
        clientId: 'sg-park-G01',
        username: 'gate@park@G01',
        password,
        reconnectPeriod: 0,
      });
      const answers: ValidateResponse[] = [];
      gate.on('message', (_topic, payload) =>
        answers.push(decodeMessage('validate/res', payload) as ValidateResponse),
      );
      await gate.subscribeAsync(gateTopic('park', 'G01', 'validate/res'), { qos: 0 });
      const ask = (message: ValidateRequest) =>
        gate.publishAsync(gateTopic('park', 'G01', 'validate/req'), encodeMessage(message, 'validate/req'), {
          qos: 0,
        });
      const good = request('G01', { kind: 'barcode', barcode: '123456789012' });
      good.deadlineAt = good.at + 800;
      const sent = Date.now();
      await ask(good);
      const answer = await eventually(() => answers.find((a) => a.correlationId === good.correlationId));
      expect(Date.now() - sent).toBeLessThan(800);
      expect(answer).toMatchObject({ decision: 'admit', reason: 'OK', entriesLeft: 4 });
      expect(answer.record).toMatchObject({ ticketId: card, entriesUsed: 0, entriesTotal: 5 });

      const stale = request('G01', { kind: 'qr', ticketId: card });
      stale.at -= 5_000;
      stale.deadlineAt = stale.at + 800;
      await ask(stale);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(answers.find((a) => a.correlationId === stale.correlationId)).toBeUndefined();
      await gate.endAsync(true);
    } finally {
      await cloud.close();
    }
  });
});
