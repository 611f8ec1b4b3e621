/**
 * What other modules may read of the stored passages (online validation, the lookup): statements of the passages
 * module, typed on its table only, run on any connection or transaction (db/scoped.ts).
 */
import type { Direction, PassageRecord } from '@scenic/protocol';
import type { Connection } from '../../db/scoped.js';
import { passageTables } from './tables.js';

// On online validation's hot path: precompiled.
const passagesSinceStatement = passageTables.precompile<
  { ticketId: number; since: number },
  { at: number; direction: Direction; gate_id: string }
>((db, p) =>
  db
    .selectFrom('passage_events')
    .select(['at', 'direction', 'gate_id'])
    .where('ticket_id', '=', p.ticketId)
    .where('kind', '=', 'passage')
    .where('at', '>=', p.since),
);

/** The ticket's passages since `since` (anti-passback, per-day limits). */
export async function passagesSince(
  db: Connection,
  ticketId: number,
  since: number,
): Promise<PassageRecord[]> {
  const rows = await passagesSinceStatement.rows(db, { ticketId, since });
  return rows.map((row) => ({ at: Number(row.at), direction: row.direction, gateId: row.gate_id }));
}

const MAX_PASSAGES = 100;

/** The ticket's last 100 passages and denials, newest first. */
export async function passagesOf(db: Connection, ticketId: number) {
  return passageTables(db)
    .selectFrom('passage_events')
    .select(['kind', 'gate_id', 'direction', 'persons', 'at', 'reason', 'conflict', 'overdraft'])
    .where('ticket_id', '=', ticketId)
    .orderBy('at', 'desc')
    .limit(MAX_PASSAGES)
    .execute();
}

/**
 * The ticket's offline conflicts, all of them (not only its last 100 events): how many, and the entries they used
 * beyond the ticket's count (its overdraft).
 */
export async function conflictsOf(
  db: Connection,
  ticketId: number,
): Promise<{ count: number; overdraft: number }> {
  const row = await passageTables(db)
    .selectFrom('passage_events')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('overdraft').as('overdraft')])
    .where('ticket_id', '=', ticketId)
    .where('conflict', 'is not', null)
    .executeTakeFirst();
  return { count: Number(row?.n ?? 0), overdraft: Number(row?.overdraft ?? 0) };
}

/** Ids per `in (…)` list: well within both engines' bounds on bound parameters. */
const IN_LIST_CHUNK = 500;

/** How many times these tickets entered (passages inward) and when last: a customer's visits. */
export async function entriesOfTickets(
  db: Connection,
  ticketIds: readonly number[],
): Promise<{ entries: number; lastAt: number | null }> {
  let entries = 0;
  let lastAt: number | null = null;
  for (let i = 0; i < ticketIds.length; i += IN_LIST_CHUNK) {
    const row = await passageTables(db)
      .selectFrom('passage_events')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('at').as('last')])
      .where('ticket_id', 'in', ticketIds.slice(i, i + IN_LIST_CHUNK))
      .where('kind', '=', 'passage')
      .where('direction', '=', 'in')
      .executeTakeFirst();
    entries += Number(row?.n ?? 0);
    const last = row?.last === null || row?.last === undefined ? null : Number(row.last);
    if (last !== null && (lastAt === null || last > lastAt)) lastAt = last;
  }
  return { entries, lastAt };
}

/** A customer's last entries (passages inward) by these tickets, newest first, at most `limit`. */
export async function lastEntriesOfTickets(
  db: Connection,
  ticketIds: readonly number[],
  limit: number,
): Promise<{ at: number; siteId: string; gateId: string; ticketId: number; persons: number }[]> {
  const found: { at: number; siteId: string; gateId: string; ticketId: number; persons: number }[] = [];
  for (let i = 0; i < ticketIds.length; i += IN_LIST_CHUNK) {
    const rows = await passageTables(db)
      .selectFrom('passage_events')
      .select(['at', 'site_id', 'gate_id', 'ticket_id', 'persons'])
      .where('ticket_id', 'in', ticketIds.slice(i, i + IN_LIST_CHUNK))
      .where('kind', '=', 'passage')
      .where('direction', '=', 'in')
      .orderBy('at', 'desc')
      .limit(limit)
      .execute();
    for (const row of rows)
      found.push({
        at: Number(row.at),
        siteId: row.site_id,
        gateId: row.gate_id,
        ticketId: Number(row.ticket_id),
        persons: Number(row.persons),
      });
  }
  // Each chunk is already its own newest `limit`: the newest of their union are the newest overall.
  return found.sort((a, b) => b.at - a.at).slice(0, limit);
}
