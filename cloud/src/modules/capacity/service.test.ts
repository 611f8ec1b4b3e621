import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseBackends, type TestDatabase } from '../../db/testing.js';
import { auditedTransaction } from '../../platform/audit/record.js';
import type { ChangeContext } from '../../platform/change-context.js';
import { AppError } from '../../platform/errors.js';
import { VenuesService } from '../venues/service.js';
import { CapacityService } from './service.js';

const context: ChangeContext = { actor: { id: null, username: 'system' }, ip: null };

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  return 'OK';
}

describe.each(databaseBackends())('capacity on $name', (backend) => {
  let test: TestDatabase;
  let venues: VenuesService;
  let capacity: CapacityService;

  beforeEach(async () => {
    test = await backend.create();
    venues = new VenuesService(test.database.db);
    capacity = new CapacityService(test.database.db, venues);
    await venues.createSite(
      {
        id: 'park',
        name: { zh: '公园', en: 'Park' },
        timezone: 'Asia/Shanghai',
        dailyCapacity: 100,
        agePolicy: null,
      },
      context,
    );
  });
  afterEach(() => test.dispose());

  const consume = (persons: number, slotId?: string, visitDate = '2026-12-01') =>
    auditedTransaction(test.database.db, (trx) =>
      capacity.consume(trx, { siteId: 'park', visitDate, slotId, persons }),
    );

  it('defines slots with instants in the site zone and refuses overlaps', async () => {
    const slots = await capacity.createSlots(
      {
        siteId: 'park',
        date: '2026-12-01',
        slots: [
          { start: '09:00', end: '10:00', cap: 30 },
          { start: '10:00', end: '24:00', cap: 40 },
        ],
      },
      context,
    );
    expect(slots.map((s) => [s.start, s.end, s.remaining])).toEqual([
      ['09:00', '10:00', 30],
      ['10:00', '24:00', 40],
    ]);
    // 09:00 in Shanghai (UTC+8) is 01:00 UTC.
    expect(slots[0]!.startAt).toBe(Date.UTC(2026, 11, 1, 1, 0));
    expect(slots[1]!.endAt).toBe(Date.UTC(2026, 11, 1, 16, 0));
    expect(
      await codeOf(
        capacity.createSlots(
          { siteId: 'park', date: '2026-12-01', slots: [{ start: '09:30', end: '11:00', cap: 5 }] },
          context,
        ),
      ),
    ).toBe('SLOT_TAKEN');
  });

  it('counts a slot sale against the slot and the day, and releases both', async () => {
    const [slot] = await capacity.createSlots(
      { siteId: 'park', date: '2026-12-01', slots: [{ start: '09:00', end: '10:00', cap: 3 }] },
      context,
    );
    const claim = await consume(2, slot!.id);
    expect(claim.slot).toEqual({ id: slot!.id, startAt: slot!.startAt, endAt: slot!.endAt });
    expect(await codeOf(consume(2, slot!.id))).toBe('CAPACITY_EXHAUSTED');
    let availability = await capacity.availability('park', '2026-12-01');
    expect(availability.daily).toEqual({ cap: 100, sold: 2, remaining: 98 });
    expect(availability.slots[0]!.sold).toBe(2);
    // A day with slots needs one named.
    expect(await codeOf(consume(1))).toBe('VALIDATION_FAILED');
    await auditedTransaction(test.database.db, (trx) =>
      capacity.release(trx, { siteId: 'park', visitDate: '2026-12-01', slotId: slot!.id, persons: 2 }),
    );
    availability = await capacity.availability('park', '2026-12-01');
    expect(availability.daily.sold).toBe(0);
    expect(availability.slots[0]!.sold).toBe(0);
  });

  it('stops at the daily cap and creates the day row once under concurrency', async () => {
    const results = await Promise.all(
      Array.from({ length: 30 }, () => codeOf(consume(4, undefined, '2026-12-02'))),
    );
    expect(results.filter((r) => r === 'OK')).toHaveLength(25);
    expect(results.filter((r) => r === 'CAPACITY_EXHAUSTED')).toHaveLength(5);
    expect((await capacity.availability('park', '2026-12-02')).daily).toEqual({
      cap: 100,
      sold: 100,
      remaining: 0,
    });
  });

  it('lets exactly cap of many parallel slot sales win', async () => {
    const [slot] = await capacity.createSlots(
      { siteId: 'park', date: '2026-12-03', slots: [{ start: '08:00', end: '09:00', cap: 20 }] },
      context,
    );
    const results = await Promise.all(
      Array.from({ length: 60 }, () => codeOf(consume(1, slot!.id, '2026-12-03'))),
    );
    expect(results.filter((r) => r === 'OK')).toHaveLength(20);
    expect(results.filter((r) => r === 'CAPACITY_EXHAUSTED')).toHaveLength(40);
    const availability = await capacity.availability('park', '2026-12-03');
    expect(availability.slots[0]!.sold).toBe(20);
    expect(availability.daily.sold).toBe(20);
  });

  it('never lowers a cap below what is sold and checks the slot belongs to the site and date', async () => {
    const [slot] = await capacity.createSlots(
      { siteId: 'park', date: '2026-12-01', slots: [{ start: '09:00', end: '10:00', cap: 5 }] },
      context,
    );
    await consume(3, slot!.id);
    expect(await codeOf(capacity.updateSlotCap(slot!.id, 2, context))).toBe('CAPACITY_BELOW_SOLD');
    expect((await capacity.updateSlotCap(slot!.id, 3, context)).remaining).toBe(0);
    expect(await codeOf(consume(1, slot!.id, '2026-12-02'))).toBe('SLOT_MISMATCH');
    expect(await codeOf(consume(1, 'nope'))).toBe('NOT_FOUND');
  });
  it('answers a calendar range with every date, its daily figures and its slots in total', async () => {
    const slots = await capacity.createSlots(
      {
        siteId: 'park',
        date: '2026-12-02',
        slots: [
          { start: '09:00', end: '10:00', cap: 30 },
          { start: '10:00', end: '11:00', cap: 20 },
        ],
      },
      context,
    );
    await consume(3, slots[1]!.id, '2026-12-02');
    await consume(5, undefined, '2026-12-04');
    const calendar = await capacity.calendar('park', '2026-11-30', '2026-12-04');
    expect(calendar.days.map((day) => day.date)).toEqual([
      '2026-11-30',
      '2026-12-01',
      '2026-12-02',
      '2026-12-03',
      '2026-12-04',
    ]);
    expect(calendar.days[0]).toEqual({
      date: '2026-11-30',
      cap: 100,
      sold: 0,
      remaining: 100,
      slots: { count: 0, cap: 0, sold: 0 },
    });
    expect(calendar.days[2]).toMatchObject({ sold: 3, remaining: 97, slots: { count: 2, cap: 50, sold: 3 } });
    expect(calendar.days[4]).toMatchObject({ sold: 5, remaining: 95, slots: { count: 0 } });
    // The figures agree with the one-day availability.
    const day = await capacity.availability('park', '2026-12-02');
    expect(calendar.days[2]!.sold).toBe(day.daily.sold);

    await venues.updateSite('park', { dailyCapacity: null }, context);
    expect((await capacity.calendar('park', '2026-12-04', '2026-12-04')).days).toEqual([
      { date: '2026-12-04', cap: null, sold: 5, remaining: null, slots: { count: 0, cap: 0, sold: 0 } },
    ]);
    // Inverted, too long and unreal ranges are refused; so is an unknown site.
    expect(await codeOf(capacity.calendar('park', '2026-12-04', '2026-12-03'))).toBe('VALIDATION_FAILED');
    expect(await codeOf(capacity.calendar('park', '2026-01-01', '2026-03-04'))).toBe('VALIDATION_FAILED');
    expect(await codeOf(capacity.calendar('park', '2026-02-30', '2026-03-04'))).toBe('VALIDATION_FAILED');
    expect(await codeOf(capacity.calendar('nope', '2026-12-01', '2026-12-02'))).toBe('NOT_FOUND');
  });
});
