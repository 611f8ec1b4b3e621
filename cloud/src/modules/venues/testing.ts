/**
 * A site layout for tests of other modules (gates over MQTT, commands, the control room): rows written straight to
 * the venue tables with a fixed timestamp, the one place tests outside venues insert a site. No audit entries, so
 * tests that count the operation log see only their own. The site and its zones are idempotent, so a test may add
 * gates to a site seeded before; a gate id that exists already fails, as gate ids are unique installation-wide.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

const SEEDED_AT = 1_700_000_000_000;

export interface SeedZone {
  readonly id: string;
  /** Defaults to the id in both languages. */
  readonly name?: { readonly zh: string; readonly en: string };
  /** Gate ids; each gate is a two-way tripod named after its id. */
  readonly gates: readonly string[];
}

export async function seedLayout(
  db: Kysely<Database>,
  siteId: string,
  zones: readonly SeedZone[],
): Promise<void> {
  const at = SEEDED_AT;
  await db
    .insertInto('sites')
    .values({
      id: siteId,
      name_zh: siteId,
      name_en: siteId,
      timezone: 'Asia/Shanghai',
      daily_capacity: null,
      created_at: at,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  for (const zone of zones) {
    await db
      .insertInto('zones')
      .values({
        site_id: siteId,
        id: zone.id,
        name_zh: zone.name?.zh ?? zone.id,
        name_en: zone.name?.en ?? zone.id,
        capacity: null,
        active: 1,
        created_at: at,
        updated_at: at,
      })
      .onConflict((oc) => oc.columns(['site_id', 'id']).doNothing())
      .execute();
    for (const id of zone.gates) {
      await db
        .insertInto('gates')
        .values({
          id,
          site_id: siteId,
          zone_id: zone.id,
          direction: 'both',
          kind: 'tripod',
          active: 1,
          name_zh: id,
          name_en: id,
          created_at: at,
          updated_at: at,
        })
        .execute();
    }
  }
}
