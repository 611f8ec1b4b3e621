/**
 * The hourly entries (passage_hourly_entries): inward passages per site, site-local day and hour, and ticket type,
 * kept as passages are ingested. A passage hook (service.ts) that works once per batch, inside the batch's
 * transaction, with ONE statement: the batch's entries, summed per (site, day, hour, ticket) in JS, go as one JSON
 * parameter into an upsert that reads each ticket's type and persons (a join on `tickets`: the read model
 * `hourlyEntriesWithTickets`, so no extra round trip while the batch holds its transaction), sums per key again by
 * type (PostgreSQL refuses to update one row twice in a statement) and adds to the stored counts. One SQL text per
 * engine, prepared once. A replayed event is never among a batch's new events, so nothing is counted twice; a
 * rolled-back batch adds nothing.
 *
 * The local day and hour need the site's time zone: read once and kept for a minute (a site's zone is set when it
 * is created and practically never changes; a change reaches the hourly entries within that minute).
 */
import { createVenueClock, type VenueClock } from '@scenic/protocol';
import { PostgresAdapter, sql } from 'kysely';
import { type Connection, readModel } from '../../db/scoped.js';
import { siteTimeZones } from '../venues/reads.js';
import type { PassageHook, StoredEvent } from './service.js';

/** The hourly entries joined with the tickets they were counted for: one upsert per ingestion batch. */
const hourlyEntriesWithTickets = readModel<'passage_hourly_entries' | 'tickets'>();

const clocks = new Map<string, VenueClock>();
function clockOf(timeZone: string): VenueClock {
  let clock = clocks.get(timeZone);
  if (!clock) {
    clock = createVenueClock(timeZone);
    clocks.set(timeZone, clock);
  }
  return clock;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** How long a site's time zone is kept before it is read again. */
const ZONE_TTL_MS = 60_000;

/** Whether an event counts as an entry: a passage inward (confirmed or not, as occupancy counts it). */
export function isEntry(event: Pick<StoredEvent, 'kind' | 'direction'>): boolean {
  return event.kind === 'passage' && event.direction === 'in';
}

/** Entries of one ticket in one site-local hour: what the statement receives, one object each. */
export interface TicketHour {
  readonly site_id: string;
  readonly day: number;
  readonly hour: number;
  readonly ticket_id: number | null;
  entries: number;
  persons: number;
}

/** The site-local day number and hour of an instant in a zone. */
export function localDayHour(at: number, timeZone: string): { day: number; hour: number } {
  const local = at + clockOf(timeZone).offsetMs(at);
  const day = Math.floor(local / DAY_MS);
  return { day, hour: Math.floor((local - day * DAY_MS) / HOUR_MS) };
}

/** The batch's entries summed per site, local day, hour and ticket. A site of unknown zone counts in UTC. */
export function ticketHoursOf(
  events: readonly StoredEvent[],
  zones: ReadonlyMap<string, string>,
): TicketHour[] {
  const rows = new Map<string, TicketHour>();
  for (const event of events) {
    if (!isEntry(event)) continue;
    const { day, hour } = localDayHour(event.at, zones.get(event.site_id) ?? 'UTC');
    const key = `${event.site_id}\u0000${day}\u0000${hour}\u0000${event.ticket_id}`;
    let row = rows.get(key);
    if (!row) {
      row = { site_id: event.site_id, day, hour, ticket_id: event.ticket_id, entries: 0, persons: 0 };
      rows.set(key, row);
    }
    row.entries += 1;
    row.persons += event.persons;
  }
  return [...rows.values()];
}

/**
 * Adds the ticket-hours to the hourly entries in one statement: each ticket's type from `tickets` (type 0 when the
 * cloud does not know the ticket), and its persons counted as group persons when it admits more than one.
 */
export async function addTicketHours(db: Connection, rows: readonly TicketHour[]): Promise<void> {
  if (rows.length === 0) return;
  const json = JSON.stringify(rows);
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  // SQLite unpacks the JSON array with json_each, PostgreSQL with jsonb_to_recordset; the rest is the same SQL.
  const source = postgres
    ? sql`jsonb_to_recordset(cast(${json} as jsonb))
          as v(site_id text, day integer, hour integer, ticket_id bigint, entries integer, persons integer)`
    : sql`(select json_extract(value, '$.site_id') as site_id, json_extract(value, '$.day') as day,
                  json_extract(value, '$.hour') as hour, json_extract(value, '$.ticket_id') as ticket_id,
                  json_extract(value, '$.entries') as entries, json_extract(value, '$.persons') as persons
           from json_each(${json})) as v`;
  // `where true`: SQLite needs a WHERE before an upsert's ON CONFLICT after a SELECT with a join.
  await sql`
    insert into passage_hourly_entries (site_id, day, hour, type_id, entries, persons, group_persons)
    select v.site_id, v.day, v.hour, coalesce(t.type_id, 0), sum(v.entries), sum(v.persons),
           sum(case when t.persons > 1 then v.persons else 0 end)
    from ${source}
    left join tickets t on t.id = v.ticket_id
    where true
    group by v.site_id, v.day, v.hour, coalesce(t.type_id, 0)
    on conflict (site_id, day, hour, type_id) do update set
      entries = passage_hourly_entries.entries + excluded.entries,
      persons = passage_hourly_entries.persons + excluded.persons,
      group_persons = passage_hourly_entries.group_persons + excluded.group_persons`.execute(
    hourlyEntriesWithTickets(db),
  );
}

/** The hook the composition root adds to the passage ingestion; it keeps the sites' zones for a minute. */
export function hourlyEntriesHook(now: () => number = Date.now): PassageHook {
  const zones = new Map<string, { zone: string; readAt: number }>();
  async function zonesOf(trx: Connection, events: readonly StoredEvent[]): Promise<Map<string, string>> {
    const at = now();
    const siteIds = new Set(events.map((event) => event.site_id));
    const stale = [...siteIds].filter((id) => {
      const known = zones.get(id);
      return !known || at - known.readAt > ZONE_TTL_MS;
    });
    if (stale.length > 0) {
      const rows = await siteTimeZones(trx, stale.length === 1 ? stale[0] : undefined);
      for (const row of rows) zones.set(row.id, { zone: row.timezone, readAt: at });
    }
    const found = new Map<string, string>();
    for (const id of siteIds) {
      const known = zones.get(id);
      if (known) found.set(id, known.zone);
    }
    return found;
  }
  return {
    name: 'hourly-entries',
    async finish(trx, events): Promise<void> {
      const entries = events.filter(isEntry);
      if (entries.length === 0) return;
      await addTicketHours(trx, ticketHoursOf(entries, await zonesOf(trx, entries)));
    },
  };
}
