/** The passages module's SQL (it owns passage_events). Callers pass a db or a transaction. */

import { chunkedInsert } from '../../db/chunked-insert.js';
import type { Connection } from '../../db/scoped.js';
import { type SiteScope, siteCondition } from '../../platform/site-scope.js';
import type { GateFacts } from '../venues/reads.js';
import type { PassageCursor } from './cursor.js';
import { type PassageDb, type PassageEventsTable, passageTables } from './tables.js';

/** Where a gate stands: the venue registry's (venues/reads.ts), read within the ingestion transaction. */
export type GatePlace = Pick<GateFacts, 'id' | 'site_id' | 'zone_id'>;
export { gatesByIds as gatePlaces } from '../venues/reads.js';

const COLUMNS = [
  'event_id',
  'kind',
  'site_id',
  'zone_id',
  'gate_id',
  'ticket_id',
  'credential_kind',
  'direction',
  'persons',
  'at',
  'received_at',
  'decided_offline',
  'entries_left',
  'correlation_id',
  'unconfirmed',
  'reason',
  'code_hash',
  'card_recycled',
  'conflict',
  'overdraft',
] as const satisfies readonly (keyof PassageEventsTable)[];

/** A batch of events is stored in chunks (db/chunked-insert.ts); RETURNING names the events that were new. */
const insertEvents = chunkedInsert({
  columns: COLUMNS,
  build: (db: PassageDb, rows) =>
    db
      .insertInto('passage_events')
      .values(rows)
      .onConflict((oc) => oc.column('event_id').doNothing())
      .returning('event_id'),
  read: (event: PassageEventsTable, column) => event[COLUMNS[column]!],
});

/**
 * Stores the events whose id is not stored yet (insert-or-ignore on the primary key); returns the ids it stored.
 * The ids must be distinct within one call.
 */
export async function insertNewEvents(
  db: Connection,
  events: readonly PassageEventsTable[],
): Promise<Set<string>> {
  const stored = await insertEvents(passageTables(db), events);
  return new Set(stored.map((row) => row.event_id));
}

/** Marks stored events as offline conflicts (their reason and overdraft), in the batch's transaction. */
export async function flagConflicts(
  db: Connection,
  events: readonly Pick<PassageEventsTable, 'event_id' | 'conflict' | 'overdraft'>[],
): Promise<void> {
  for (const event of events)
    await passageTables(db)
      .updateTable('passage_events')
      .set({ conflict: event.conflict, overdraft: event.overdraft })
      .where('event_id', '=', event.event_id)
      .execute();
}

export interface PassageFilter {
  readonly siteId?: string;
  readonly zoneId?: string;
  readonly gateId?: string;
  readonly kind?: 'passage' | 'denial';
  readonly reason?: string;
  readonly ticketId?: number;
  /** true: only offline conflicts (their own index); false: none of them. */
  readonly conflict?: boolean;
  /** Gate time, epoch ms, inclusive. */
  readonly from?: number;
  /** Gate time, epoch ms, exclusive. */
  readonly to?: number;
}

/** What the list shows of a stored event (everything but the correlation id and the code hash). */
export type ListedEvent = Omit<PassageEventsTable, 'correlation_id' | 'code_hash'>;

const LISTED = [
  'event_id',
  'kind',
  'site_id',
  'zone_id',
  'gate_id',
  'ticket_id',
  'credential_kind',
  'direction',
  'persons',
  'at',
  'received_at',
  'decided_offline',
  'entries_left',
  'unconfirmed',
  'reason',
  'conflict',
  'overdraft',
] as const satisfies readonly (keyof ListedEvent)[];

/**
 * Newest first by gate time, then event id: keyset paging, so pages stay stable while events keep arriving (a late
 * event from an offline gate lands where its time puts it). Up to `limit` rows after the cursor.
 */
export function listEvents(
  db: Connection,
  filter: PassageFilter,
  cursor: PassageCursor | undefined,
  limit: number,
  scope: SiteScope,
): Promise<ListedEvent[]> {
  let select = passageTables(db)
    .selectFrom('passage_events')
    .select(LISTED)
    .where(siteCondition(scope, 'site_id'));
  if (filter.siteId !== undefined) select = select.where('site_id', '=', filter.siteId);
  if (filter.zoneId !== undefined) select = select.where('zone_id', '=', filter.zoneId);
  if (filter.gateId !== undefined) select = select.where('gate_id', '=', filter.gateId);
  if (filter.kind !== undefined) select = select.where('kind', '=', filter.kind);
  if (filter.reason !== undefined) select = select.where('reason', '=', filter.reason);
  if (filter.ticketId !== undefined) select = select.where('ticket_id', '=', filter.ticketId);
  if (filter.conflict !== undefined)
    select = select.where('conflict', filter.conflict ? 'is not' : 'is', null);
  if (filter.from !== undefined) select = select.where('at', '>=', filter.from);
  if (filter.to !== undefined) select = select.where('at', '<', filter.to);
  if (cursor)
    select = select
      // The plain bound lets both engines range-scan the time index; the OR settles ties on the same instant.
      .where('at', '<=', cursor.at)
      .where((eb) =>
        eb.or([
          eb('at', '<', cursor.at),
          eb.and([eb('at', '=', cursor.at), eb('event_id', '<', cursor.eventId)]),
        ]),
      );
  return select.orderBy('at', 'desc').orderBy('event_id', 'desc').limit(limit).execute();
}

/** Sites whose business day is the same span of instants: [from, to). */
export interface DayWindow {
  readonly siteIds: readonly string[];
  readonly from: number;
  readonly to: number;
}

export interface DayTotalsRow {
  siteId: string;
  kind: 'passage' | 'denial';
  direction: 'in' | 'out';
  reason: string | null;
  persons: number;
  events: number;
  /** Of those events, offline conflicts. */
  conflicts: number;
}

/**
 * One aggregate statement for a business day of several sites: persons and events per site, kind, direction and
 * reason, each site counted within its own day (one window per time zone, so usually one range condition).
 */
export async function dayTotals(db: Connection, windows: readonly DayWindow[]): Promise<DayTotalsRow[]> {
  const spans = windows.filter((w) => w.siteIds.length > 0);
  if (spans.length === 0) return [];
  const rows = await passageTables(db)
    .selectFrom('passage_events')
    .select((eb) => [
      'site_id',
      'kind',
      'direction',
      'reason',
      eb.fn.sum<number>('persons').as('persons'),
      eb.fn.countAll<number>().as('events'),
      // Counts the non-null flags: no extra grouping, the same scan.
      eb.fn.count<number>('conflict').as('conflicts'),
    ])
    .where((eb) =>
      eb.or(
        spans.map((w) =>
          eb.and([eb('site_id', 'in', [...w.siteIds]), eb('at', '>=', w.from), eb('at', '<', w.to)]),
        ),
      ),
    )
    .groupBy(['site_id', 'kind', 'direction', 'reason'])
    .execute();
  return rows.map((row) => ({
    siteId: row.site_id,
    kind: row.kind,
    direction: row.direction,
    reason: row.reason,
    persons: Number(row.persons),
    events: Number(row.events),
    conflicts: Number(row.conflicts),
  }));
}
