/**
 * The check that makes the timings mean something: the rollups the queries read equal a full recomputation from the
 * journal and the passages, in SQL, in both directions (rows the rollup has that the recomputation has not, and the
 * reverse). The takings rollups against takings ⋈ payments / items; the hourly entries against the inward passages
 * ⋈ tickets in the site's fixed offset. Over every day, or over a sample of days (BENCH_VERIFY=sample).
 */
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../../src/db/schema.js';

export interface Mismatches {
  readonly money: number;
  readonly items: number;
  readonly hourly: number;
}

async function differences(
  db: Kysely<Database>,
  a: RawBuilder<unknown>,
  b: RawBuilder<unknown>,
): Promise<number> {
  const count = async (x: RawBuilder<unknown>, y: RawBuilder<unknown>) => {
    const { rows } = await sql<{
      n: number | string;
    }>`select count(*) as n from (${x} except ${y}) d`.execute(db);
    return Number(rows[0]!.n);
  };
  return (await count(a, b)) + (await count(b, a));
}

/** `days`: the site-local days to check; undefined: all. `offsetMs`: the site's (fixed) UTC offset. */
export async function rollupMismatches(
  db: Kysely<Database>,
  offsetMs: number,
  days?: readonly number[],
): Promise<Mismatches> {
  const journalDays = days ? sql`and t.day in (${sql.join(days.map((d) => sql.lit(d)))})` : sql``;
  const rollupDays = days ? sql`where day in (${sql.join(days.map((d) => sql.lit(d)))})` : sql``;
  const money = await differences(
    db,
    sql`select t.site_id, t.day, t.source, t.channel, p.method, coalesce(t.window_id, ''), coalesce(t.cashier_id, ''),
               coalesce(t.agency_id, ''), count(distinct t.id), sum(p.amount_fen)
        from takings t join taking_payments p on p.taking_id = t.id where 1 = 1 ${journalDays}
        group by t.site_id, t.day, t.source, t.channel, p.method, coalesce(t.window_id, ''),
                 coalesce(t.cashier_id, ''), coalesce(t.agency_id, '')`,
    sql`select site_id, day, source, channel, method, window_id, cashier_id, agency_id, payments, amount_fen
        from takings_day_money ${rollupDays}`,
  );
  const items = await differences(
    db,
    sql`select t.site_id, t.day, t.source, t.channel, i.type_id, coalesce(t.window_id, ''), coalesce(t.cashier_id, ''),
               coalesce(t.agency_id, ''), sum(i.tickets), sum(i.persons), sum(i.amount_fen)
        from takings t join taking_items i on i.taking_id = t.id where 1 = 1 ${journalDays}
        group by t.site_id, t.day, t.source, t.channel, i.type_id, coalesce(t.window_id, ''),
                 coalesce(t.cashier_id, ''), coalesce(t.agency_id, '')`,
    sql`select site_id, day, source, channel, type_id, window_id, cashier_id, agency_id, tickets, persons, amount_fen
        from takings_day_items ${rollupDays}`,
  );
  const local = sql`(p.at + ${sql.lit(offsetMs)})`;
  const passageDays = days
    ? sql`and (${sql.join(
        days.map(
          (d) =>
            sql`(p.at >= ${sql.lit(d * 86_400_000 - offsetMs)} and p.at < ${sql.lit((d + 1) * 86_400_000 - offsetMs)})`,
        ),
        sql` or `,
      )})`
    : sql``;
  const hourly = await differences(
    db,
    sql`select p.site_id, ${local} / 86400000, (${local} % 86400000) / 3600000, coalesce(t.type_id, 0), count(*),
               sum(p.persons), sum(case when t.persons > 1 then p.persons else 0 end)
        from passage_events p left join tickets t on t.id = p.ticket_id
        where p.kind = 'passage' and p.direction = 'in' ${passageDays}
        group by p.site_id, ${local} / 86400000, (${local} % 86400000) / 3600000, coalesce(t.type_id, 0)`,
    sql`select site_id, day, hour, type_id, entries, persons, group_persons from passage_hourly_entries ${rollupDays}`,
  );
  return { money, items, hourly };
}
