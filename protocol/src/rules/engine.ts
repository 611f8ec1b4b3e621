/**
 * The validation rules engine: one pure function that decides whether a credential may pass a gate now. The gate
 * runs it offline against its whitelist cache and the cloud runs it for online validation, so both give the same
 * answer for the same facts. No I/O, no clock reads, no exceptions, no allocation beyond the returned Decision.
 *
 * Order of checks for an entry — the first failing check gives the reason, most definitive first:
 *   1. credential and ticket type known          UNKNOWN_CREDENTIAL (also when rules.typeId ≠ record.typeId)
 *   2. status                                    NOT_ACTIVATED, USED, REFUNDED, REVOKED, BLACKLISTED
 *   3. validity window [validFrom, validTo)      NOT_YET_VALID, EXPIRED
 *      and, from first use, the activation      EXPIRED (first-use.ts)
 *   4. gate: direction, then zones / gates       WRONG_DIRECTION, WRONG_ZONE, WRONG_GATE
 *   5. calendar: weekday and time-of-day          WRONG_WEEKDAY, OUTSIDE_HOURS
 *   6. timed-entry slot with tolerance           SLOT_TOO_EARLY, SLOT_TOO_LATE
 *   7. counts: total, visit days, per local day  ENTRIES_EXHAUSTED, VISIT_DAYS_USED, DAILY_LIMIT
 *   8. anti-passback                             ANTI_PASSBACK
 * A used day ticket with same-day re-entry (rules.reentry) is judged by reentryReason instead of steps 2, 6, 7 and 8.
 * Comparisons are written so that a NaN in a time or count fails closed (denies) on entry.
 *
 * Zones and gates: both empty = valid everywhere; otherwise the passage is allowed when the gate's zone is listed
 * OR the gate itself is listed (so "zone A plus gate X" can be expressed). When neither matches the reason is
 * WRONG_ZONE if any zone is listed, else WRONG_GATE.
 *
 * Calendar: weekday bit i = ISO weekday i+1 of the venue-local date. Time windows are [from, to) minutes of the local
 * day; a window with to < from wraps past midnight and belongs to the day it starts on: a Friday-only night tour
 * 20:00–02:00 admits Friday 23:00 and Saturday 01:00, not Friday 01:00. A window with from = to is empty. When the
 * time lies in a window whose day is not allowed, or in no window on a day that is not allowed, the reason is
 * WRONG_WEEKDAY (not valid today at all); in no window on an allowed day, OUTSIDE_HOURS.
 *
 * Slot: admitted from slot.start − slotEarlyMin (inclusive) until slot.end + slotLateMin (exclusive).
 *
 * Counts: one scan of an ordinary credential consumes one entry. A group code (`persons` > 1) counts its entries in
 * persons (model.ts): a scan admits up to min(persons, entries left) persons (Decision.persons), the gate counts who
 * actually walks through, and only those are used — the rest stay on the code for a later scan (partial
 * redemption). A later scan that admits the rest of a partly redeemed round (entriesUsed not a multiple of persons)
 * belongs to the entry that round began: it skips the per-day limit and anti-passback, which were checked when the
 * round began, so the group's stragglers are not refused as a passback.
 * `record.entriesUsed` must already include every entry the caller knows of (the gate folds its own not-yet-synced
 * admits into the record); the engine never derives the total from `recent`, which may be truncated. The per-day
 * limit counts the 'in' passages in `recent` on the venue-local calendar day of `now` (at any gate).
 *
 * Anti-passback: `recent` may be in any order; the engine never sorts it. A passage in the same direction with
 * |now − at| < antiPassbackSec denies (a passage slightly in the future, from a gate whose clock runs ahead, counts
 * as just now). With strictAlternation the latest passage (largest `at`; on a tie, the later array element) must not
 * be in the requested direction; no passage at all is fine.
 *
 * Automatic check-out (auto-checkout.ts, DecideInput.checkoutMinute): the site's latest check-out at or before the
 * scan counts, for an entry, as an exit after every passage before it — for same-day re-entry's alternation and for
 * strict alternation (the anti-passback time window still counts from the real passages). Exits never see it.
 *
 * Exits. People must always be able to leave, and a ticket is normally spent or expired by the time its holder
 * walks out. So an exit never consumes an entry and never checks validity window, weekday, hours, slot or counts;
 * status 'used' is fine on the way out. It still needs a known credential and type, a status that could belong to
 * someone inside (active or used: not_activated, refunded, revoked and blacklisted deny so staff look at it), and a
 * gate that opens outwards (WRONG_DIRECTION). With exitFree (the usual case) that is all; without it the type's
 * zones / gates and anti-passback / strict alternation also apply to exits, for venues that track who is inside.
 *
 * Gate modes (always open, always closed, emergency open, locked, denying unauthorised cards) are not decided here:
 * they belong to the gate's state machine, which answers GATE_CLOSED / GATE_LOCKED / UNAUTHORIZED_DENIED without a
 * credential decision or overrides one. This function only judges the credential.
 *
 * Decision.persons is how many people this decision lets through at most: record.persons on admit (for a group
 * code's entry no more than its entries left), 0 on deny.
 * Decision.entriesLeft: on an admitted entry, entries left after it (a group code: if all Decision.persons pass;
 * the gate reports what is left after the actual headcount); on an exit or a deny, entries left now (0 once
 * the credential is refunded, revoked, blacklisted or expired); null for unlimited credentials and unknown ones.
 */
import type {
  CredentialRecord,
  CredentialStatus,
  Direction,
  GateInfo,
  PassageRecord,
  TicketTypeRules,
} from '../model.js';
import type { DecisionReason } from '../reasons.js';
import { lastCheckoutAt } from './auto-checkout.js';
import { activationEnd, firstEntryOf } from './first-use.js';
import { admitTexts, type GateTexts, reasonTexts } from './texts.js';
import { DAY_MS, isoWeekdayOfDay, type VenueClock } from './venue-clock.js';
import { visitDaysOf } from './visit-days.js';

const MINUTE = 60_000;
const SECOND = 1000;

export interface DecideInput {
  /** The credential's whitelist record; null when the credential is unknown. */
  readonly record: CredentialRecord | null;
  /** Rules of the record's ticket type; null when the type is unknown to the caller. */
  readonly rules: TicketTypeRules | null;
  readonly gate: GateInfo;
  readonly direction: Direction;
  /** The instant of the scan, epoch ms. */
  readonly now: number;
  readonly clock: VenueClock;
  /** This credential's known passages, any order. */
  readonly recent: readonly PassageRecord[];
  /**
   * The site's automatic check-out, minutes after local midnight (auto-checkout.ts); absent or null = none. The
   * latest check-out before `now` counts as everyone's exit for entries: a re-entry's alternation and strict
   * alternation. Exits ignore it: people must always be able to leave, also those found inside after it.
   */
  readonly checkoutMinute?: number | null;
}

export interface Decision {
  readonly admit: boolean;
  readonly reason: DecisionReason;
  readonly entriesLeft: number | null;
  readonly persons: number;
  readonly led: GateTexts['led'];
  readonly voice: GateTexts['voice'];
}

export function decide(input: DecideInput): Decision {
  const { record, rules, direction } = input;
  if (record === null || rules === null || rules.typeId !== record.typeId) {
    return deny('UNKNOWN_CREDENTIAL', null);
  }
  const total = record.entriesTotal;
  const leftNow = total === null ? null : Math.max(0, total - record.entriesUsed);
  const reason = direction === 'in' ? entryReason(input, record, rules) : exitReason(input, record, rules);
  // A credential that can never be used again has nothing left, whatever its count said: a refunded single ticket
  // showed "剩余 1" on the gate's display.
  if (reason !== 'OK') return deny(reason, leftNow === null || !ENDED.has(reason) ? leftNow : 0);

  const group = record.persons > 1;
  const counted = leftNow !== null && direction === 'in';
  // A group code admits no more persons than it has left; the LED says how many (团体票 N人).
  const persons = group && counted ? Math.max(1, Math.min(record.persons, leftNow)) : record.persons;
  // An admitted entry consumes one, a group's persons each one (the clamp only matters for out-of-schema counts).
  const entriesLeft = counted ? Math.max(0, leftNow - (group ? persons : 1)) : leftNow;
  // Count cards show what is left; single tickets (total 1), passes and group codes (counted in persons) do not.
  const countLeft = !group && total !== null && total > 1 && entriesLeft !== null ? entriesLeft : -1;
  const texts = admitTexts(rules, direction, countLeft, persons);
  return {
    admit: true,
    reason: 'OK',
    entriesLeft,
    persons,
    led: texts.led,
    voice: texts.voice,
  };
}

/** Denials meaning the credential is finished: refunded, revoked, blacklisted, or past its validity. */
const ENDED: ReadonlySet<DecisionReason> = new Set(['REFUNDED', 'REVOKED', 'BLACKLISTED', 'EXPIRED']);

function deny(reason: DecisionReason, entriesLeft: number | null): Decision {
  const texts = reasonTexts(reason);
  return { admit: false, reason, entriesLeft, persons: 0, led: texts.led, voice: texts.voice };
}

function entryReason(input: DecideInput, record: CredentialRecord, rules: TicketTypeRules): DecisionReason {
  // A used day ticket coming back in on the same day: its own checks instead of status, slot, counts and passback.
  const again = rules.reentry === undefined ? null : reentryReason(input, record, rules.reentry.until);
  if (again !== null && again !== 'OK') return again;
  const status = again === 'OK' ? 'OK' : statusReason(record.status, 'in');
  if (status !== 'OK') return status;

  const now = input.now;
  if (!(now >= record.validFrom)) return 'NOT_YET_VALID';
  if (!(now < record.validTo)) return 'EXPIRED';
  const activation = record.activation;
  if (activation !== undefined) {
    // Validity from the first entry: before it, the latest activation bounds the window; after it, the period does.
    const first = firstEntryOf(record, input.recent);
    if (first === null ? !(now < activation.by) : !(now < activationEnd(first, activation, input.clock)))
      return 'EXPIRED';
  }

  const place = placeReason(input.gate, 'in', rules);
  if (place !== 'OK') return place;

  const clock = input.clock;
  const local = now + clock.offsetMs(now);
  const today = Math.floor(local / DAY_MS);
  const calendar = calendarReason(rules, today, Math.floor((local - today * DAY_MS) / MINUTE));
  if (calendar !== 'OK') return calendar;
  if (again === 'OK') return 'OK';

  const slot = record.slot;
  if (slot !== null) {
    if (!(now >= slot.start - rules.slotEarlyMin * MINUTE)) return 'SLOT_TOO_EARLY';
    if (!(now < slot.end + rules.slotLateMin * MINUTE)) return 'SLOT_TOO_LATE';
  }

  if (record.entriesTotal !== null && !(record.entriesUsed < record.entriesTotal)) return 'ENTRIES_EXHAUSTED';
  // The rest of a group whose round is partly redeemed: the same entry, already past the per-day and passback checks.
  if (record.persons > 1 && record.entriesTotal !== null && record.entriesUsed % record.persons !== 0)
    return 'OK';
  const visitDays = rules.visitDays;
  if (visitDays !== undefined) {
    // A new visit day needs one left; inside a visit day only the per-day limit counts.
    const days = visitDaysOf(record, input.recent, clock, today);
    if (!days.today && !(days.usedBefore < visitDays)) return 'VISIT_DAYS_USED';
  }
  const perDay = rules.entriesPerDay;
  if (perDay !== null && !(entriesOnDay(input.recent, clock, today, now) < perDay)) return 'DAILY_LIMIT';

  return passbackReason(input.recent, 'in', now, rules, checkoutOf(input));
}

/** The latest automatic check-out at or before the scan (−∞ without one): an exit for everyone inside. */
function checkoutOf(input: DecideInput): number {
  return lastCheckoutAt(input.clock, input.checkoutMinute, input.now);
}

/**
 * Same-day re-entry: null when it does not apply (entries left, never entered, or a status nobody inside could have),
 * else the answer: a re-entry needs the last entry on today's local date (else USED), the last passage to be an exit
 * (else ANTI_PASSBACK: strict alternation) and the local time before the cut-off (else USED). The record's last entry
 * and exit combine with `recent`, so the gate's own passages count before they are synced.
 */
function reentryReason(
  input: DecideInput,
  record: CredentialRecord,
  until: number | null,
): DecisionReason | null {
  const exhausted =
    record.status === 'used' ||
    (record.status === 'active' &&
      record.entriesTotal !== null &&
      !(record.entriesUsed < record.entriesTotal));
  if (!exhausted) return null;
  let lastIn = record.lastEntryAt ?? Number.NEGATIVE_INFINITY;
  let lastOut = record.lastExitAt ?? Number.NEGATIVE_INFINITY;
  for (const passage of input.recent) {
    if (passage.direction === 'in') lastIn = Math.max(lastIn, passage.at);
    else lastOut = Math.max(lastOut, passage.at);
  }
  if (lastIn === Number.NEGATIVE_INFINITY) return null;
  // The automatic check-out let everyone out who was still inside: it counts as the exit the gates did not see.
  lastOut = Math.max(lastOut, checkoutOf(input));
  const { clock, now } = input;
  const local = now + clock.offsetMs(now);
  const today = Math.floor(local / DAY_MS);
  if (clock.dayNumber(lastIn) !== today) return 'USED';
  if (!(lastOut > lastIn)) return 'ANTI_PASSBACK';
  if (until !== null && !((local - today * DAY_MS) / MINUTE < until)) return 'USED';
  return 'OK';
}

function exitReason(input: DecideInput, record: CredentialRecord, rules: TicketTypeRules): DecisionReason {
  const status = statusReason(record.status, 'out');
  if (status !== 'OK') return status;
  if (input.gate.direction === 'in') return 'WRONG_DIRECTION';
  if (rules.exitFree) return 'OK';
  const place = placeReason(input.gate, 'out', rules);
  if (place !== 'OK') return place;
  return passbackReason(input.recent, 'out', input.now, rules);
}

function statusReason(status: CredentialStatus, direction: Direction): DecisionReason {
  switch (status) {
    case 'active':
      return 'OK';
    case 'used':
      return direction === 'out' ? 'OK' : 'USED';
    case 'not_activated':
      return 'NOT_ACTIVATED';
    case 'refunded':
      return 'REFUNDED';
    case 'revoked':
      return 'REVOKED';
    case 'blacklisted':
      return 'BLACKLISTED';
    default:
      // A status from a newer cloud than this gate: refuse rather than guess.
      return 'UNKNOWN_CREDENTIAL';
  }
}

function placeReason(gate: GateInfo, direction: Direction, rules: TicketTypeRules): DecisionReason {
  if (gate.direction !== 'both' && gate.direction !== direction) return 'WRONG_DIRECTION';
  const zones = rules.zones;
  const gates = rules.gates;
  if (zones.length === 0 && gates.length === 0) return 'OK';
  if (zones.includes(gate.zoneId) || gates.includes(gate.gateId)) return 'OK';
  return zones.length > 0 ? 'WRONG_ZONE' : 'WRONG_GATE';
}

function weekdayAllowed(mask: number, dayNumber: number): boolean {
  return ((mask >> (isoWeekdayOfDay(dayNumber) - 1)) & 1) === 1;
}

function calendarReason(rules: TicketTypeRules, today: number, minute: number): DecisionReason {
  const mask = rules.weekdays;
  const todayAllowed = weekdayAllowed(mask, today);
  const hours = rules.hours;
  if (hours.length === 0) return todayAllowed ? 'OK' : 'WRONG_WEEKDAY';
  let inWindow = false;
  for (const window of hours) {
    const { from, to } = window;
    if (from <= to) {
      if (minute >= from && minute < to) {
        if (todayAllowed) return 'OK';
        inWindow = true;
      }
    } else if (minute >= from) {
      if (todayAllowed) return 'OK';
      inWindow = true;
    } else if (minute < to) {
      // The small hours of a window that began yesterday evening: yesterday's weekday decides.
      if (weekdayAllowed(mask, today - 1)) return 'OK';
      inWindow = true;
    }
  }
  return inWindow || !todayAllowed ? 'WRONG_WEEKDAY' : 'OUTSIDE_HOURS';
}

function entriesOnDay(
  recent: readonly PassageRecord[],
  clock: VenueClock,
  today: number,
  now: number,
): number {
  let count = 0;
  for (const passage of recent) {
    if (passage.direction !== 'in') continue;
    const at = passage.at;
    // Passages two days or more away cannot be on today's local date; skip the clock for them.
    if (at < now - 2 * DAY_MS || at > now + 2 * DAY_MS) continue;
    if (Math.floor((at + clock.offsetMs(at)) / DAY_MS) === today) count++;
  }
  return count;
}

function passbackReason(
  recent: readonly PassageRecord[],
  direction: Direction,
  now: number,
  rules: TicketTypeRules,
  checkoutAt: number = Number.NEGATIVE_INFINITY,
): DecisionReason {
  const windowMs = rules.antiPassbackSec * SECOND;
  const strict = rules.strictAlternation;
  if (!(windowMs > 0) && !strict) return 'OK';
  let lastAt = Number.NEGATIVE_INFINITY;
  let lastDirection: Direction | null = null;
  for (const passage of recent) {
    if (windowMs > 0 && passage.direction === direction) {
      const since = now - passage.at;
      if (since < windowMs && since > -windowMs) return 'ANTI_PASSBACK';
    }
    if (passage.at >= lastAt) {
      lastAt = passage.at;
      lastDirection = passage.direction;
    }
  }
  // An automatic check-out after the latest passage is an exit for everyone (only handed in for entries).
  if (checkoutAt > lastAt) lastDirection = 'out';
  return strict && lastDirection === direction ? 'ANTI_PASSBACK' : 'OK';
}
