/**
 * The passage → ticket hook, run inside the passage ingestion transaction for every newly stored passage (never for
 * a replay, so a duplicated event changes nothing):
 *   - (a passage that follows an online validation has just confirmed that validation's reservation, in
 *     gate-validation/passage-hook.ts, so the entry is counted once: in `entries_used` from now on);
 *   - an admitted entry of a ticket with a limited number of entries uses one — a group code (persons > 1, its
 *     entries counted in persons) as many as the passage's headcount (`persons`: 25 of a group of 30 leave 5 on the
 *     code for a later scan): `entries_used` + 1 (or + headcount), never beyond
 *     `entries_total`, and an active ticket whose entries are all used becomes `used` (a single ticket on its first
 *     entry, a count card at its last); each change appends the ticket's feed row in the same transaction, so gates
 *     learn it from the next delta;
 *   - an unconfirmed passage (the gate restarted between the turnstile's release and its passage sensor) uses the
 *     entry too, unless its ticket type's rules set `unconfirmedUsesEntry: false` — the same policy the gate applied
 *     (an unconfirmed group pass carries the persons counted plus the one uncertain release: with `false` the
 *     counted ones, persons − 1, are still used);
 *   - the first entry of a first-use ticket (validity counted from the first entry) is recorded as its activation,
 *     `first_entry_at`: the earliest entry reported, so a passage decided offline that arrives late moves it earlier;
 *     the record with it reaches every gate with the next delta;
 *   - a ticket of a type with a visit-day limit (任选 N 天) records the venue-local day of each entry (`visit_days`) and
 *     the first entry of its latest day (`last_visit_at`): only a new day changes the record, so a pass used all day
 *     sends one delta a day, and an entry decided offline and reported late, on an earlier day, still counts its day;
 *   - a ticket of a type with same-day re-entry records its latest entry and latest exit (`last_entry_at`,
 *     `last_exit_at`), so a gate that did not see the exit still knows the holder left;
 *   - exits, other passes (unlimited entries) and tickets of another site change nothing on the ticket;
 *   - a replayed entry (a gate sent an event the cloud had already stored: it crashed, or lost the broker's
 *     acknowledgement, before marking it sent) uses nothing, but restates the ticket's record in the feed. The gate
 *     counts its own entries until a record newer than their acknowledgement arrives; the record it got while the
 *     event was still unacknowledged already included that entry, so without a fresh one it would count it twice.
 *   - an entry decided offline is judged again on arrival by the rules engine (`decide`, the one the gates run) with
 *     what the cloud knows of the ticket before this entry — its record, its type's current rules, the gate's zone,
 *     the venue clock — at the scan's own time (`at`). A refund, revocation or blacklisting counts only if it came
 *     before the scan (`ended_at`). If the engine refuses, the passage is an offline conflict with that reason
 *     (USED: already used at another gate; ENTRIES_EXHAUSTED, REFUNDED, REVOKED, EXPIRED, …): it is stored all the
 *     same, flagged, and its entries are counted as far as the count goes. What it used beyond the count is its
 *     overdraft (a count card's entries never go beyond their total, so "left" never goes below zero; the overdraft
 *     says by how much it was exceeded), which also flags an otherwise admitted group passage with more persons
 *     than the code had left. The check reads no passages (anti-passback and per-day limits are the gate's own
 *     flow) and nothing per event that the batch has not read already: the rules and the venue clock come cached.
 *     Of two entries the cloud hears of once the count is spent, the one it hears of second is the conflict.
 * Anti-passback and per-day counts read the passages themselves (`passage_events`, indexed by ticket and time) plus
 * the open reservations, so no separate per-ticket state is kept.
 */
import { type CredentialStatus, decide, type TicketTypeRules, type VenueClock } from '@scenic/protocol';
import type { Connection } from '../../db/scoped.js';
import type { Conflict, PassageHook, StoredEvent } from '../passages/service.js';
import { type RecordColumns, recordOf, visitDaysOf } from './repo.js';
import type { TicketChange, TicketsService } from './service.js';
import { type TicketsTable, ticketTables } from './tables.js';

// Run for every stored passage: compiled once (db/precompiled.ts) rather than built per event.
// The record's columns too: an entry decided offline is judged again with the ticket's record (offlineConflict).
type EntryCounts = RecordColumns & Pick<TicketsTable, 'site_id' | 'type_version' | 'ended_at'>;
const COUNT_COLUMNS = [
  'id',
  'site_id',
  'status',
  'entries_total',
  'entries_used',
  'type_id',
  'type_version',
  'persons',
  'activate_by',
  'activation_unit',
  'activation_count',
  'first_entry_at',
  'visit_days',
  'last_visit_at',
  'last_entry_at',
  'last_exit_at',
  'barcode',
  'card_uid',
  'valid_from',
  'valid_to',
  'slot_start',
  'slot_end',
  'ended_at',
] as const satisfies readonly (keyof EntryCounts)[];

const entriesOfTicket = ticketTables.precompile<{ id: number }, EntryCounts>((db, p) =>
  db.selectFrom('tickets').select(COUNT_COLUMNS).where('id', '=', p.id),
);

/**
 * Whether an unconfirmed passage of a ticket of this type version uses an entry (its rules' `unconfirmedUsesEntry`,
 * absent = true); the composition root reads it from the ticket types.
 */
export type UnconfirmedPolicy = (trx: Connection, typeId: number, typeVersion: number) => Promise<boolean>;

/** Ids per query when a batch's tickets are read together: far below either engine's bound-parameter limit. */
const READ_CHUNK = 500;

/**
 * The entry counts of every ticket the batch's entries name, read in one query per 500 tickets (a ticket not found
 * maps to null). `apply` keeps them current as it uses entries, so two entries of one card in a batch count twice.
 */
async function entryCountsOf(
  trx: Connection,
  events: readonly StoredEvent[],
): Promise<Map<number, EntryCounts | null>> {
  const ids = [
    ...new Set(
      events
        .filter((event) => event.kind === 'passage' && event.direction === 'in' && event.ticket_id !== null)
        .map((event) => event.ticket_id as number),
    ),
  ];
  const counts = new Map<number, EntryCounts | null>(ids.map((id) => [id, null]));
  for (let i = 0; i < ids.length; i += READ_CHUNK) {
    const rows = await ticketTables(trx)
      .selectFrom('tickets')
      .select(COUNT_COLUMNS)
      .where('id', 'in', ids.slice(i, i + READ_CHUNK))
      .execute();
    for (const row of rows) counts.set(row.id, row);
  }
  return counts;
}

/**
 * What tickets of a type record about their use (by its current rules, as the gates decide with the current rules),
 * and the venue clock of a site; the composition root reads them from ticket types and venues.
 */
export interface UsagePolicy {
  /**
   * Which usage tickets of the type record, by its current rules: visit days (`visitDays`) and the latest entry and
   * exit (`reentry`, same-day re-entry). One read per passage.
   */
  usageOf(
    trx: Connection,
    typeId: number,
  ): Promise<{ visitDays: boolean; reentry: boolean; rules?: TicketTypeRules | null }>;
  clockOf(trx: Connection, siteId: string): Promise<VenueClock>;
  /**
   * The site's automatic check-out, minutes into the local day (null: none): the gates apply it to what they decide
   * offline, so judging those entries applies it too. Absent: none.
   */
  checkoutOf?(trx: Connection, siteId: string): Promise<number | null>;
}

/**
 * The visit days after an entry at `at`, or undefined when it changes nothing: its local day is added if new, and
 * `lastVisitAt` is the first entry of the latest day (an entry reported late, on an earlier day, only adds its day).
 */
export function visitDayChange(
  row: Pick<TicketsTable, 'visit_days' | 'last_visit_at'>,
  at: number,
  clock: VenueClock,
): { days: number[]; lastVisitAt: number } | undefined {
  const day = clock.dayNumber(at);
  const days = visitDaysOf(row);
  const known = days.includes(day);
  if (!known) {
    days.push(day);
    days.sort((a, b) => a - b);
  }
  const latest = days[days.length - 1]!;
  let lastVisitAt = row.last_visit_at;
  if (day === latest && (lastVisitAt === null || clock.dayNumber(lastVisitAt) !== latest || at < lastVisitAt))
    lastVisitAt = at;
  if (known && lastVisitAt === row.last_visit_at) return undefined;
  return { days, lastVisitAt: lastVisitAt! };
}

/** Statuses a ticket ends in (refund, revocation, blacklist); `ended_at` says when. */
const ENDED: ReadonlySet<CredentialStatus> = new Set(['refunded', 'revoked', 'blacklisted']);

/**
 * The reason the rules engine refuses an entry decided offline at its scan time, with what the cloud knows of the
 * ticket before it; null when the engine admits it. A ticket that ended after the scan was still what its count
 * made it at the scan.
 */
export function offlineConflict(
  row: EntryCounts,
  event: Pick<StoredEvent, 'at' | 'site_id' | 'gate_id' | 'zone_id'>,
  rules: TicketTypeRules,
  clock: VenueClock,
  checkoutMinute: number | null = null,
): string | null {
  let record = recordOf(row);
  if (ENDED.has(row.status) && row.ended_at !== null && row.ended_at > event.at) {
    const spent = row.entries_total !== null && row.entries_used >= row.entries_total;
    record = { ...record, status: spent ? 'used' : 'active' };
  }
  const decision = decide({
    record,
    rules,
    // The gate let the visitor in, so it opens inwards; its zone is the one stored with the passage.
    gate: { siteId: event.site_id, gateId: event.gate_id, zoneId: event.zone_id, direction: 'in' },
    direction: 'in',
    now: event.at,
    clock,
    checkoutMinute,
    recent: [],
  });
  return decision.admit ? null : decision.reason;
}

export function ticketPassageHook(
  tickets: TicketsService,
  unconfirmedUsesEntry: UnconfirmedPolicy = async () => true,
  usage?: UsagePolicy,
): PassageHook<Map<number, EntryCounts | null>> {
  return {
    name: 'tickets',
    prepare: entryCountsOf,
    async apply(trx, event, prepared): Promise<Conflict | undefined> {
      if (event.kind !== 'passage' || event.ticket_id === null) return;
      if (event.direction !== 'in') {
        // Same-day re-entry needs to know the holder left: the latest exit, for every gate.
        if (!usage) return;
        const row = await entriesOfTicket.first(trx, { id: event.ticket_id });
        // Only a ticket that recorded an entry can be one whose exits matter.
        if (!row || row.site_id !== event.site_id || row.last_entry_at === null) return;
        if (row.last_exit_at !== null && !(event.at > row.last_exit_at)) return;
        if (!(await usage.usageOf(trx, row.type_id)).reentry) return;
        await tickets.change(trx, row.id, 'use', { lastExitAt: event.at });
        prepared?.set(row.id, { ...row, last_exit_at: event.at });
        return;
      }
      const row = prepared?.has(event.ticket_id)
        ? prepared.get(event.ticket_id)
        : await entriesOfTicket.first(trx, { id: event.ticket_id });
      if (!row || row.site_id !== event.site_id) return;
      const patch: { -readonly [K in keyof TicketChange]: TicketChange[K] } = {};
      const next: EntryCounts = { ...row };
      const recorded = usage
        ? await usage.usageOf(trx, row.type_id)
        : { visitDays: false, reentry: false, rules: null };
      // Judged before this entry changes the ticket: would the cloud have admitted it at its scan time?
      let conflict =
        usage && recorded.rules && event.decided_offline === 1
          ? offlineConflict(
              row,
              event,
              recorded.rules,
              await usage.clockOf(trx, row.site_id),
              (await usage.checkoutOf?.(trx, row.site_id)) ?? null,
            )
          : null;
      if (recorded.reentry && (row.last_entry_at === null || event.at > row.last_entry_at)) {
        patch.lastEntryAt = event.at;
        next.last_entry_at = event.at;
      }
      // A first-use ticket's first entry activates it: the earliest entry reported, whatever order they arrive in.
      if (row.activate_by !== null && (row.first_entry_at === null || event.at < row.first_entry_at)) {
        patch.firstEntryAt = event.at;
        next.first_entry_at = event.at;
      }
      if (usage && recorded.visitDays) {
        const visit = visitDayChange(row, event.at, await usage.clockOf(trx, row.site_id));
        if (visit) {
          patch.visitDays = visit.days;
          patch.lastVisitAt = visit.lastVisitAt;
          next.visit_days = JSON.stringify(visit.days);
          next.last_visit_at = visit.lastVisitAt;
        }
      }
      // The entries this passage used, and how many of them the count no longer had (the overdraft).
      let wanted = row.entries_total === null ? 0 : row.persons > 1 ? event.persons : 1;
      if (
        wanted > 0 &&
        event.unconfirmed === 1 &&
        !(await unconfirmedUsesEntry(trx, row.type_id, row.type_version))
      )
        wanted = row.persons > 1 ? wanted - 1 : 0;
      const uses =
        row.entries_total === null ? 0 : Math.min(wanted, Math.max(0, row.entries_total - row.entries_used));
      const overdraft = wanted - uses;
      if (uses > 0) {
        const entriesTotal = row.entries_total!;
        const entriesUsed = row.entries_used + uses;
        patch.entriesUsed = entriesUsed;
        next.entries_used = entriesUsed;
        if (entriesUsed >= entriesTotal && row.status === 'active') {
          patch.status = 'used';
          next.status = 'used';
        }
      }
      // More persons through than the code had left is a conflict even where the engine admitted the scan.
      if (overdraft > 0) conflict ??= 'ENTRIES_EXHAUSTED';
      if (Object.keys(patch).length > 0) {
        await tickets.change(trx, row.id, 'use', patch);
        prepared?.set(row.id, next);
      }
      return conflict === null ? undefined : ({ reason: conflict, overdraft } satisfies Conflict);
    },
    async replayed(trx, event): Promise<void> {
      if (event.kind !== 'passage' || event.ticket_id === null || event.direction !== 'in') return;
      const row = await entriesOfTicket.first(trx, { id: event.ticket_id });
      if (
        !row ||
        row.site_id !== event.site_id ||
        (row.entries_total === null && row.activate_by === null && row.last_visit_at === null)
      )
        return;
      // Nothing changes but the feed: the same record at a new version, which the gates receive with the next delta.
      await tickets.change(trx, row.id, 'use', {});
    },
  };
}
