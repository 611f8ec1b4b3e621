import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CredentialRecord,
  credentialRecordSchema,
  type PassageRecord,
  type TicketTypeRules,
  ticketTypeRulesSchema,
} from '../model.js';
import {
  checkoutInstant,
  checkoutMinute,
  isCheckoutTime,
  lastCheckoutAt,
  latestCheckout,
} from './auto-checkout.js';
import { decide } from './engine.js';
import { createVenueClock, DAY_MS, type VenueClock } from './venue-clock.js';

const BERLIN = createVenueClock('Europe/Berlin');
const SHANGHAI = createVenueClock('Asia/Shanghai');
const NEW_YORK = createVenueClock('America/New_York');
const HOUR = 3_600_000;
const MIN = 60_000;

const dayOf = (year: number, month: number, day: number) => Date.UTC(year, month - 1, day) / DAY_MS;
const at = (hhmm: string) => checkoutMinute(hhmm)!;

describe('checkout time text', () => {
  it.each([
    ['00:00', 0],
    ['02:30', 150],
    ['22:00', 1320],
    ['23:59', 1439],
  ])('%s is minute %d', (text, minute) => {
    expect(checkoutMinute(text)).toBe(minute);
    expect(isCheckoutTime(text)).toBe(true);
  });

  it.each(['24:00', '7:00', '07:0', '07:60', '', '22:00:00', ' 22:00', '２２:００'])('refuses %j', (text) => {
    expect(checkoutMinute(text)).toBeNull();
    expect(isCheckoutTime(text)).toBe(false);
  });
});

describe('checkoutInstant', () => {
  it('Asia/Shanghai: the wall time, UTC+8 all year', () => {
    expect(checkoutInstant(SHANGHAI, dayOf(2026, 3, 29), at('22:00'))).toBe(Date.UTC(2026, 2, 29, 14));
    expect(checkoutInstant(SHANGHAI, dayOf(2026, 10, 25), at('02:30'))).toBe(Date.UTC(2026, 9, 24, 18, 30));
    // 00:00 belongs to the day it starts.
    expect(checkoutInstant(SHANGHAI, dayOf(2026, 5, 12), 0)).toBe(Date.UTC(2026, 4, 11, 16));
  });

  it('Europe/Berlin on an ordinary winter and summer day', () => {
    expect(checkoutInstant(BERLIN, dayOf(2026, 1, 15), at('22:00'))).toBe(Date.UTC(2026, 0, 15, 21));
    expect(checkoutInstant(BERLIN, dayOf(2026, 7, 15), at('22:00'))).toBe(Date.UTC(2026, 6, 15, 20));
  });

  it('Europe/Berlin spring forward (29 March 2026): around the gap, and 02:30 runs at 03:00, the next valid instant', () => {
    const day = dayOf(2026, 3, 29);
    // 01:59 CET exists (00:59Z); 02:00–02:59 do not; 03:00 CEST is 01:00Z.
    expect(checkoutInstant(BERLIN, day, at('01:59'))).toBe(Date.UTC(2026, 2, 29, 0, 59));
    expect(checkoutInstant(BERLIN, day, at('02:00'))).toBe(Date.UTC(2026, 2, 29, 1));
    expect(checkoutInstant(BERLIN, day, at('02:30'))).toBe(Date.UTC(2026, 2, 29, 1));
    expect(checkoutInstant(BERLIN, day, at('02:59'))).toBe(Date.UTC(2026, 2, 29, 1));
    expect(checkoutInstant(BERLIN, day, at('03:00'))).toBe(Date.UTC(2026, 2, 29, 1));
    expect(checkoutInstant(BERLIN, day, at('22:00'))).toBe(Date.UTC(2026, 2, 29, 20));
    // The run is still on its own local day.
    expect(BERLIN.dayNumber(checkoutInstant(BERLIN, day, at('02:30')))).toBe(day);
  });

  it('Europe/Berlin fall back (25 October 2026): 02:30 happens twice, the check-out is the first one, once', () => {
    const day = dayOf(2026, 10, 25);
    const first = Date.UTC(2026, 9, 25, 0, 30); // 02:30 CEST
    const second = Date.UTC(2026, 9, 25, 1, 30); // 02:30 CET, an hour later
    expect(BERLIN.localParts(first).minuteOfDay).toBe(150);
    expect(BERLIN.localParts(second).minuteOfDay).toBe(150);
    expect(checkoutInstant(BERLIN, day, at('02:30'))).toBe(first);
    expect(checkoutInstant(BERLIN, day, at('22:00'))).toBe(Date.UTC(2026, 9, 25, 21));
    // At the second 02:30 and all the rest of the day the latest check-out is still the first one, of the same day.
    for (const now of [second, second + 10 * MIN, Date.UTC(2026, 9, 25, 22, 59)])
      expect(latestCheckout(BERLIN, at('02:30'), now)).toEqual({ day, at: first });
    expect(latestCheckout(BERLIN, at('02:30'), first - 1)).toEqual({
      day: day - 1,
      at: Date.UTC(2026, 9, 24, 0, 30),
    });
  });

  it('America/New_York too (negative offsets): 02:30 skipped in March, first of two in November', () => {
    expect(checkoutInstant(NEW_YORK, dayOf(2026, 3, 8), at('02:30'))).toBe(Date.UTC(2026, 2, 8, 7));
    expect(checkoutInstant(NEW_YORK, dayOf(2026, 11, 1), at('01:30'))).toBe(Date.UTC(2026, 10, 1, 5, 30));
  });

  it('property: the instant is on its local day, reads the wall time unless skipped, and no earlier instant does', () => {
    const clocks = [BERLIN, SHANGHAI, NEW_YORK];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: dayOf(2020, 1, 1), max: dayOf(2035, 12, 31) }),
        fc.integer({ min: 0, max: 1439 }),
        (c, day, minute) => {
          const clock = clocks[c]!;
          const instant = checkoutInstant(clock, day, minute);
          const parts = clock.localParts(instant);
          expect(parts.dayNumber).toBe(day);
          // Either the wall time itself, or (skipped) the first minute after the gap, later than the wall time.
          if (parts.minuteOfDay !== minute) {
            expect(parts.minuteOfDay).toBeGreaterThan(minute);
            expect(clock.localParts(instant - 1).minuteOfDay).toBeLessThan(minute);
          } else {
            // The first occurrence: an hour earlier the wall clock was not yet at the same minute of that day.
            const earlier = clock.localParts(instant - HOUR);
            expect(earlier.dayNumber === day && earlier.minuteOfDay === minute).toBe(false);
          }
        },
      ),
    );
  });
});

describe('latestCheckout', () => {
  it('today once its instant has come, yesterday before', () => {
    const day = dayOf(2026, 5, 12);
    const ten = Date.UTC(2026, 4, 12, 14); // 22:00 Shanghai
    expect(latestCheckout(SHANGHAI, at('22:00'), ten)).toEqual({ day, at: ten });
    expect(latestCheckout(SHANGHAI, at('22:00'), ten - 1)).toEqual({ day: day - 1, at: ten - DAY_MS });
    expect(lastCheckoutAt(SHANGHAI, null, ten)).toBe(Number.NEGATIVE_INFINITY);
    expect(lastCheckoutAt(SHANGHAI, undefined, ten)).toBe(Number.NEGATIVE_INFINITY);
  });

  it('spring forward with 02:30: the day still has its check-out, at 03:00', () => {
    const day = dayOf(2026, 3, 29);
    const three = Date.UTC(2026, 2, 29, 1);
    expect(latestCheckout(BERLIN, at('02:30'), three - 1).day).toBe(day - 1);
    expect(latestCheckout(BERLIN, at('02:30'), three)).toEqual({ day, at: three });
  });
});

describe('the engine with an automatic check-out', () => {
  /** Asia/Shanghai wall time on 12 May 2026. */
  const sh = (hour: number, minute = 0, day = 12) => Date.UTC(2026, 4, day, hour, minute) - 8 * HOUR;
  const rules = (overrides: Partial<TicketTypeRules> = {}) =>
    ticketTypeRulesSchema.parse({ typeId: 21, name: { zh: '日票', en: 'Day ticket' }, ...overrides });
  const dayTicket = (overrides: Partial<CredentialRecord> = {}) =>
    credentialRecordSchema.parse({
      ticketId: 9001,
      typeId: 21,
      status: 'used',
      validFrom: sh(0),
      validTo: sh(0, 0, 13),
      entriesTotal: 1,
      entriesUsed: 1,
      lastEntryAt: sh(9),
      ...overrides,
    });
  const reason = (
    record: CredentialRecord,
    typeRules: TicketTypeRules,
    now: number,
    checkout: string | null,
    recent: PassageRecord[] = [],
    clock: VenueClock = SHANGHAI,
    direction: 'in' | 'out' = 'in',
  ) =>
    decide({
      record,
      rules: typeRules,
      gate: { siteId: 'park', gateId: 'g1', zoneId: 'main', direction: 'both' },
      direction,
      now,
      clock,
      recent,
      checkoutMinute: checkout === null ? null : at(checkout),
    }).reason;

  const reentry = rules({ reentry: { until: null } });

  it('same-day re-entry: still inside at the check-out, the holder may come back in without an exit', () => {
    expect(reason(dayTicket(), reentry, sh(22, 30), null)).toBe('ANTI_PASSBACK');
    expect(reason(dayTicket(), reentry, sh(22, 30), '22:00')).toBe('OK');
    // Before the check-out it is still a passback.
    expect(reason(dayTicket(), reentry, sh(21, 59), '22:00')).toBe('ANTI_PASSBACK');
    // Came back in after the check-out: inside again, a second entry is a passback.
    expect(reason(dayTicket({ lastEntryAt: sh(22, 10) }), reentry, sh(22, 30), '22:00')).toBe(
      'ANTI_PASSBACK',
    );
    // Yesterday's check-out does not make a new day's re-entry out of an old ticket.
    expect(reason(dayTicket(), reentry, sh(8, 0, 13), '22:00')).not.toBe('OK');
  });

  it('the gate’s own entry not synced yet counts as before', () => {
    const record = dayTicket({ status: 'active', entriesUsed: 0, lastEntryAt: undefined });
    const recent = [{ at: sh(21), direction: 'in' as const, gateId: 'g1' }];
    const withOwnEntry = { ...record, entriesUsed: 1 };
    expect(reason(withOwnEntry, reentry, sh(22, 30), null, recent)).toBe('ANTI_PASSBACK');
    expect(reason(withOwnEntry, reentry, sh(22, 30), '22:00', recent)).toBe('OK');
  });

  it('strict alternation: the check-out is an exit for entries, never refuses an exit', () => {
    const pass = dayTicket({ status: 'active', entriesTotal: null, entriesUsed: 0, validTo: sh(0, 0, 20) });
    const strict = rules({ strictAlternation: true, exitFree: false });
    const recent = [{ at: sh(20), direction: 'in' as const, gateId: 'g1' }];
    expect(reason(pass, strict, sh(23), null, recent)).toBe('ANTI_PASSBACK');
    expect(reason(pass, strict, sh(23), '22:00', recent)).toBe('OK');
    // Someone still inside after the check-out leaves freely.
    expect(reason(pass, strict, sh(23), '22:00', recent, SHANGHAI, 'out')).toBe('OK');
  });

  it('Europe/Berlin spring forward: a 02:30 check-out takes effect at 03:00, not before', () => {
    const berlinRules = rules({ strictAlternation: true });
    const pass = dayTicket({
      status: 'active',
      entriesTotal: null,
      entriesUsed: 0,
      validFrom: Date.UTC(2026, 2, 1),
      validTo: Date.UTC(2026, 3, 30),
    });
    const recent = [{ at: Date.UTC(2026, 2, 28, 22), direction: 'in' as const, gateId: 'g1' }];
    const three = Date.UTC(2026, 2, 29, 1);
    expect(reason(pass, berlinRules, three - 1, '02:30', recent, BERLIN)).toBe('ANTI_PASSBACK');
    expect(reason(pass, berlinRules, three, '02:30', recent, BERLIN)).toBe('OK');
  });
});
