import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CREDENTIAL_STATUSES,
  type CredentialRecord,
  credentialRecordSchema,
  type Direction,
  type GateInfo,
  type PassageRecord,
  type TicketTypeRules,
  ticketTypeRulesSchema,
} from '../model.js';
import { type DecisionReason, isDecisionReason } from '../reasons.js';
import { decide } from './engine.js';
import { LED_COLUMNS, ledWidth, reasonTexts } from './texts.js';
import { createVenueClock } from './venue-clock.js';

const clock = createVenueClock('Asia/Shanghai');
const MIN = 60_000;
const HOUR = 3_600_000;

/** An instant given as Asia/Shanghai wall time in May 2025 (11th = Sunday, 12th = Monday … 17th = Saturday). */
function local(day: number, hour: number, minute = 0, second = 0, ms = 0): number {
  return Date.UTC(2025, 4, day, hour, minute, second, ms) - 8 * HOUR;
}

const MONDAY_10 = local(12, 10);

function record(overrides: Partial<CredentialRecord> = {}): CredentialRecord {
  return credentialRecordSchema.parse({
    ticketId: 1001,
    typeId: 7,
    status: 'active',
    validFrom: local(1, 0),
    validTo: local(31, 0),
    entriesTotal: null,
    entriesUsed: 0,
    ...overrides,
  });
}

function rules(overrides: Partial<TicketTypeRules> = {}): TicketTypeRules {
  return ticketTypeRulesSchema.parse({ typeId: 7, name: { zh: '次卡', en: 'Count card' }, ...overrides });
}

const GATE: GateInfo = { siteId: 'park', gateId: 'g1', zoneId: 'main', direction: 'both' };

const passIn = (at: number): PassageRecord => ({ at, direction: 'in', gateId: 'g1' });
const passOut = (at: number): PassageRecord => ({ at, direction: 'out', gateId: 'g1' });

interface Case {
  name: string;
  record?: Partial<CredentialRecord> | null;
  rules?: Partial<TicketTypeRules> | null;
  gate?: Partial<GateInfo>;
  direction?: Direction;
  now?: number;
  recent?: PassageRecord[];
  reason: DecisionReason;
  entriesLeft?: number | null;
}

const NIGHT_TOUR = { weekdays: 0b0010000, hours: [{ from: 20 * 60, to: 2 * 60 }] }; // Fridays 20:00–02:00
const OFFICE_HOURS = { hours: [{ from: 9 * 60, to: 17 * 60 }] };
const SLOT = { slot: { start: local(12, 10), end: local(12, 11) } };
const COUNT_CARD = { entriesTotal: 10, entriesUsed: 4 };

const cases: Case[] = [
  // known credential and type
  { name: 'an active pass is admitted', reason: 'OK', entriesLeft: null },
  { name: 'an unknown credential', record: null, reason: 'UNKNOWN_CREDENTIAL', entriesLeft: null },
  { name: 'an unknown ticket type', rules: null, reason: 'UNKNOWN_CREDENTIAL' },
  { name: 'rules of another type', rules: { typeId: 8 }, reason: 'UNKNOWN_CREDENTIAL' },

  // status
  { name: 'not activated', record: { status: 'not_activated' }, reason: 'NOT_ACTIVATED' },
  { name: 'used', record: { status: 'used' }, reason: 'USED' },
  { name: 'refunded', record: { status: 'refunded' }, reason: 'REFUNDED' },
  { name: 'revoked', record: { status: 'revoked' }, reason: 'REVOKED' },
  { name: 'blacklisted', record: { status: 'blacklisted' }, reason: 'BLACKLISTED' },
  // Nothing is left on a finished credential, whatever its count said; a deny for another reason shows what is left.
  {
    name: 'a refunded single ticket has no entry left',
    record: { status: 'refunded', entriesTotal: 1, entriesUsed: 0 },
    reason: 'REFUNDED',
    entriesLeft: 0,
  },
  {
    name: 'a revoked count card has none left',
    record: { status: 'revoked', ...COUNT_CARD },
    reason: 'REVOKED',
    entriesLeft: 0,
  },
  {
    name: 'a count card denied for its hours keeps its entries',
    record: COUNT_CARD,
    rules: OFFICE_HOURS,
    now: local(12, 20),
    reason: 'OUTSIDE_HOURS',
    entriesLeft: 6,
  },

  // validity window [validFrom, validTo)
  { name: '1 ms before validFrom', record: { validFrom: MONDAY_10 + 1 }, reason: 'NOT_YET_VALID' },
  { name: 'exactly at validFrom', record: { validFrom: MONDAY_10 }, reason: 'OK' },
  { name: '1 ms before validTo', record: { validTo: MONDAY_10 + 1 }, reason: 'OK' },
  { name: 'exactly at validTo', record: { validTo: MONDAY_10 }, reason: 'EXPIRED' },

  // gate direction, zones, gates
  { name: 'entry at an exit-only gate', gate: { direction: 'out' }, reason: 'WRONG_DIRECTION' },
  { name: 'entry at an entry-only gate', gate: { direction: 'in' }, reason: 'OK' },
  {
    name: 'exit at an entry-only gate',
    gate: { direction: 'in' },
    direction: 'out',
    reason: 'WRONG_DIRECTION',
  },
  { name: 'zone listed', rules: { zones: ['north', 'main'] }, reason: 'OK' },
  { name: 'zone not listed', rules: { zones: ['north'] }, reason: 'WRONG_ZONE' },
  { name: 'gate listed', rules: { gates: ['g1'] }, reason: 'OK' },
  { name: 'gate not listed', rules: { gates: ['g2'] }, reason: 'WRONG_GATE' },
  { name: 'zone not listed but gate listed', rules: { zones: ['north'], gates: ['g1'] }, reason: 'OK' },
  { name: 'neither zone nor gate listed', rules: { zones: ['north'], gates: ['g2'] }, reason: 'WRONG_ZONE' },

  // weekday (venue-local)
  { name: 'Monday-only on Monday', rules: { weekdays: 0b0000001 }, reason: 'OK' },
  {
    name: 'Monday-only on Tuesday',
    rules: { weekdays: 0b0000001 },
    now: local(13, 10),
    reason: 'WRONG_WEEKDAY',
  },
  { name: 'Sunday-only on Sunday', rules: { weekdays: 0b1000000 }, now: local(11, 10), reason: 'OK' },
  {
    name: 'Monday 00:30 local is Monday although it is Sunday in UTC',
    rules: { weekdays: 0b0000001 },
    now: local(12, 0, 30),
    reason: 'OK',
  },
  {
    name: 'Sunday 23:59:59.999 local is not Monday',
    rules: { weekdays: 0b0000001 },
    now: local(11, 23, 59, 59, 999),
    reason: 'WRONG_WEEKDAY',
  },

  // time-of-day windows [from, to)
  {
    name: '1 ms before opening',
    rules: OFFICE_HOURS,
    now: local(12, 8, 59, 59, 999),
    reason: 'OUTSIDE_HOURS',
  },
  { name: 'at opening', rules: OFFICE_HOURS, now: local(12, 9), reason: 'OK' },
  { name: '1 ms before closing', rules: OFFICE_HOURS, now: local(12, 16, 59, 59, 999), reason: 'OK' },
  { name: 'at closing', rules: OFFICE_HOURS, now: local(12, 17), reason: 'OUTSIDE_HOURS' },
  {
    name: 'in the second of two windows',
    rules: { hours: [OFFICE_HOURS.hours[0]!, { from: 18 * 60, to: 21 * 60 }] },
    now: local(12, 19),
    reason: 'OK',
  },
  { name: 'an empty window', rules: { hours: [{ from: 600, to: 600 }] }, reason: 'OUTSIDE_HOURS' },
  {
    name: 'in hours on a closed day',
    rules: { ...OFFICE_HOURS, weekdays: 0b1111110 },
    reason: 'WRONG_WEEKDAY',
  },
  {
    name: 'out of hours on a closed day',
    rules: { ...OFFICE_HOURS, weekdays: 0b1111110 },
    now: local(12, 20),
    reason: 'WRONG_WEEKDAY',
  },

  // a window wrapping midnight belongs to the day it starts on
  {
    name: 'night tour: Friday 19:59:59.999',
    rules: NIGHT_TOUR,
    now: local(16, 19, 59, 59, 999),
    reason: 'OUTSIDE_HOURS',
  },
  { name: 'night tour: Friday 20:00', rules: NIGHT_TOUR, now: local(16, 20), reason: 'OK' },
  {
    name: 'night tour: Friday 23:59:59.999',
    rules: NIGHT_TOUR,
    now: local(16, 23, 59, 59, 999),
    reason: 'OK',
  },
  { name: 'night tour: Saturday 00:00', rules: NIGHT_TOUR, now: local(17, 0), reason: 'OK' },
  {
    name: 'night tour: Saturday 01:59:59.999',
    rules: NIGHT_TOUR,
    now: local(17, 1, 59, 59, 999),
    reason: 'OK',
  },
  { name: 'night tour: Saturday 02:00', rules: NIGHT_TOUR, now: local(17, 2), reason: 'WRONG_WEEKDAY' },
  {
    name: 'night tour: Friday 01:00 is Thursday’s night',
    rules: NIGHT_TOUR,
    now: local(16, 1),
    reason: 'WRONG_WEEKDAY',
  },
  { name: 'night tour: Thursday 20:00', rules: NIGHT_TOUR, now: local(15, 20), reason: 'WRONG_WEEKDAY' },
  {
    name: 'nightly tour: 02:00 on an open day',
    rules: { hours: NIGHT_TOUR.hours },
    now: local(17, 2),
    reason: 'OUTSIDE_HOURS',
  },

  // timed-entry slot 10:00–11:00
  { name: 'slot: 1 ms early', record: SLOT, now: local(12, 9, 59, 59, 999), reason: 'SLOT_TOO_EARLY' },
  { name: 'slot: at start', record: SLOT, now: local(12, 10), reason: 'OK' },
  { name: 'slot: 1 ms before end', record: SLOT, now: local(12, 10, 59, 59, 999), reason: 'OK' },
  { name: 'slot: at end', record: SLOT, now: local(12, 11), reason: 'SLOT_TOO_LATE' },
  ...(
    [
      ['at start − 15 min', local(12, 9, 45), 'OK'],
      ['1 ms before start − 15 min', local(12, 9, 44, 59, 999), 'SLOT_TOO_EARLY'],
      ['1 ms before end + 30 min', local(12, 11, 29, 59, 999), 'OK'],
      ['at end + 30 min', local(12, 11, 30), 'SLOT_TOO_LATE'],
    ] as const
  ).map(([name, now, reason]) => ({
    name: `slot with tolerance: ${name}`,
    record: SLOT,
    rules: { slotEarlyMin: 15, slotLateMin: 30 },
    now,
    reason,
  })),

  // total entries
  { name: 'count card with entries left', record: COUNT_CARD, reason: 'OK', entriesLeft: 5 },
  {
    name: 'count card, last entry',
    record: { entriesTotal: 10, entriesUsed: 9 },
    reason: 'OK',
    entriesLeft: 0,
  },
  {
    name: 'count card used up',
    record: { entriesTotal: 10, entriesUsed: 10 },
    reason: 'ENTRIES_EXHAUSTED',
    entriesLeft: 0,
  },
  { name: 'single ticket', record: { entriesTotal: 1, entriesUsed: 0 }, reason: 'OK', entriesLeft: 0 },

  // entries per venue-local day
  ...(
    [
      ['Monday 23:59:59.999, two entries today', local(12, 23, 59, 59, 999), 'DAILY_LIMIT'],
      ['Tuesday 00:00, a new day', local(13, 0), 'OK'],
    ] as const
  ).map(([name, now, reason]) => ({
    name: `daily limit 2: ${name}`,
    rules: { entriesPerDay: 2 },
    now,
    // Monday 00:00:00.000 local counts for Monday; Sunday 23:59:59.999 local does not; exits never count.
    recent: [
      passIn(local(12, 0)),
      passOut(local(12, 1)),
      passIn(local(12, 12)),
      passIn(local(11, 23, 59, 59, 999)),
    ],
    reason,
  })),
  {
    name: 'daily limit 2: one entry today, one yesterday evening',
    rules: { entriesPerDay: 2 },
    recent: [passIn(local(11, 23, 59, 59, 999)), passIn(local(12, 8))],
    reason: 'OK',
  },

  // anti-passback, 60 s
  {
    name: 'anti-passback: entry 60 s − 1 ms ago',
    rules: { antiPassbackSec: 60 },
    recent: [passIn(MONDAY_10 - 60_000 + 1)],
    reason: 'ANTI_PASSBACK',
  },
  {
    name: 'anti-passback: entry 60 s ago',
    rules: { antiPassbackSec: 60 },
    recent: [passIn(MONDAY_10 - 60_000)],
    reason: 'OK',
  },
  {
    name: 'anti-passback: exit 1 s ago',
    rules: { antiPassbackSec: 60 },
    recent: [passOut(MONDAY_10 - 1000)],
    reason: 'OK',
  },
  {
    name: 'anti-passback: entry 1 s in the future (clock skew)',
    rules: { antiPassbackSec: 60 },
    recent: [passIn(MONDAY_10 + 1000)],
    reason: 'ANTI_PASSBACK',
  },
  {
    name: 'strict alternation: last passage an entry, unsorted',
    rules: { strictAlternation: true },
    recent: [passIn(local(12, 9)), passOut(local(12, 8)), passIn(local(12, 7))],
    reason: 'ANTI_PASSBACK',
  },
  {
    name: 'strict alternation: last passage an exit, unsorted',
    rules: { strictAlternation: true },
    recent: [passOut(local(12, 9)), passIn(local(12, 7)), passIn(local(12, 8))],
    reason: 'OK',
  },
  {
    name: 'strict alternation: no passage yet',
    rules: { strictAlternation: true },
    recent: [],
    reason: 'OK',
  },

  // exits with exitFree (the default): people must be able to leave
  { name: 'exit: pass', direction: 'out', reason: 'OK', entriesLeft: null },
  {
    name: 'exit: count card keeps its entries',
    direction: 'out',
    record: COUNT_CARD,
    reason: 'OK',
    entriesLeft: 6,
  },
  {
    name: 'exit: used single ticket',
    direction: 'out',
    record: { status: 'used', entriesTotal: 1, entriesUsed: 1 },
    reason: 'OK',
    entriesLeft: 0,
  },
  {
    name: 'exit: expired while inside',
    direction: 'out',
    record: { validTo: MONDAY_10 - HOUR },
    reason: 'OK',
  },
  { name: 'exit: after hours', direction: 'out', rules: OFFICE_HOURS, now: local(12, 22), reason: 'OK' },
  {
    name: 'exit: night tour small hours',
    direction: 'out',
    rules: NIGHT_TOUR,
    now: local(17, 3),
    reason: 'OK',
  },
  { name: 'exit: after the slot', direction: 'out', record: SLOT, now: local(12, 18), reason: 'OK' },
  {
    name: 'exit: count card at zero',
    direction: 'out',
    record: { entriesTotal: 5, entriesUsed: 5 },
    reason: 'OK',
    entriesLeft: 0,
  },
  { name: 'exit: other zone', direction: 'out', rules: { zones: ['north'] }, reason: 'OK' },
  {
    name: 'exit: twice in a row',
    direction: 'out',
    rules: { antiPassbackSec: 60, strictAlternation: true },
    recent: [passOut(MONDAY_10 - 1000)],
    reason: 'OK',
  },
  { name: 'exit: blacklisted', direction: 'out', record: { status: 'blacklisted' }, reason: 'BLACKLISTED' },
  {
    name: 'exit: not activated',
    direction: 'out',
    record: { status: 'not_activated' },
    reason: 'NOT_ACTIVATED',
  },
  { name: 'exit: refunded', direction: 'out', record: { status: 'refunded' }, reason: 'REFUNDED' },
  { name: 'exit: revoked', direction: 'out', record: { status: 'revoked' }, reason: 'REVOKED' },
  { name: 'exit: unknown credential', direction: 'out', record: null, reason: 'UNKNOWN_CREDENTIAL' },
  { name: 'exit: at an exit-only gate', direction: 'out', gate: { direction: 'out' }, reason: 'OK' },

  // exits without exitFree: place and passback apply, time rules still do not
  {
    name: 'checked exit: after an entry',
    direction: 'out',
    rules: { exitFree: false, strictAlternation: true },
    recent: [passIn(local(12, 9))],
    reason: 'OK',
  },
  {
    name: 'checked exit: after an exit',
    direction: 'out',
    rules: { exitFree: false, strictAlternation: true },
    recent: [passIn(local(12, 8)), passOut(local(12, 9))],
    reason: 'ANTI_PASSBACK',
  },
  {
    name: 'checked exit: same direction within the interval',
    direction: 'out',
    rules: { exitFree: false, antiPassbackSec: 60 },
    recent: [passOut(MONDAY_10 - 59_999)],
    reason: 'ANTI_PASSBACK',
  },
  {
    name: 'checked exit: other zone',
    direction: 'out',
    rules: { exitFree: false, zones: ['north'] },
    reason: 'WRONG_ZONE',
  },
  {
    name: 'checked exit: expired, after hours, used up',
    direction: 'out',
    rules: { exitFree: false, ...OFFICE_HOURS },
    record: { validTo: MONDAY_10 - HOUR, entriesTotal: 3, entriesUsed: 3, status: 'used' },
    now: MONDAY_10,
    reason: 'OK',
    entriesLeft: 0,
  },

  // the order of checks when several fail
  {
    name: 'order: status before validity',
    record: { status: 'blacklisted', validTo: MONDAY_10 },
    reason: 'BLACKLISTED',
  },
  {
    name: 'order: validity before zone',
    record: { validTo: MONDAY_10 },
    rules: { zones: ['north'] },
    reason: 'EXPIRED',
  },
  { name: 'order: zone before calendar', rules: { zones: ['north'], weekdays: 0 }, reason: 'WRONG_ZONE' },
  {
    name: 'order: calendar before slot',
    rules: { weekdays: 0 },
    record: SLOT,
    now: local(12, 18),
    reason: 'WRONG_WEEKDAY',
  },
  {
    name: 'order: slot before counts',
    record: { ...SLOT, entriesTotal: 2, entriesUsed: 2 },
    now: local(12, 18),
    reason: 'SLOT_TOO_LATE',
  },
  {
    name: 'order: total before daily',
    record: { entriesTotal: 2, entriesUsed: 2 },
    rules: { entriesPerDay: 1 },
    recent: [passIn(local(12, 9))],
    reason: 'ENTRIES_EXHAUSTED',
  },
  {
    name: 'order: daily before anti-passback',
    rules: { entriesPerDay: 1, antiPassbackSec: 3600 },
    recent: [passIn(local(12, 9, 30))],
    reason: 'DAILY_LIMIT',
  },
];

describe('decide', () => {
  it.each(cases)('$name → $reason', (c) => {
    const r = c.rules === null ? null : rules(c.rules);
    const decision = decide({
      record: c.record === null ? null : record(c.record),
      rules: r,
      gate: { ...GATE, ...c.gate },
      direction: c.direction ?? 'in',
      now: c.now ?? MONDAY_10,
      clock,
      recent: c.recent ?? [],
    });
    expect(decision.reason).toBe(c.reason);
    expect(decision.admit).toBe(c.reason === 'OK');
    if (c.entriesLeft !== undefined) expect(decision.entriesLeft).toBe(c.entriesLeft);
    if (decision.admit) {
      expect(decision.persons).toBe(1);
      expect(decision.voice.zh.startsWith('次卡，')).toBe(true);
    } else {
      expect(decision.persons).toBe(0);
      expect(decision.led).toBe(reasonTexts(c.reason).led);
      expect(decision.voice).toBe(reasonTexts(c.reason).voice);
    }
  });

  it('admits the last entry of a count card and denies the next', () => {
    const r = rules();
    let rec = record({ entriesTotal: 3, entriesUsed: 1 });
    const input = { rules: r, gate: GATE, direction: 'in' as const, clock, recent: [] };
    const second = decide({ ...input, record: rec, now: MONDAY_10 });
    expect(second).toMatchObject({ admit: true, entriesLeft: 1 });
    expect(second.led.zh).toEqual(['欢迎入园', '次卡 剩余1次']);
    rec = { ...rec, entriesUsed: 2 };
    const last = decide({ ...input, record: rec, now: MONDAY_10 + MIN });
    expect(last).toMatchObject({ admit: true, reason: 'OK', entriesLeft: 0 });
    expect(last.voice.zh).toBe('次卡，剩余零次，请通行');
    rec = { ...rec, entriesUsed: 3 };
    const next = decide({ ...input, record: rec, now: MONDAY_10 + 2 * MIN });
    expect(next).toMatchObject({ admit: false, reason: 'ENTRIES_EXHAUSTED', entriesLeft: 0 });
    expect(next.led.zh[0]).toBe('次数已用完');
  });

  it('lets a whole group through on one scan, its entries counted in persons', () => {
    const decision = decide({
      record: record({ persons: 30, entriesTotal: 30 }),
      rules: rules({ name: { zh: '团体票', en: 'Group ticket' } }),
      gate: GATE,
      direction: 'in',
      now: MONDAY_10,
      clock,
      recent: [],
    });
    expect(decision).toMatchObject({ admit: true, persons: 30, entriesLeft: 0 });
    expect(decision.voice.zh).toBe('团体票，三十人，请通行');
    expect(decision.led.zh).toEqual(['欢迎入园', '团体票 30人']);
  });

  describe('partial redemption of a group code', () => {
    const group = rules({
      name: { zh: '团体票', en: 'Group ticket' },
      antiPassbackSec: 600,
      entriesPerDay: 1,
    });
    const input = { rules: group, gate: GATE, direction: 'in' as const, clock };
    const firstPass: PassageRecord = { at: MONDAY_10, direction: 'in', gateId: 'g1' };

    it('admits only the persons left, with their number on the LED and in the voice', () => {
      const decision = decide({
        ...input,
        record: record({ persons: 30, entriesTotal: 30, entriesUsed: 25 }),
        now: MONDAY_10 + MIN,
        recent: [firstPass],
      });
      expect(decision).toMatchObject({ admit: true, reason: 'OK', persons: 5, entriesLeft: 0 });
      expect(decision.led.zh).toEqual(['欢迎入园', '团体票 5人']);
      expect(decision.voice.zh).toBe('团体票，五人，请通行');
      expect(decision.voice.en).toBe('Group ticket, 5 persons, please pass');
    });

    it('refuses the code once every person went in', () => {
      const decision = decide({
        ...input,
        record: record({ persons: 30, entriesTotal: 30, entriesUsed: 30 }),
        now: MONDAY_10 + 2 * MIN,
        recent: [firstPass],
      });
      expect(decision).toMatchObject({
        admit: false,
        reason: 'ENTRIES_EXHAUSTED',
        persons: 0,
        entriesLeft: 0,
      });
    });

    it('checks the per-day limit and anti-passback when a new round begins, not for the rest of a round', () => {
      // A group code of a type with 2 entries per person: 60 in persons, the first round complete.
      const newRound = decide({
        ...input,
        record: record({ persons: 30, entriesTotal: 60, entriesUsed: 30 }),
        now: MONDAY_10 + MIN,
        recent: [firstPass],
      });
      expect(newRound.reason).toBe('DAILY_LIMIT');
      const unlimitedPerDay = decide({
        ...input,
        rules: { ...group, entriesPerDay: null },
        record: record({ persons: 30, entriesTotal: 60, entriesUsed: 30 }),
        now: MONDAY_10 + MIN,
        recent: [firstPass],
      });
      expect(unlimitedPerDay.reason).toBe('ANTI_PASSBACK');
    });

    it('counts an ordinary count card one entry per scan, whatever it has left', () => {
      const decision = decide({
        ...input,
        rules: rules(),
        record: record({ persons: 1, entriesTotal: 10, entriesUsed: 3 }),
        now: MONDAY_10,
        recent: [],
      });
      expect(decision).toMatchObject({ admit: true, persons: 1, entriesLeft: 6 });
    });

    it('lets a group out without counting it, up to its size', () => {
      const decision = decide({
        ...input,
        gate: { ...GATE, direction: 'both' },
        direction: 'out',
        record: record({ persons: 30, entriesTotal: 30, entriesUsed: 30, status: 'used' }),
        now: MONDAY_10 + 3 * MIN,
        recent: [firstPass],
      });
      expect(decision).toMatchObject({ admit: true, persons: 30, entriesLeft: 0 });
    });
  });

  it('never throws and always answers consistently, whatever the facts', () => {
    const ids = fc.constantFrom('main', 'north', 'g1', 'g2');
    const instant = fc.oneof(
      fc.integer({ min: local(1, 0) - 40 * 86_400_000, max: local(31, 0) + 40 * 86_400_000 }),
      fc.constantFrom(0, -1, 8.64e15, Number.NaN, Number.POSITIVE_INFINITY),
    );
    const recordArb = fc.record({
      ticketId: fc.constant(1),
      typeId: fc.constantFrom(7, 8),
      barcode: fc.constant(null),
      cardUid: fc.constant(null),
      status: fc.constantFrom(...CREDENTIAL_STATUSES),
      validFrom: instant,
      validTo: instant,
      entriesTotal: fc.option(fc.integer({ min: -1, max: 100_000 })),
      entriesUsed: fc.integer({ min: 0, max: 100_001 }),
      slot: fc.option(fc.record({ start: instant, end: instant })),
      persons: fc.integer({ min: 1, max: 999 }),
    });
    const window = fc.record({
      from: fc.integer({ min: 0, max: 1440 }),
      to: fc.integer({ min: 0, max: 1440 }),
    });
    const rulesArb = fc.record({
      typeId: fc.constant(7),
      name: fc.record({
        zh: fc.string({ minLength: 1, maxLength: 32 }),
        en: fc.string({ minLength: 1, maxLength: 48 }),
      }),
      weekdays: fc.integer({ min: 0, max: 0x7f }),
      hours: fc.array(window, { maxLength: 8 }),
      entriesPerDay: fc.option(fc.integer({ min: 1, max: 5 })),
      antiPassbackSec: fc.integer({ min: 0, max: 7 * 86_400 }),
      strictAlternation: fc.boolean(),
      zones: fc.array(ids, { maxLength: 3 }),
      gates: fc.array(ids, { maxLength: 3 }),
      slotEarlyMin: fc.integer({ min: 0, max: 1440 }),
      slotLateMin: fc.integer({ min: 0, max: 1440 }),
      exitFree: fc.boolean(),
    });
    const direction = fc.constantFrom<Direction>('in', 'out');
    const passage = fc.record({ at: instant, direction, gateId: ids });
    fc.assert(
      fc.property(
        fc.option(recordArb, { freq: 10 }),
        fc.option(rulesArb, { freq: 10 }),
        fc.record({
          siteId: fc.constant('park'),
          gateId: ids,
          zoneId: ids,
          direction: fc.constantFrom('in', 'out', 'both'),
        }),
        direction,
        instant,
        fc.array(passage, { maxLength: 6 }),
        (rec, r, gate, dir, now, recent) => {
          const decision = decide({ record: rec, rules: r, gate, direction: dir, now, clock, recent });
          expect(isDecisionReason(decision.reason)).toBe(true);
          expect(decision.admit).toBe(decision.reason === 'OK');
          if (decision.entriesLeft !== null) expect(decision.entriesLeft).toBeGreaterThanOrEqual(0);
          const counted = dir === 'in' && rec?.entriesTotal != null;
          const group = (rec?.persons ?? 1) > 1;
          const admitted =
            group && counted ? Math.min(rec!.persons, rec!.entriesTotal! - rec!.entriesUsed) : rec?.persons;
          expect(decision.persons).toBe(decision.admit ? admitted : 0);
          for (const line of [...decision.led.zh, ...decision.led.en]) {
            expect(ledWidth(line)).toBeLessThanOrEqual(LED_COLUMNS);
          }
          if (decision.admit && dir === 'in' && rec!.entriesTotal !== null) {
            expect(decision.entriesLeft).toBe(rec!.entriesTotal - rec!.entriesUsed - (group ? admitted! : 1));
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});
