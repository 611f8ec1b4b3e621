/**
 * Reading and pruning the whitelist feed, the tickets' change log that whitelist-sync publishes to the gates: feed
 * heads of every site, feed rows to publish, the oldest feed version kept, feed pruning. The tickets module owns the
 * feed (each ticket change appends its row in the change's transaction, repo.ts); whitelist-sync reads it through
 * these functions only. The statements run every poll round are precompiled.
 */
import type { CredentialRecord } from '@scenic/protocol';
import type { Connection } from '../../db/scoped.js';
import { ticketTables } from './tables.js';

type Db = Connection;

/** One feed row: the whole credential record after the change, at its feed version. */
export interface FeedRecord {
  readonly version: number;
  readonly record: CredentialRecord;
}

const allHeads = ticketTables.precompile<Record<string, never>, { site_id: string; version: number }>((db) =>
  db.selectFrom('whitelist_heads').select(['site_id', 'version']),
);

export async function heads(db: Db): Promise<Map<string, number>> {
  const rows = await allHeads.rows(db, {});
  return new Map(rows.map((row) => [row.site_id, Number(row.version)]));
}

const siteHead = ticketTables.precompile<{ siteId: string }, { version: number }>((db, p) =>
  db.selectFrom('whitelist_heads').select('version').where('site_id', '=', p.siteId),
);

export async function headOf(db: Db, siteId: string): Promise<number> {
  const row = await siteHead.first(db, { siteId });
  return row ? Number(row.version) : 0;
}

const feedRows = ticketTables.precompile<
  { siteId: string; after: number; upto: number },
  { version: number; record_json: string }
>((db, p) =>
  db
    .selectFrom('whitelist_feed')
    .select(['version', 'record_json'])
    .where('site_id', '=', p.siteId)
    .where('version', '>', p.after)
    .where('version', '<=', p.upto)
    .orderBy('version'),
);

/** The site's feed rows with versions in (after, upto], oldest first; a range of at most a page, by the caller. */
export async function feedBetween(
  db: Db,
  siteId: string,
  after: number,
  upto: number,
): Promise<FeedRecord[]> {
  const rows = await feedRows.rows(db, { siteId, after, upto });
  return rows.map((row) => ({
    version: Number(row.version),
    record: JSON.parse(row.record_json) as CredentialRecord,
  }));
}

const oldestVersion = ticketTables.precompile<{ siteId: string }, { version: number }>((db, p) =>
  db
    .selectFrom('whitelist_feed')
    .select('version')
    .where('site_id', '=', p.siteId)
    .orderBy('version')
    .limit(1),
);

/** The first version still in the site's feed; null when the feed is empty. */
export async function oldestFeedVersion(db: Db, siteId: string): Promise<number | null> {
  const row = await oldestVersion.first(db, { siteId });
  return row ? Number(row.version) : null;
}

const deleteFeed = ticketTables.precompile<{ siteId: string; below: number; before: number }, never>(
  (db, p) =>
    db
      .deleteFrom('whitelist_feed')
      .where('site_id', '=', p.siteId)
      .where('version', '<', p.below)
      .where('at', '<', p.before),
);

/**
 * Deletes at most `batch` of the site's oldest feed rows written before `before` (one statement on the primary key);
 * returns how many went. A row kept inside the batch (clocks are not strictly monotonic) leaves a hole behind it for
 * one round at most; a catch-up across a hole gets a snapshot, like one from before the oldest row.
 */
export async function pruneFeed(db: Db, siteId: string, before: number, batch: number): Promise<number> {
  const first = await oldestFeedVersion(db, siteId);
  if (first === null) return 0;
  return deleteFeed.changed(db, { siteId, below: first + batch, before });
}
