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
 * Anti-passback and per-day counts read the passages themselves (`passage_events`, indexed by ticket and time) plus
 * the open reservations, so no separate per-ticket state is kept.
 */
import type { VenueClock } from '@scenic/protocol';
import type { Connection } from '../../db/scoped.js';
import type { PassageHook, StoredEvent } from '../passages/service.js';
import { visitDaysOf } from './repo.js';
import type { TicketChange, TicketsService } from './service.js';
import { type TicketsTable, ticketTables } from './tables.js';

// Run for every stored passage: compiled once (db/precompiled.ts) rather than built per event.
type EntryCounts = Pick<
  TicketsTable,
  | 'id'
  | 'site_id'
  | 'status'
  | 'entries_total'
  | 'entries_used'
  | 'type_id'
  | 'type_version'
  | 'persons'
  | 'activate_by'
  | 'first_entry_at'
  | 'visit_days'
  | 'last_visit_at'
  | 'last_entry_at'
  | 'last_exit_at'
>;
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
  'first_entry_at',
  'visit_days',
  'last_visit_at',
  'last_entry_at',
  'last_exit_at',
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
  usageOf(trx: Connection, typeId: number): Promise<{ visitDays: boolean; reentry: boolean }>;
  clockOf(trx: Connection, siteId: string): Promise<VenueClock>;
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

export function ticketPassageHook(
  tickets: TicketsService,
  unconfirmedUsesEntry: UnconfirmedPolicy = async () => true,
  usage?: UsagePolicy,
): PassageHook<Map<number, EntryCounts | null>> {
  return {
    name: 'tickets',
    prepare: entryCountsOf,
    async apply(trx, event, prepared): Promise<void> {
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
      const recorded = usage ? await usage.usageOf(trx, row.type_id) : { visitDays: false, reentry: false };
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
      let uses = row.persons > 1 ? event.persons : 1;
      if (row.entries_total === null || row.entries_used >= row.entries_total) uses = 0;
      else if (event.unconfirmed === 1 && !(await unconfirmedUsesEntry(trx, row.type_id, row.type_version)))
        uses = row.persons > 1 ? uses - 1 : 0;
      if (uses > 0) {
        const entriesTotal = row.entries_total!;
        const entriesUsed = Math.min(entriesTotal, row.entries_used + uses);
        patch.entriesUsed = entriesUsed;
        next.entries_used = entriesUsed;
        if (entriesUsed >= entriesTotal && row.status === 'active') {
          patch.status = 'used';
          next.status = 'used';
        }
      }
      if (Object.keys(patch).length === 0) return;
      await tickets.change(trx, row.id, 'use', patch);
      prepared?.set(row.id, next);
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
