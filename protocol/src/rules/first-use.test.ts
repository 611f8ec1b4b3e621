import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CredentialRecord,
  credentialRecordSchema,
  type PassageRecord,
  type TicketTypeRules,
  ticketTypeRulesSchema,
} from '../model.js';
import type { DecisionReason } from '../reasons.js';
import { decide } from './engine.js';
import { activationEnd, addPeriod, localMidnight } from './first-use.js';
import { entryReason } from './testing.js';
import { createVenueClock, type VenueClock } from './venue-clock.js';

const SHANGHAI = createVenueClock('Asia/Shanghai');
const BERLIN = createVenueClock('Europe/Berlin');
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Asia/Shanghai wall time in 2026 (month 1–12). */
const sh = (month: number, day: number, hour = 0, minute = 0, ms = 0) =>
  Date.UTC(2026, month - 1, day, hour, minute, 0, ms) - 8 * HOUR;

const RULES: TicketTypeRules = ticketTypeRulesSchema.parse({
  typeId: 9,
  name: { zh: '月卡', en: 'Month pass' },
});

/** A 30-day first-use pass: usable from 1 March, to be activated by the end of 31 March (Shanghai). */
function pass(overrides: Partial<CredentialRecord> = {}): CredentialRecord {
  return credentialRecordSchema.parse({
    ticketId: 5001,
    typeId: 9,
    status: 'active',
    validFrom: sh(3, 1),
    validTo: sh(4, 30),
    entriesTotal: null,
    entriesUsed: 0,
    activation: { by: sh(4, 1), unit: 'day', count: 30 },
    ...overrides,
  });
}

const entry = (at: number): PassageRecord => ({ at, direction: 'in', gateId: 'g1' });

function reasonAt(
  record: CredentialRecord,
  now: number,
  recent: PassageRecord[] = [],
  clock: VenueClock = SHANGHAI,
): DecisionReason {
  return entryReason(record, RULES, now, recent, clock);
}

interface Case {
  name: string;
  record?: Partial<CredentialRecord>;
  now: number;
  recent?: PassageRecord[];
  reason: DecisionReason;
}

const cases: Case[] = [
  {
    name: 'not activated, before the first day it may be used',
    now: sh(2, 28, 23, 59),
    reason: 'NOT_YET_VALID',
  },
  { name: 'not activated, the first day', now: sh(3, 1), reason: 'OK' },
  { name: 'not activated, 1 ms before the latest activation', now: sh(4, 1) - 1, reason: 'OK' },
  { name: 'not activated, at the latest activation', now: sh(4, 1), reason: 'EXPIRED' },
  {
    name: 'activated 5 March, day 30 (3 April) late evening',
    record: { firstEntryAt: sh(3, 5, 9) },
    now: sh(4, 3, 23, 59),
    reason: 'OK',
  },
  {
    name: 'activated 5 March, 1 ms before the end',
    record: { firstEntryAt: sh(3, 5, 9) },
    now: sh(4, 4) - 1,
    reason: 'OK',
  },
  {
    name: 'activated 5 March, at the end (4 April 00:00)',
    record: { firstEntryAt: sh(3, 5, 9) },
    now: sh(4, 4),
    reason: 'EXPIRED',
  },
  // Activated just before the deadline: valid past it, up to the envelope.
  {
    name: 'activated 31 March 23:59, on 29 April',
    record: { firstEntryAt: sh(3, 31, 23, 59) },
    now: sh(4, 29, 12),
    reason: 'OK',
  },
  {
    name: 'activated 31 March 23:59, at the envelope end',
    record: { firstEntryAt: sh(3, 31, 23, 59) },
    now: sh(4, 30),
    reason: 'EXPIRED',
  },
  // The gate's own entry not yet in the record (or the cloud's open reservation) activates it just the same.
  {
    name: 'first entry only in recent, within 30 days',
    now: sh(3, 20),
    recent: [entry(sh(3, 2, 10))],
    reason: 'OK',
  },
  {
    name: 'first entry 2 March only in recent, at 1 April 00:00',
    now: sh(4, 1),
    recent: [entry(sh(3, 2, 10))],
    reason: 'EXPIRED',
  },
  {
    name: 'the earlier of the record and recent counts',
    record: { firstEntryAt: sh(3, 10) },
    now: sh(4, 5),
    recent: [entry(sh(3, 2, 10))],
    reason: 'EXPIRED',
  },
  {
    name: 'an exit does not activate',
    now: sh(3, 31, 12),
    recent: [{ at: sh(3, 2), direction: 'out', gateId: 'g1' }],
    reason: 'OK',
  },
  {
    name: 'a year card (12 months) activated 29 Feb… clamps (2028 is a leap year)',
    record: {
      validFrom: Date.UTC(2028, 1, 1) - 8 * HOUR,
      validTo: Date.UTC(2029, 5, 1) - 8 * HOUR,
      activation: { by: Date.UTC(2028, 5, 1) - 8 * HOUR, unit: 'month', count: 12 },
      firstEntryAt: Date.UTC(2028, 1, 29, 10) - 8 * HOUR,
    },
    now: Date.UTC(2029, 1, 28, 23, 59) - 8 * HOUR,
    reason: 'EXPIRED',
  },
  {
    name: 'a year card activated 28 Feb is valid on 27 Feb a year later',
    record: {
      validFrom: Date.UTC(2027, 1, 1) - 8 * HOUR,
      validTo: Date.UTC(2028, 5, 1) - 8 * HOUR,
      activation: { by: Date.UTC(2027, 5, 1) - 8 * HOUR, unit: 'month', count: 12 },
      firstEntryAt: Date.UTC(2027, 1, 28, 10) - 8 * HOUR,
    },
    now: Date.UTC(2028, 1, 27, 23, 59) - 8 * HOUR,
    reason: 'OK',
  },
];

describe('validity from the first entry', () => {
  it.each(cases)('$name → $reason', (c) => {
    expect(reasonAt(pass(c.record), c.now, c.recent)).toBe(c.reason);
  });

  it('an exit of an expired first-use pass is still free', () => {
    const decision = decide({
      record: pass({ firstEntryAt: sh(3, 5, 9) }),
      rules: RULES,
      gate: { siteId: 'park', gateId: 'g1', zoneId: 'main', direction: 'both' },
      direction: 'out',
      now: sh(4, 10),
      clock: SHANGHAI,
      recent: [],
    });
    expect(decision.reason).toBe('OK');
  });

  it('local midnight is the first instant of the day, also where summer time starts or ends', () => {
    for (const [clock, day] of [
      [SHANGHAI, Math.floor(sh(3, 1) / DAY) + 1],
      [BERLIN, Math.floor(Date.UTC(2027, 2, 28) / DAY)],
      [BERLIN, Math.floor(Date.UTC(2027, 9, 31) / DAY)],
    ] as const) {
      const midnight = localMidnight(clock, day);
      expect(clock.dayNumber(midnight)).toBe(day);
      expect(clock.dayNumber(midnight - 1)).toBe(day - 1);
    }
  });

  // The instant the validity ends: for any first entry and period, in a zone with and without summer time, the
  // millisecond before the end admits and the end refuses; the end is the local midnight `count` days (months) after
  // the local day of the first entry.
  for (const clock of [SHANGHAI, BERLIN]) {
    it(`ends at the local midnight after the period, never a millisecond off (${clock.timeZone})`, () => {
      fc.assert(
        fc.property(
          fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2030, 0, 1) }),
          fc.constantFrom<'day' | 'month'>('day', 'month'),
          fc.integer({ min: 1, max: 400 }),
          (first, unit, count) => {
            const activation = { by: first + 1, unit, count };
            const end = activationEnd(first, activation, clock);
            const record = credentialRecordSchema.parse({
              ticketId: 5002,
              typeId: 9,
              status: 'active',
              validFrom: first - DAY,
              validTo: end + DAY,
              entriesTotal: null,
              entriesUsed: 0,
              activation,
              firstEntryAt: first,
            });
            expect(clock.dayNumber(end)).toBe(addPeriod(clock.dayNumber(first), unit, count));
            expect(clock.dayNumber(end - 1)).toBe(clock.dayNumber(end) - 1);
            expect(reasonAt(record, end - 1, [], clock)).toBe('OK');
            expect(reasonAt(record, end, [], clock)).toBe('EXPIRED');
            expect(reasonAt(record, first, [], clock)).toBe('OK');
          },
        ),
        { numRuns: 500 },
      );
    });
  }

  it('refuses activation from the latest activation instant on, and admits the millisecond before', () => {
    fc.assert(
      fc.property(fc.integer({ min: sh(3, 1) + 1, max: sh(4, 30) - 1 }), (by) => {
        const record = pass({ activation: { by, unit: 'day', count: 30 } });
        expect(reasonAt(record, by - 1)).toBe('OK');
        expect(reasonAt(record, by)).toBe('EXPIRED');
      }),
      { numRuns: 300 },
    );
  });
});
