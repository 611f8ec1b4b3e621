import { createVenueClock, ticketTypeRulesSchema } from '@scenic/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseBackends, type TestDatabase } from '../../db/testing.js';
import type { ChangeContext } from '../../platform/change-context.js';
import { AppError } from '../../platform/errors.js';
import { formatIsoDate, localDateAt } from '../../platform/identity/civil-date.js';
import { residentIdCheckCharacter } from '../../platform/identity/resident-id.js';
import { AGE_POLICY_PRESETS } from '../venues/age-policy.js';
import { VenuesService } from '../venues/service.js';
import type { CreateTicketType } from './schemas.js';
import { TicketTypesService } from './service.js';

const context: ChangeContext = { actor: { id: null, username: 'system' }, ip: '10.0.0.9' };
const shanghai = createVenueClock('Asia/Shanghai');

const ADULT: CreateTicketType = {
  typeId: 101,
  siteId: 'xihu',
  code: 'ADULT',
  name: { zh: '成人票', en: 'Adult' },
  kind: 'single',
  prices: { window: 8000, online: 7500 },
};

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  throw new Error('expected an AppError');
}

function idBornOn(birth: string): string {
  const first17 = `330106${birth.replaceAll('-', '')}001`;
  return `${first17}${residentIdCheckCharacter(first17)}`;
}

describe.each(databaseBackends())('ticket types on $name', (backend) => {
  let test: TestDatabase;
  let venues: VenuesService;
  let types: TicketTypesService;
  let clock: number;

  beforeEach(async () => {
    test = await backend.create();
    clock = 1_764_000_000_000;
    venues = new VenuesService(test.database.db, () => clock);
    types = new TicketTypesService(test.database.db, venues, () => clock);
    await venues.createSite(
      {
        id: 'xihu',
        name: { zh: '西湖', en: 'West Lake' },
        timezone: 'Asia/Shanghai',
        dailyCapacity: null,
        agePolicy: AGE_POLICY_PRESETS[0]!.rules,
      },
      context,
    );
    await venues.createZone(
      'xihu',
      {
        id: 'main',
        name: { zh: '主园区', en: 'Main' },
        capacity: null,
        active: true,
      },
      context,
    );
  });
  afterEach(() => test.dispose());

  it('creates a single ticket with the defaults of its kind and records it in the operation log', async () => {
    const created = await types.create(ADULT, context);
    expect(created).toEqual({
      typeId: 101,
      version: 1,
      siteId: 'xihu',
      code: 'ADULT',
      active: true,
      name: { zh: '成人票', en: 'Adult' },
      kind: 'single',
      validity: { from: 'visit_date', length: { unit: 'day', count: 1 } },
      entries: 1,
      persons: { min: 1, max: 1 },
      prices: { window: 8000, online: 7500 },
      rules: ticketTypeRulesSchema.omit({ typeId: true, name: true }).parse({}),
      refund: {
        refundable: true,
        deadline: { dayOffset: 0, minuteOfDay: 1440 },
        fee: { kind: 'fixed', fen: 0 },
        proRata: false,
      },
      realName: 'none',
      perIdDailyLimit: null,
      ageDiscounts: { source: 'site' },
      createdAt: clock,
      updatedAt: clock,
    });
    expect(await types.get(101)).toEqual(created);
    const audit = await test.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity', '=', 'ticket_type')
      .execute();
    expect(audit.map((row) => [row.action, row.entity_id, row.ip])).toEqual([
      ['ticket_type.create', '101', '10.0.0.9'],
    ]);
  });

  it('stores every kind with its own fields', async () => {
    const count = await types.create(
      {
        ...ADULT,
        typeId: 201,
        code: 'TEN',
        kind: 'count',
        entries: 10,
        name: { zh: '十次卡', en: '10 entries' },
      },
      context,
    );
    // A count card is used over months, not on one visit date: a year from its sale unless the type says otherwise.
    expect(count).toMatchObject({
      entries: 10,
      refund: { proRata: true },
      validity: { from: 'sale', length: { unit: 'month', count: 12 } },
    });
    const year = await types.create(
      {
        ...ADULT,
        typeId: 202,
        code: 'YEAR',
        kind: 'year_pass',
        name: { zh: '年卡', en: 'Annual pass' },
        realName: 'per_ticket',
        perIdDailyLimit: 1,
        rules: {
          ...ticketTypeRulesSchema.omit({ typeId: true, name: true }).parse({}),
          entriesPerDay: 2,
          antiPassbackSec: 600,
          zones: ['main'],
        },
      },
      context,
    );
    expect(year).toMatchObject({
      entries: null,
      validity: { from: 'first_use', length: { unit: 'month', count: 12 } },
      rules: { entriesPerDay: 2, antiPassbackSec: 600, zones: ['main'] },
    });
    const group = await types.create(
      {
        ...ADULT,
        typeId: 203,
        code: 'GROUP',
        kind: 'group',
        persons: { min: 10, max: 40 },
        prices: { agency: 6000 },
      },
      context,
    );
    expect(group).toMatchObject({
      persons: { min: 10, max: 40 },
      ageDiscounts: { source: 'none' },
      entries: 1,
    });
    expect((await types.list({ siteId: 'xihu' })).map((t) => t.typeId)).toEqual([201, 202, 203]);
    expect(await types.list({ siteId: 'elsewhere' })).toEqual([]);
  });

  it.each([
    ['a count card with one entry', { kind: 'count', entries: 1 }, 'entries'],
    [
      'a month pass valid for 30 days',
      { kind: 'month_pass', validity: { from: 'sale', length: { unit: 'day', count: 30 } } },
      'validity',
    ],
    ['a single ticket for 3 persons', { persons: { min: 3, max: 3 } }, 'persons'],
    ['a per-ID limit without real names', { perIdDailyLimit: 2 }, 'perIdDailyLimit'],
    [
      'an activation deadline on a visit-date validity',
      { validity: { from: 'visit_date', length: { unit: 'day', count: 1 }, activateWithinDays: 30 } },
      'validity',
    ],
    [
      'a last activation date already past',
      {
        kind: 'period_pass',
        validity: { from: 'first_use', length: { unit: 'day', count: 30 }, activateBy: '2020-01-01' },
      },
      'validity',
    ],
    [
      'pro-rata refunds on a single ticket',
      { refund: { refundable: true, deadline: null, fee: { kind: 'fixed', fen: 0 }, proRata: true } },
      'refund',
    ],
  ] as const)('rejects %s with VALIDATION_FAILED', async (_, change, field) => {
    try {
      await types.create({ ...ADULT, ...change } as CreateTicketType, context);
      expect.unreachable();
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.issues?.map((issue) => issue.path[0])).toEqual([field]);
    }
    expect(await types.list()).toEqual([]);
  });

  it('refuses unknown sites, zones and gates, and taken codes', async () => {
    expect(await codeOf(types.create({ ...ADULT, siteId: 'nowhere' }, context))).toBe('NOT_FOUND');
    const rules = {
      ...ticketTypeRulesSchema.omit({ typeId: true, name: true }).parse({}),
      zones: ['main', 'ghost'],
    };
    expect(await codeOf(types.create({ ...ADULT, rules }, context))).toBe('NOT_FOUND');
    expect(
      await codeOf(types.create({ ...ADULT, rules: { ...rules, zones: [], gates: ['g9'] } }, context)),
    ).toBe('NOT_FOUND');
    await types.create(ADULT, context);
    expect(await codeOf(types.create({ ...ADULT, typeId: 102 }, context))).toBe('TICKET_TYPE_CODE_TAKEN');
    expect(await codeOf(types.create({ ...ADULT, code: 'OTHER' }, context))).toBe('TICKET_TYPE_ID_TAKEN');
  });

  it('lets exactly one of 20 parallel creates with the same typeId win', async () => {
    const attempts = Array.from({ length: 20 }, (_, i) => types.create({ ...ADULT, code: `C${i}` }, context));
    const results = await Promise.allSettled(attempts);
    const winners = results.filter((r) => r.status === 'fulfilled');
    const losers = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    expect(winners).toHaveLength(1);
    expect(losers.map((e) => (e instanceof AppError ? e.code : String(e)))).toEqual(
      Array(19).fill('TICKET_TYPE_ID_TAKEN'),
    );
    expect(await types.list()).toHaveLength(1);
    expect(await test.database.db.selectFrom('ticket_type_versions').selectAll().execute()).toHaveLength(1);
  });

  it('writes a new version for a price change and leaves the old one as it was', async () => {
    const v1 = await types.create(ADULT, context);
    clock += 60_000;
    const v2 = await types.update(
      101,
      { prices: { window: 9000, online: 7500, ota: 7800 }, expectedVersion: 1 },
      context,
    );
    expect(v2).toMatchObject({
      version: 2,
      prices: { window: 9000, online: 7500, ota: 7800 },
      createdAt: clock,
      updatedAt: clock,
    });

    const { siteId, code, active, updatedAt, ...v1Version } = v1;
    expect(await types.getVersion(101, 1)).toEqual(v1Version);
    expect((await types.listVersions(101)).map((v) => [v.version, v.prices.window])).toEqual([
      [1, 8000],
      [2, 9000],
    ]);

    // Same definition again: no version. Deactivating: no version either, but logged.
    expect(
      (await types.update(101, { prices: { window: 9000, online: 7500, ota: 7800 } }, context)).version,
    ).toBe(2);
    const inactive = await types.update(101, { active: false }, context);
    expect(inactive).toMatchObject({ version: 2, active: false });
    expect(await types.listVersions(101)).toHaveLength(2);

    expect(
      await codeOf(types.update(101, { name: { zh: '新', en: 'New' }, expectedVersion: 1 }, context)),
    ).toBe('TICKET_TYPE_VERSION_STALE');
    expect(await codeOf(types.update(101, { kind: 'count' }, context))).toBe('VALIDATION_FAILED');
    expect((await types.get(101)).version).toBe(2);
    const actions = await test.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity', '=', 'ticket_type')
      .orderBy('seq')
      .execute();
    expect(actions.map((row) => row.action)).toEqual([
      'ticket_type.create',
      'ticket_type.update',
      'ticket_type.deactivate',
    ]);
  });

  it('refuses a validity running past the last minute a QR credential can carry, on create and update', async () => {
    // The clock is 2025-11-25 00:00 in Shanghai; QR_TIME_MAX_MS is 2055-11-25 04:15 there.
    const fromSale = (count: number) => ({
      from: 'sale' as const,
      length: { unit: 'month' as const, count },
    });
    const refusal = async (promise: Promise<unknown>) => {
      try {
        await promise;
      } catch (error) {
        if (error instanceof AppError) return { code: error.code, issues: error.issues };
        throw error;
      }
      throw new Error('expected an AppError');
    };
    const tooLong = await refusal(types.create({ ...ADULT, validity: fromSale(361) }, context));
    expect(tooLong.code).toBe('VALIDATION_FAILED');
    expect(tooLong.issues).toHaveLength(1);
    expect(tooLong.issues![0]).toMatchObject({ path: ['validity', 'length'], code: 'too_big' });
    expect(tooLong.issues![0]!.messages['zh-CN']).toContain('2055-11-25 04:15');
    expect(tooLong.issues![0]!.messages.en).toContain('2055-11-25 04:15');
    expect(tooLong.issues![0]!.messages.en).toContain('2055-12-25');
    expect(await types.list()).toEqual([]);

    // Exactly up to the limit is fine: sold today, 360 months end at 2055-11-25 00:00.
    expect((await types.create({ ...ADULT, validity: fromSale(360) }, context)).version).toBe(1);
    // A visit-date type must fit for the last visit date sellable today (365 days ahead) too.
    const byVisit = (count: number) => ({
      from: 'visit_date' as const,
      length: { unit: 'month' as const, count },
    });
    expect(
      (await refusal(types.create({ ...ADULT, typeId: 102, code: 'V', validity: byVisit(349) }, context)))
        .code,
    ).toBe('VALIDATION_FAILED');
    expect(
      (await types.create({ ...ADULT, typeId: 102, code: 'V', validity: byVisit(348) }, context)).version,
    ).toBe(1);

    const update = await refusal(types.update(101, { validity: fromSale(3660) }, context));
    expect(update.code).toBe('VALIDATION_FAILED');
    expect(update.issues![0]!.path).toEqual(['validity', 'length']);
    expect((await types.get(101)).version).toBe(1);
  });

  it('gives gates rules that pass the protocol schema', async () => {
    await types.create(
      {
        ...ADULT,
        rules: {
          weekdays: 0b0011111,
          hours: [{ from: 8 * 60, to: 17 * 60 + 30 }],
          entriesPerDay: 1,
          antiPassbackSec: 300,
          strictAlternation: true,
          zones: ['main'],
          gates: [],
          slotEarlyMin: 15,
          slotLateMin: 30,
          exitFree: true,
        },
      },
      context,
    );
    const rules = await types.gateRules(101);
    expect(ticketTypeRulesSchema.parse(rules)).toEqual(rules);
    expect(rules).toMatchObject({
      typeId: 101,
      name: { zh: '成人票', en: 'Adult' },
      weekdays: 0b0011111,
      zones: ['main'],
    });
    await types.create({ ...ADULT, typeId: 102, code: 'OFF', active: false }, context);
    expect((await types.gateRulesForSite('xihu')).map((r) => r.typeId)).toEqual([101]);
  });

  describe('priceFor', () => {
    beforeEach(async () => {
      await types.create(ADULT, context);
    });

    /** The venue-local date at an instant: the Shanghai day starts at 16:00 UTC the day before. */
    const visitAt = (iso: string) => formatIsoDate(localDateAt(Date.parse(iso), shanghai));

    it.each([
      // Born 2019-06-15: 6th birthday 2025-06-15, 18th 2037-06-15, 60th 2079-06-15.
      ['2025-06-14T15:59:59Z', 5, 0],
      ['2025-06-14T16:00:00Z', 6, 4000],
      ['2037-06-14T15:59:59Z', 17, 4000],
      ['2037-06-14T16:00:00Z', 18, 8000],
      ['2079-06-14T15:59:59Z', 59, 8000],
      ['2079-06-14T16:00:00Z', 60, 4000],
    ])('at %s the visitor is %i and pays %i fen at the window', async (instant, age, priceFen) => {
      const quote = await types.priceFor({
        typeId: 101,
        channel: 'window',
        visitDate: visitAt(instant),
        idNumber: idBornOn('2019-06-15'),
      });
      expect(quote).toMatchObject({ typeId: 101, version: 1, basePriceFen: 8000, age, priceFen, persons: 1 });
      expect(quote.ageRule === null).toBe(priceFen === 8000);
    });

    it('applies the channel price, custom rules and fixed prices; full price without a birth date', async () => {
      expect(await types.priceFor({ typeId: 101, channel: 'online', visitDate: '2025-06-15' })).toMatchObject(
        {
          priceFen: 7500,
          age: null,
          ageRule: null,
        },
      );
      await types.update(
        101,
        {
          ageDiscounts: {
            source: 'custom',
            rules: [
              {
                minAge: 65,
                maxAge: null,
                discount: { kind: 'fixed', priceFen: 1000 },
                label: { zh: '长者', en: 'Senior' },
              },
            ],
          },
        },
        context,
      );
      const senior = await types.priceFor({
        typeId: 101,
        channel: 'online',
        visitDate: '2025-06-15',
        birthDate: '1950-01-01',
      });
      expect(senior).toMatchObject({ version: 2, age: 75, priceFen: 1000 });
      const child = await types.priceFor({
        typeId: 101,
        channel: 'online',
        visitDate: '2025-06-15',
        birthDate: '2022-01-01',
      });
      expect(child).toMatchObject({ age: 3, priceFen: 7500, ageRule: null });
    });

    it('prices a group per person within its size range', async () => {
      await types.create(
        {
          ...ADULT,
          typeId: 300,
          code: 'GROUP',
          kind: 'group',
          persons: { min: 10, max: 40 },
          prices: { agency: 6000 },
        },
        context,
      );
      expect(
        await types.priceFor({ typeId: 300, channel: 'agency', visitDate: '2025-06-15', persons: 25 }),
      ).toMatchObject({
        persons: 25,
        priceFen: 150_000,
      });
      expect(
        await codeOf(types.priceFor({ typeId: 300, channel: 'agency', visitDate: '2025-06-15', persons: 9 })),
      ).toBe('GROUP_SIZE_OUT_OF_RANGE');
    });

    it.each([
      [{ channel: 'agency' }, 'TICKET_TYPE_NOT_ON_CHANNEL'],
      [{ idNumber: '330106201906150012' }, 'ID_NUMBER_INVALID'],
      [{ idNumber: idBornOn('2030-01-01') }, 'ID_NUMBER_INVALID'],
      [{ birthDate: '2026-01-01' }, 'VALIDATION_FAILED'],
      [{ visitDate: '2025-02-29' }, 'VALIDATION_FAILED'],
      [{ typeId: 999 }, 'NOT_FOUND'],
    ] as const)('refuses %o with %s', async (change, code) => {
      expect(
        await codeOf(types.priceFor({ typeId: 101, channel: 'window', visitDate: '2025-06-15', ...change })),
      ).toBe(code);
    });

    it('refuses inactive types and days the rules exclude', async () => {
      await types.update(101, { rules: { ...(await types.get(101)).rules, weekdays: 0b1100000 } }, context);
      // 2025-06-15 is a Sunday, 2025-06-16 a Monday.
      expect(
        (await types.priceFor({ typeId: 101, channel: 'window', visitDate: '2025-06-15' })).priceFen,
      ).toBe(8000);
      expect(await codeOf(types.priceFor({ typeId: 101, channel: 'window', visitDate: '2025-06-16' }))).toBe(
        'TICKET_TYPE_NOT_VALID_ON_DATE',
      );
      await types.update(101, { active: false }, context);
      expect(await codeOf(types.priceFor({ typeId: 101, channel: 'window', visitDate: '2025-06-15' }))).toBe(
        'TICKET_TYPE_INACTIVE',
      );
    });
  });
});
