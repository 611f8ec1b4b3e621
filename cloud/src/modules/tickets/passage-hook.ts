/**
 * The passage → ticket hook, run inside the passage ingestion transaction for every newly stored passage (never for
 * a replay, so a duplicated event changes nothing):
 *   - (a passage that follows an online validation has just confirmed that validation's reservation, in
 *     gate-validation/passage-hook.ts, so the entry is counted once: in `entries_used` from now on);
 *   - an admitted entry of a ticket with a limited number of entries uses one: `entries_used` + 1, never beyond
 *     `entries_total`, and an active ticket whose entries are all used becomes `used` (a single ticket on its first
 *     entry, a count card at its last); each change appends the ticket's feed row in the same transaction, so gates
 *     learn it from the next delta;
 *   - exits, passes (unlimited entries) and tickets of another site change nothing on the ticket.
 * Anti-passback and per-day counts read the passages themselves (`passage_events`, indexed by ticket and time) plus
 * the open reservations, so no separate per-ticket state is kept.
 */
import type { Connection } from '../../db/scoped.js';
import type { PassageHook, StoredEvent } from '../passages/service.js';
import type { TicketsService } from './service.js';
import { type TicketsTable, ticketTables } from './tables.js';

// Run for every stored passage: compiled once (db/precompiled.ts) rather than built per event.
type EntryCounts = Pick<TicketsTable, 'id' | 'site_id' | 'status' | 'entries_total' | 'entries_used'>;

const entriesOfTicket = ticketTables.precompile<{ id: number }, EntryCounts>((db, p) =>
  db
    .selectFrom('tickets')
    .select(['id', 'site_id', 'status', 'entries_total', 'entries_used'])
    .where('id', '=', p.id),
);

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
      .select(['id', 'site_id', 'status', 'entries_total', 'entries_used'])
      .where('id', 'in', ids.slice(i, i + READ_CHUNK))
      .execute();
    for (const row of rows) counts.set(row.id, row);
  }
  return counts;
}

export function ticketPassageHook(tickets: TicketsService): PassageHook<Map<number, EntryCounts | null>> {
  return {
    name: 'tickets',
    prepare: entryCountsOf,
    async apply(trx, event, prepared): Promise<void> {
      if (event.kind !== 'passage' || event.ticket_id === null) return;
      if (event.direction !== 'in') return;
      const row = prepared?.has(event.ticket_id)
        ? prepared.get(event.ticket_id)
        : await entriesOfTicket.first(trx, { id: event.ticket_id });
      if (!row || row.site_id !== event.site_id || row.entries_total === null) return;
      if (row.entries_used >= row.entries_total) return;
      const entriesUsed = row.entries_used + 1;
      const finished = entriesUsed >= row.entries_total && row.status === 'active';
      await tickets.change(trx, row.id, 'use', { entriesUsed, ...(finished && { status: 'used' as const }) });
      prepared?.set(row.id, { ...row, entries_used: entriesUsed, status: finished ? 'used' : row.status });
    },
  };
}
