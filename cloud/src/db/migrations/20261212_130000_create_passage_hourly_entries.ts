import { type Kysely, type RawBuilder, sql } from 'kysely';

/**
 * The hourly entries (modules/passages/hourly.ts): inward passages per site, site-local day and hour, and ticket
 * type, with the persons they let in and how many of those came on a group ticket. Kept by the passage ingestion
 * from now on; filled here from the passages stored before, in each site's own zone.
 *
 * A site's zone may change its UTC offset (daylight saving time), so the stored passages are summed in stretches of
 * one offset each, found here with Intl (self-contained: a migration must not change when shared code does); the
 * local day and hour are then integer arithmetic on `at` in SQL. Stretches that meet in one local hour (the hour
 * repeated when clocks go back) add up through the upsert.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('passage_hourly_entries')
    .addColumn('site_id', 'text', (col) => col.notNull())
    .addColumn('day', 'integer', (col) => col.notNull())
    .addColumn('hour', 'integer', (col) => col.notNull().check(sql`hour >= 0 and hour < 24`))
    .addColumn('type_id', 'integer', (col) => col.notNull())
    .addColumn('entries', 'integer', (col) => col.notNull())
    .addColumn('persons', 'integer', (col) => col.notNull())
    .addColumn('group_persons', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('passage_hourly_entries_pk', ['site_id', 'day', 'hour', 'type_id'])
    .execute();

  const { rows: sites } = await sql<{ id: string; timezone: string }>`select id, timezone from sites`.execute(
    db,
  );
  for (const site of sites) {
    const { rows } = await sql<{ first: number | string | null; last: number | string | null }>`
      select min(at) as first, max(at) as last from passage_events
      where site_id = ${site.id} and kind = 'passage' and direction = 'in'`.execute(db);
    const first = rows[0]?.first;
    const last = rows[0]?.last;
    if (first === null || first === undefined || last === null || last === undefined) continue;
    for (const stretch of offsetStretches(site.timezone, Number(first), Number(last) + 1))
      await addStretch(db, sql`p.site_id = ${site.id}`, stretch);
  }
  // Passages of a site no longer registered: counted in UTC rather than lost.
  await addStretch(db, sql`p.site_id not in (select id from sites)`, {
    from: Number.MIN_SAFE_INTEGER,
    to: Number.MAX_SAFE_INTEGER,
    offsetMs: 0,
  });
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('passage_hourly_entries').execute();
}

interface Stretch {
  readonly from: number;
  readonly to: number;
  readonly offsetMs: number;
}

async function addStretch(db: Kysely<unknown>, sites: RawBuilder<unknown>, stretch: Stretch): Promise<void> {
  // The offset and bounds are integers computed here: literals, so both engines see plain integer arithmetic.
  const local = sql`(p.at + ${sql.lit(stretch.offsetMs)})`;
  await sql`
    insert into passage_hourly_entries (site_id, day, hour, type_id, entries, persons, group_persons)
    select p.site_id, ${local} / 86400000, (${local} % 86400000) / 3600000, coalesce(t.type_id, 0),
           count(*), sum(p.persons), sum(case when t.persons > 1 then p.persons else 0 end)
    from passage_events p
    left join tickets t on t.id = p.ticket_id
    where ${sites} and p.kind = 'passage' and p.direction = 'in'
      and p.at >= ${sql.lit(stretch.from)} and p.at < ${sql.lit(stretch.to)}
    group by p.site_id, ${local} / 86400000, (${local} % 86400000) / 3600000, coalesce(t.type_id, 0)
    on conflict (site_id, day, hour, type_id) do update set
      entries = passage_hourly_entries.entries + excluded.entries,
      persons = passage_hourly_entries.persons + excluded.persons,
      group_persons = passage_hourly_entries.group_persons + excluded.group_persons`.execute(db);
}

/** The zone's UTC offset at an instant (whole seconds), from Intl. */
function offsetAt(format: Intl.DateTimeFormat, ms: number): number {
  const whole = Math.floor(ms / 1000) * 1000;
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(whole)) parts[part.type] = Number(part.value);
  const wall = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return wall - whole;
}

/** [from, to) cut where the zone's offset changes; days are checked, a change is then found to the second. */
export function offsetStretches(timeZone: string, from: number, to: number): Stretch[] {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    return [{ from, to, offsetMs: 0 }];
  }
  const stretches: Stretch[] = [];
  let start = from;
  let offset = offsetAt(format, from);
  for (let probe = from + 86_400_000; ; probe += 86_400_000) {
    const at = Math.min(probe, to - 1);
    const next = offsetAt(format, at);
    if (next !== offset) {
      // The change lies in (at − 1 day, at]: find the first whole second with the new offset.
      let lo = Math.floor(Math.max(start, at - 86_400_000) / 1000);
      let hi = Math.floor(at / 1000);
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (offsetAt(format, mid * 1000) === offset) lo = mid;
        else hi = mid;
      }
      stretches.push({ from: start, to: hi * 1000, offsetMs: offset });
      start = hi * 1000;
      offset = next;
    }
    if (at >= to - 1) break;
  }
  stretches.push({ from: start, to, offsetMs: offset });
  return stretches;
}
