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
import { localMidnight } from './first-use.js';
import { entryReason } from './testing.js';
import { createVenueClock, type VenueClock } from './venue-clock.js';

const SHANGHAI = createVenueClock('Asia/Shanghai');
const BERLIN = createVenueClock('Europe/Berlin');
const HOUR = 3_600_000;
const MIN = 60_000;

/** Asia/Shanghai wall time on 12 May 2026 (or another May day). */
const sh = (hour: number, minute = 0, day = 12) => Date.UTC(2026, 4, day, hour, minute) - 8 * HOUR;

function rules(until: number | null = null, overrides: Partial<TicketTypeRules> = {}): TicketTypeRules {
  return ticketTypeRulesSchema.parse({
    typeId: 21,
    name: { zh: '日票', en: 'Day ticket' },
    reentry: { until },
    ...overrides,
  });
}

/** A single day ticket for 12 May, used at 09:00. */
function ticket(overrides: Partial<CredentialRecord> = {}): CredentialRecord {
  return credentialRecordSchema.parse({
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
}

const entry = (at: number): PassageRecord => ({ at, direction: 'in', gateId: 'g1' });
const exit = (at: number): PassageRecord => ({ at, direction: 'out', gateId: 'x1' });

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
  until?: number | null;
  rules?: Partial<TicketTypeRules>;
  now: number;
  recent?: PassageRecord[];
  reason: DecisionReason;
}

const cases: Case[] = [
  {
    name: 'unused: the first entry as usual',
    record: { status: 'active', entriesUsed: 0, lastEntryAt: undefined },
    now: sh(9),
    reason: 'OK',
  },
  { name: 'in, out, in again the same day', record: { lastExitAt: sh(12) }, now: sh(14), reason: 'OK' },
  { name: 'in, in (never left)', now: sh(14), reason: 'ANTI_PASSBACK' },
  {
    name: 'in, out, in, in',
    record: { lastExitAt: sh(12) },
    now: sh(15),
    recent: [entry(sh(14))],
    reason: 'ANTI_PASSBACK',
  },
  {
    name: "the gate's own exit, not synced yet",
    now: sh(14),
    recent: [entry(sh(9)), exit(sh(12))],
    reason: 'OK',
  },
  {
    name: 'the last millisecond of the day',
    record: { lastExitAt: sh(12) },
    now: sh(0, 0, 13) - 1,
    reason: 'OK',
  },
  {
    name: 'at the next midnight: another day',
    record: { lastExitAt: sh(12), validTo: sh(0, 0, 14) },
    now: sh(0, 0, 13),
    reason: 'USED',
  },
  {
    name: 'cut-off 17:00, at 16:59',
    until: 17 * 60,
    record: { lastExitAt: sh(12) },
    now: sh(16, 59),
    reason: 'OK',
  },
  {
    name: 'cut-off 17:00, at 17:00',
    until: 17 * 60,
    record: { lastExitAt: sh(12) },
    now: sh(17),
    reason: 'USED',
  },
  {
    name: 'without re-entry a used ticket is used',
    rules: { reentry: undefined },
    record: { lastExitAt: sh(12) },
    now: sh(14),
    reason: 'USED',
  },
  {
    name: 'a refunded ticket never comes back',
    record: { status: 'refunded', lastExitAt: sh(12) },
    now: sh(14),
    reason: 'REFUNDED',
  },
  {
    name: 'outside the opening hours',
    rules: { hours: [{ from: 8 * 60, to: 18 * 60 }] },
    record: { lastExitAt: sh(12) },
    now: sh(19),
    reason: 'OUTSIDE_HOURS',
  },
  // Re-entry is not anti-passback: the holder may come back a minute after leaving.
  {
    name: 'a minute after leaving, with a 10-minute anti-passback',
    rules: { antiPassbackSec: 600 },
    record: { lastExitAt: sh(12) },
    now: sh(12, 1),
    reason: 'OK',
  },
];

describe('same-day re-entry', () => {
  it.each(cases)('$name → $reason', (c) => {
    expect(reasonAt(ticket(c.record), c.now, c.recent, rules(c.until ?? null, c.rules))).toBe(c.reason);
  });

  it('uses no entry: the admit leaves 0 entries, as before', () => {
    const decision = decide({
      record: ticket({ lastExitAt: sh(12) }),
      rules: rules(),
      gate: { siteId: 'park', gateId: 'g1', zoneId: 'main', direction: 'both' },
      direction: 'in',
      now: sh(14),
      clock: SHANGHAI,
      recent: [],
    });
    expect(decision).toMatchObject({ admit: true, entriesLeft: 0 });
  });

  // The cut-off and the day both change on the venue's wall clock: the millisecond before admits, the instant refuses.
  for (const clock of [SHANGHAI, BERLIN]) {
    it(`refuses from the cut-off and from the next local midnight on (${clock.timeZone})`, () => {
      fc.assert(
        fc.property(
          fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2029, 0, 1) }),
          fc.integer({ min: 1, max: 1439 }),
          (entered, until) => {
            const day = clock.dayNumber(entered);
            const midnight = localMidnight(clock, day);
            const nextMidnight = localMidnight(clock, day + 1);
            const record = ticket({
              validFrom: midnight,
              validTo: nextMidnight + HOUR,
              lastEntryAt: entered,
              lastExitAt: entered + 1,
            });
            expect(reasonAt(record, nextMidnight - 1, [], rules(null), clock)).toBe('OK');
            expect(reasonAt(record, nextMidnight, [], rules(null), clock)).toBe('USED');
            // The cut-off as wall-clock minutes of the day (summer-time days are 23 or 25 hours long).
            const cutoff = midnight + until * MIN;
            const wallMinute = clock.localParts(cutoff).minuteOfDay;
            if (cutoff > entered + 1 && clock.dayNumber(cutoff) === day && wallMinute === until) {
              expect(reasonAt(record, cutoff - 1, [], rules(until), clock)).toBe('OK');
              expect(reasonAt(record, cutoff, [], rules(until), clock)).toBe('USED');
            }
          },
        ),
        { numRuns: 400 },
      );
    });
  }
});
