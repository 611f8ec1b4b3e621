import { describe, expect, it } from 'vitest';
import type { TicketTypeDefinition } from '../../../api/types';
import {
  defaultsFor,
  diffDefinitions,
  formPathOf,
  maskOfWeekdays,
  newTypeValues,
  parseMinute,
  toDefinition,
  toEditorValues,
  weekdaysOfMask,
} from './form-model';

const adult: TicketTypeDefinition = {
  name: { zh: '成人票', en: 'Adult' },
  kind: 'single',
  prices: { window: 8000, online: 7550 },
  ...defaultsFor('single'),
};

const countCard: TicketTypeDefinition = {
  name: { zh: '十次卡', en: 'Ten visits' },
  kind: 'count',
  prices: { window: 50_000 },
  validity: { from: 'first_use', length: { unit: 'day', count: 365 } },
  entries: 10,
  persons: { min: 1, max: 1 },
  rules: {
    weekdays: 0b0011111,
    hours: [
      { from: 480, to: 720 },
      { from: 780, to: 1440 },
    ],
    entriesPerDay: 2,
    antiPassbackSec: 600,
    strictAlternation: true,
    zones: ['north'],
    gates: [],
    slotEarlyMin: 15,
    slotLateMin: 30,
    exitFree: false,
  },
  refund: {
    refundable: true,
    deadline: { dayOffset: -1, minuteOfDay: 1080 },
    fee: { kind: 'permille', permille: 50 },
    proRata: true,
  },
  realName: 'per_ticket',
  perIdDailyLimit: 5,
  ageDiscounts: {
    source: 'custom',
    rules: [
      {
        minAge: 0,
        maxAge: 6,
        discount: { kind: 'permille', payPermille: 0 },
        label: { zh: '儿童免票', en: 'Child (free)' },
      },
      {
        minAge: 60,
        maxAge: null,
        discount: { kind: 'fixed', priceFen: 1999 },
        label: { zh: '老年', en: 'Senior' },
      },
    ],
  },
};

describe('the ticket-type editor model', () => {
  it('gives a definition back unchanged after a round trip through the form', () => {
    for (const definition of [adult, countCard]) {
      expect(toDefinition(toEditorValues(definition))).toEqual(definition);
    }
  });

  it('reads prices as exact fen and leaves empty channels unsold', () => {
    const values = toEditorValues(adult);
    expect(values.prices).toEqual({
      window: '80.00',
      online: '75.50',
      ota: '',
      agency: '',
      self_service: '',
    });
    values.prices.online = '';
    values.prices.ota = '0.29';
    expect(toDefinition(values).prices).toEqual({ window: 8000, ota: 29 });
    values.prices.window = '12.345';
    expect(toDefinition(values).prices.window).toBeNaN();
  });

  it('starts a new type with the API’s defaults for its kind', () => {
    expect(newTypeValues('group')).toMatchObject({
      kind: 'group',
      entries: 1,
      persons: { min: 10, max: 50 },
      ageDiscounts: { source: 'none', rules: [] },
      active: true,
    });
    expect(newTypeValues('year_pass')).toMatchObject({
      entries: null,
      validity: { from: 'first_use', length: { unit: 'month', count: 12 } },
    });
    expect(newTypeValues('count').refund.proRata).toBe(true);
    expect(newTypeValues('count').validity).toEqual({
      from: 'sale',
      length: { unit: 'month', count: 12 },
      activateWithinDays: null,
      activateBy: '',
    });
    expect(newTypeValues().rules).toMatchObject({
      visitDays: null,
      reentry: false,
      reentryUntil: '',
      unconfirmedUsesEntry: true,
    });
    expect(newTypeValues().rules.weekdays).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('carries the entry rules through the form: first use with its activation, visit days, re-entry', () => {
    const pass: TicketTypeDefinition = {
      name: { zh: '三日游', en: 'Any 3 days' },
      kind: 'period_pass',
      prices: { window: 20_000 },
      ...defaultsFor('period_pass'),
      validity: {
        from: 'first_use',
        length: { unit: 'day', count: 30 },
        activateBy: '2027-06-30',
        activateWithinDays: 90,
      },
      rules: {
        ...defaultsFor('period_pass').rules,
        visitDays: 3,
        entriesPerDay: 2,
        unconfirmedUsesEntry: false,
      },
    };
    const values = toEditorValues(pass);
    expect(values.validity).toMatchObject({ activateBy: '2027-06-30', activateWithinDays: 90 });
    expect(values.rules).toMatchObject({ visitDays: 3, reentry: false, unconfirmedUsesEntry: false });
    expect(toDefinition(values)).toEqual(pass);

    const day: TicketTypeDefinition = { ...adult, rules: { ...adult.rules, reentry: { until: 1020 } } };
    expect(toEditorValues(day).rules).toMatchObject({ reentry: true, reentryUntil: '17:00' });
    expect(toDefinition(toEditorValues(day))).toEqual(day);
    const allDay = toEditorValues(day);
    allDay.rules.reentryUntil = '';
    expect(toDefinition(allDay).rules.reentry).toEqual({ until: null });
    // Cleared fields leave the optional rules out, as the API stores a type without them.
    allDay.rules.reentry = false;
    allDay.rules.visitDays = null;
    expect(toDefinition(allDay).rules).not.toHaveProperty('reentry');
    expect(toDefinition(allDay).rules).not.toHaveProperty('visitDays');
    // A type stating the default (an unconfirmed passage uses an entry) is unchanged by an edit that leaves it.
    const stated: TicketTypeDefinition = { ...adult, rules: { ...adult.rules, unconfirmedUsesEntry: true } };
    expect(diffDefinitions(stated, toDefinition(toEditorValues(stated)))).toEqual([]);
    expect(
      diffDefinitions(
        stated,
        toDefinition({
          ...toEditorValues(stated),
          rules: { ...toEditorValues(stated).rules, unconfirmedUsesEntry: false },
        }),
      ),
    ).toHaveLength(1);
    const noActivation = toEditorValues(pass);
    noActivation.validity.activateBy = ' ';
    noActivation.validity.activateWithinDays = null;
    expect(toDefinition(noActivation).validity).toEqual({
      from: 'first_use',
      length: { unit: 'day', count: 30 },
    });
  });

  it('converts weekdays and times of day', () => {
    expect(weekdaysOfMask(0b1000001)).toEqual([1, 7]);
    expect(maskOfWeekdays([1, 7])).toBe(0b1000001);
    expect(parseMinute('24:00')).toBe(1440);
    expect(parseMinute('24:01')).toBeUndefined();
    expect(parseMinute('9:00')).toBeUndefined();
  });

  it('puts API field problems on the form field an operator can fix', () => {
    expect(formPathOf(['name', 'zh'])).toEqual(['name', 'zh']);
    expect(formPathOf(['prices', 'ota'])).toEqual(['prices', 'ota']);
    expect(formPathOf(['prices'])).toEqual(['prices', 'window']);
    expect(formPathOf(['validity'])).toEqual(['validity', 'length', 'count']);
    expect(formPathOf(['rules', 'hours', 1])).toEqual(['rules', 'hours', 1, 'to']);
    expect(formPathOf(['rules', 'weekdays'])).toEqual(['rules', 'weekdays']);
    expect(formPathOf(['refund', 'deadline', 'minuteOfDay'])).toEqual(['refund', 'time']);
    expect(formPathOf(['refund'])).toEqual(['refund', 'proRata']);
    expect(formPathOf(['ageDiscounts', 'rules', 0, 'discount', 'priceFen'])).toEqual([
      'ageDiscounts',
      'rules',
      0,
      'priceYuan',
    ]);
    expect(formPathOf(['ageDiscounts', 'rules'])).toEqual(['ageDiscounts', 'source']);
    expect(formPathOf(['validity', 'activateBy'])).toEqual(['validity', 'activateBy']);
    expect(formPathOf(['validity', 'activateWithinDays'])).toEqual(['validity', 'activateWithinDays']);
    expect(formPathOf(['rules', 'visitDays'])).toEqual(['rules', 'visitDays']);
    expect(formPathOf(['rules', 'reentry'])).toEqual(['rules', 'reentry']);
    expect(formPathOf(['rules', 'reentry', 'until'])).toEqual(['rules', 'reentryUntil']);
    expect(formPathOf(['expectedVersion'])).toBeUndefined();
  });

  it('lists what changed between two versions, field by field', () => {
    const next: TicketTypeDefinition = {
      ...adult,
      prices: { window: 9000, ota: 7000 },
      rules: { ...adult.rules, antiPassbackSec: 300 },
      refund: { ...adult.refund, fee: { kind: 'permille', permille: 100 } },
    };
    expect(diffDefinitions(adult, next)).toEqual([
      { path: ['prices', 'online'], before: 7550, after: undefined },
      { path: ['prices', 'ota'], before: undefined, after: 7000 },
      { path: ['prices', 'window'], before: 8000, after: 9000 },
      { path: ['rules', 'antiPassbackSec'], before: 0, after: 300 },
      { path: ['refund', 'fee', 'fen'], before: 0, after: undefined },
      { path: ['refund', 'fee', 'kind'], before: 'fixed', after: 'permille' },
      { path: ['refund', 'fee', 'permille'], before: undefined, after: 100 },
    ]);
    expect(diffDefinitions(adult, { ...adult })).toEqual([]);
  });
});
