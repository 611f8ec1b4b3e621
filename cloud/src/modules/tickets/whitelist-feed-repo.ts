/**
 * The whitelist feed's SQL: per site, a head version and one row per credential change under consecutive versions,
 * which gates replay to stay current. Callers pass a db or a transaction.
 */
import type { CredentialRecord } from '@scenic/protocol';
import { CompiledQuery, PostgresAdapter, sql } from 'kysely';
import { chunkedInsert } from '../../db/chunked-insert.js';
import type { Connection } from '../../db/scoped.js';
import type { FeedEntry, FeedOp } from './schemas.js';
import { type TicketDb, ticketTables, type WhitelistFeedTable } from './tables.js';

type Db = Connection;

/** Entries per statement, each statement compiled for its entry count (db/chunked-insert.ts). */
const INSERT_BATCH = 200;

/**
 * Reserves `count` consecutive versions of the site's feed and returns the first. The increment locks the head row
 * until commit, so versions never repeat or leave gaps; the row is created (insert-or-ignore) on the site's first
 * change only.
 */
const bumpHead = ticketTables.precompile<{ siteId: string; count: number }, { version: number }>((db, p) =>
  db
    .updateTable('whitelist_heads')
    .set({ version: sql`version + ${p.count}` })
    .where('site_id', '=', p.siteId)
    .returning('version'),
);

async function ensureHead(db: Db, siteId: string): Promise<void> {
  await ticketTables(db)
    .insertInto('whitelist_heads')
    .values({ site_id: siteId, version: 0 })
    .onConflict((oc) => oc.column('site_id').doNothing())
    .execute();
}

export async function reserveVersions(db: Db, siteId: string, count: number): Promise<number> {
  let head = await bumpHead.first(db, { siteId, count });
  if (!head) {
    await ensureHead(db, siteId);
    head = await bumpHead.first(db, { siteId, count });
  }
  return head!.version - count + 1;
}

const FEED_COLUMNS = [
  'site_id',
  'version',
  'ticket_id',
  'op',
  'record_json',
  'at',
] as const satisfies readonly (keyof WhitelistFeedTable)[];

const insertFeedRows = chunkedInsert({
  columns: FEED_COLUMNS,
  build: (db: TicketDb, rows) => db.insertInto('whitelist_feed').values(rows),
  read: (row: WhitelistFeedTable, column) => row[FEED_COLUMNS[column]!],
  exactUpTo: INSERT_BATCH,
});

type FeedEntryInput = { ticketId: number; op: FeedOp; record: CredentialRecord };

export async function insertFeed(
  db: Db,
  siteId: string,
  firstVersion: number,
  entries: readonly FeedEntryInput[],
  at: number,
): Promise<void> {
  const rows = entries.map((entry, index) => ({
    site_id: siteId,
    version: firstVersion + index,
    ticket_id: entry.ticketId,
    op: entry.op,
    record_json: JSON.stringify(entry.record),
    at,
  }));
  await insertFeedRows(ticketTables(db), rows);
}

/**
 * PostgreSQL: the head's bump and the feed rows in one statement (one round trip fewer inside the sale, which other
 * sales wait for on the audit lock). The rows take versions head − count + 1 … head in input order. Nothing is written
 * when the site has no head yet: the caller falls back to reserveVersions + insertFeed.
 */
const appendFeedPostgres = new Map<number, string>();

function appendFeedSql(count: number): string {
  let text = appendFeedPostgres.get(count);
  if (!text) {
    // $1 site, $2 count, $3 at; then ticket id, op, record JSON per entry.
    const values = Array.from(
      { length: count },
      (_, n) => `(${n}, $${4 + 3 * n}::bigint, $${5 + 3 * n}::text, $${6 + 3 * n}::text)`,
    ).join(', ');
    text =
      'with head as (update whitelist_heads set version = version + $2::bigint where site_id = $1::text returning version) ' +
      'insert into whitelist_feed (site_id, version, ticket_id, op, record_json, at) ' +
      'select $1::text, head.version - $2::bigint + 1 + entry.n, entry.ticket_id, entry.op, entry.record_json, $3::bigint ' +
      `from head cross join (values ${values}) as entry (n, ticket_id, op, record_json)`;
    appendFeedPostgres.set(count, text);
  }
  return text;
}

/** Appends the entries to the site's feed under consecutive new versions (both engines). */
export async function appendFeed(
  db: Db,
  siteId: string,
  entries: readonly FeedEntryInput[],
  at: number,
): Promise<void> {
  if (entries.length === 0) return;
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    for (let i = 0; i < entries.length; i += INSERT_BATCH) {
      const batch = entries.slice(i, i + INSERT_BATCH);
      const params: unknown[] = [siteId, batch.length, at];
      for (const entry of batch) params.push(entry.ticketId, entry.op, JSON.stringify(entry.record));
      const result = await ticketTables(db).executeQuery(
        CompiledQuery.raw(appendFeedSql(batch.length), params),
      );
      if (Number(result.numAffectedRows ?? 0n) !== batch.length) {
        // The site's first feed entry: no head row to bump yet.
        await ensureHead(db, siteId);
        await insertFeed(db, siteId, await reserveVersions(db, siteId, batch.length), batch, at);
      }
    }
    return;
  }
  for (let i = 0; i < entries.length; i += INSERT_BATCH) {
    const batch = entries.slice(i, i + INSERT_BATCH);
    await insertFeed(db, siteId, await reserveVersions(db, siteId, batch.length), batch, at);
  }
}

export async function headVersion(db: Db, siteId: string): Promise<number> {
  const row = await ticketTables(db)
    .selectFrom('whitelist_heads')
    .select('version')
    .where('site_id', '=', siteId)
    .executeTakeFirst();
  return row?.version ?? 0;
}

export async function feedAfter(db: Db, siteId: string, after: number, limit: number): Promise<FeedEntry[]> {
  const rows = await ticketTables(db)
    .selectFrom('whitelist_feed')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('version', '>', after)
    .orderBy('version')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    version: row.version,
    ticketId: row.ticket_id,
    op: row.op,
    record: JSON.parse(row.record_json) as CredentialRecord,
    at: row.at,
  }));
}
