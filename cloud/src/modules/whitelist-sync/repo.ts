/** The whitelist-sync module's SQL: feed heads of every site, the oldest feed version kept, gate registry checks. */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

type Db = Kysely<Database>;

export async function heads(db: Db): Promise<Map<string, number>> {
  const rows = await db.selectFrom('whitelist_heads').select(['site_id', 'version']).execute();
  return new Map(rows.map((row) => [row.site_id, Number(row.version)]));
}

/** The first version still in the site's feed; null when the feed is empty. */
export async function oldestFeedVersion(db: Db, siteId: string): Promise<number | null> {
  const row = await db
    .selectFrom('whitelist_feed')
    .select((eb) => eb.fn.min<number>('version').as('first'))
    .where('site_id', '=', siteId)
    .executeTakeFirst();
  return row?.first === null || row?.first === undefined ? null : Number(row.first);
}

export async function gateOfSite(db: Db, siteId: string, gateId: string): Promise<boolean> {
  const row = await db
    .selectFrom('gates')
    .select('id')
    .where('id', '=', gateId)
    .where('site_id', '=', siteId)
    .where('active', '=', 1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Each gate's last reported whitelist version (state or heartbeat), for lag. */
export async function reportedVersions(db: Db, siteId: string) {
  return db
    .selectFrom('gates')
    .leftJoin('gate_status', 'gate_status.gate_id', 'gates.id')
    .select([
      'gates.id as gateId',
      'gate_status.whitelist_version as version',
      'gate_status.online as online',
    ])
    .where('gates.site_id', '=', siteId)
    .orderBy('gates.id')
    .execute();
}
