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
import { localMidnight } from './first-use.js';
import { entryReason } from './testing.js';
import { createVenueClock, type VenueClock } from './venue-clock.js';

const SHANGHAI = createVenueClock('Asia/Shanghai');
const BERLIN = createVenueClock('Europe/Berlin');
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Asia/Shanghai wall time in May 2026. */
const sh = (day: number, hour = 0, minute = 0, ms = 0) =>
  Date.UTC(2026, 4, day, hour, minute, 0, ms) - 8 * HOUR;

/** Any 3 days within 7 (1–7 May), unlimited entries inside a visit day unless `entriesPerDay`. */
function rules(overrides: Partial<TicketTypeRules> = {}): TicketTypeRules {
  return ticketTypeRulesSchema.parse({
    typeId: 11,
    name: { zh: '七日任选三天', en: '3 days in 7' },
    visitDays: 3,
    ...overrides,
  });
}

function card(overrides: Partial<CredentialRecord> = {}): CredentialRecord {
  return credentialRecordSchema.parse({
    ticketId: 7001,
    typeId: 11,
    status: 'active',
    validFrom: sh(1),
    validTo: sh(8),
    entriesTotal: null,
    entriesUsed: 0,
    ...overrides,
  });
}

const entry = (at: number): PassageRecord => ({ at, direction: 'in', gateId: 'g1' });
const exit = (at: number): PassageRecord => ({ at, direction: 'out', gateId: 'g1' });

function reasonAt(
  record: CredentialRecord,
  now: number,
  recent: PassageRecord[] = [],
  typeRules: TicketTypeRules = rules(),
  clock: VenueClock = SHANGHAI,
): DecisionReason {
  return entryReason(record, typeRules, now, recent, clock);
}

interface Case {
  name: string;
  record?: Partial<CredentialRecord>;
  rules?: Partial<TicketTypeRules>;
  now: number;
  recent?: PassageRecord[];
  reason: DecisionReason;
}

const cases: Case[] = [
  { name: 'unused: the first day', now: sh(1, 10), reason: 'OK' },
  {
    name: 'two days used, a third day',
    record: { visitDaysUsed: 2, lastVisitAt: sh(3, 9) },
    now: sh(5, 10),
    reason: 'OK',
  },
  {
    name: 'three days used, a fourth day',
    record: { visitDaysUsed: 3, lastVisitAt: sh(5, 9) },
    now: sh(6, 10),
    reason: 'VISIT_DAYS_USED',
  },
  {
    name: 'three days used, again on the third (unlimited inside a day)',
    record: { visitDaysUsed: 3, lastVisitAt: sh(5, 9) },
    now: sh(5, 23, 59),
    recent: [entry(sh(5, 9)), entry(sh(5, 12)), entry(sh(5, 15))],
    reason: 'OK',
  },
  {
    name: 'three days used, the third ended at midnight',
    record: { visitDaysUsed: 3, lastVisitAt: sh(5, 9) },
    now: sh(6),
    reason: 'VISIT_DAYS_USED',
  },
  {
    name: 'a per-day limit inside a visit day',
    rules: { entriesPerDay: 2 },
    record: { visitDaysUsed: 1, lastVisitAt: sh(2, 9) },
    now: sh(2, 15),
    recent: [entry(sh(2, 9)), entry(sh(2, 12))],
    reason: 'DAILY_LIMIT',
  },
  // The gate's own entries on days after the record's latest (not synced yet) count as days used.
  {
    name: 'two synced days, a third only in recent, a fourth day',
    record: { visitDaysUsed: 2, lastVisitAt: sh(2, 9) },
    now: sh(4, 10),
    recent: [entry(sh(1, 9)), entry(sh(2, 9)), entry(sh(3, 9))],
    reason: 'VISIT_DAYS_USED',
  },
  {
    name: 'days only in recent (nothing synced), today one of them',
    now: sh(4, 10),
    recent: [entry(sh(1, 9)), entry(sh(2, 9)), entry(sh(4, 9))],
    reason: 'OK',
  },
  {
    name: 'exits do not make a visit day',
    record: { visitDaysUsed: 2, lastVisitAt: sh(2, 9) },
    now: sh(4, 10),
    recent: [exit(sh(3, 1))],
    reason: 'OK',
  },
  {
    name: 'without visitDays the rule is off',
    rules: { visitDays: undefined },
    record: { visitDaysUsed: 9, lastVisitAt: sh(2, 9) },
    now: sh(6, 10),
    reason: 'OK',
  },
];

describe('visit days (any N days within the validity)', () => {
  it.each(cases)('$name → $reason', (c) => {
    expect(reasonAt(card(c.record), c.now, c.recent, rules(c.rules))).toBe(c.reason);
  });

  // The day changes at the venue's midnight: the last visit day admits until its last millisecond, the next day is a
  // new visit day; in a zone with summer time too.
  for (const clock of [SHANGHAI, BERLIN]) {
    it(`a new visit day begins exactly at the venue's midnight (${clock.timeZone})`, () => {
      fc.assert(
        fc.property(
          fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2029, 0, 1) }),
          fc.integer({ min: 1, max: 5 }),
          (lastVisit, n) => {
            const day = clock.dayNumber(lastVisit);
            const nextMidnight = localMidnight(clock, day + 1);
            const record = card({
              validFrom: lastVisit - 10 * DAY,
              validTo: lastVisit + 10 * DAY,
              visitDaysUsed: n,
              lastVisitAt: lastVisit,
            });
            const r = rules({ visitDays: n });
            expect(reasonAt(record, nextMidnight - 1, [], r, clock)).toBe('OK');
            expect(reasonAt(record, nextMidnight, [], r, clock)).toBe('VISIT_DAYS_USED');
            // One day more allowed: the next day is a new one and admitted.
            expect(reasonAt(record, nextMidnight, [], rules({ visitDays: n + 1 }), clock)).toBe('OK');
          },
        ),
        { numRuns: 400 },
      );
    });
  }

  it('never admits on more distinct days than allowed, however the entries fall', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: sh(1), max: sh(8) - 1 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 4 }),
        (scans, n) => {
          const admitted: PassageRecord[] = [];
          for (const at of [...scans].sort((a, b) => a - b))
            if (reasonAt(card(), at, admitted, rules({ visitDays: n })) === 'OK') admitted.push(entry(at));
          const days = new Set(admitted.map((p) => SHANGHAI.dayNumber(p.at)));
          expect(days.size).toBeLessThanOrEqual(n);
          // And every scan on an admitted day was admitted (unlimited inside a visit day).
          for (const at of scans)
            if (days.has(SHANGHAI.dayNumber(at))) expect(admitted.some((p) => p.at === at)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
