/**
 * What other modules may read of the takings (live status): sums of the day rollups of one site over a range of
 * site-local days, and how many takings of each source the journal holds for them. Statements of the takings module,
 * typed on its tables only, on any connection (db/scoped.ts).
 */
import type { Connection } from '../../db/scoped.js';
import type { TakingMethod, TakingSource } from './contract.js';
import { takingTables } from './tables.js';

export interface MoneySum {
  readonly source: TakingSource;
  readonly channel: string;
  readonly method: TakingMethod;
  /** Signed fen: in positive, out negative. */
  readonly amountFen: number;
}

export interface ItemSum {
  readonly source: TakingSource;
  readonly channel: string;
  readonly typeId: number;
  /** Signed: issued positive, taken back negative. */
  readonly tickets: number;
  readonly persons: number;
  readonly amountFen: number;
}

export interface TakingsOfDays {
  /** Money per source, channel and method (windows, cashiers and agencies summed). */
  readonly money: readonly MoneySum[];
  /** Tickets, persons and their money per source, channel and type. */
  readonly items: readonly ItemSum[];
  /** How many takings (sales, refunds, supplements, order changes) the journal holds per source. */
  readonly counts: Readonly<Partial<Record<TakingSource, number>>>;
}

/** The takings of `siteId` on site-local days [fromDay, toDay]: a few rollup rows and one count per source. */
export async function takingsOfDays(
  db: Connection,
  siteId: string,
  fromDay: number,
  toDay: number,
): Promise<TakingsOfDays> {
  const tables = takingTables(db);
  const [money, items, counts] = await Promise.all([
    tables
      .selectFrom('takings_day_money')
      .select((eb) => ['source', 'channel', 'method', eb.fn.sum<number>('amount_fen').as('amount_fen')])
      .where('site_id', '=', siteId)
      .where('day', '>=', fromDay)
      .where('day', '<=', toDay)
      .groupBy(['source', 'channel', 'method'])
      .execute(),
    tables
      .selectFrom('takings_day_items')
      .select((eb) => [
        'source',
        'channel',
        'type_id',
        eb.fn.sum<number>('tickets').as('tickets'),
        eb.fn.sum<number>('persons').as('persons'),
        eb.fn.sum<number>('amount_fen').as('amount_fen'),
      ])
      .where('site_id', '=', siteId)
      .where('day', '>=', fromDay)
      .where('day', '<=', toDay)
      .groupBy(['source', 'channel', 'type_id'])
      .execute(),
    tables
      .selectFrom('takings')
      .select((eb) => ['source', eb.fn.countAll<number>().as('n')])
      .where('site_id', '=', siteId)
      .where('day', '>=', fromDay)
      .where('day', '<=', toDay)
      .groupBy('source')
      .execute(),
  ]);
  return {
    money: money.map((r) => ({
      source: r.source,
      channel: r.channel,
      method: r.method,
      amountFen: Number(r.amount_fen),
    })),
    items: items.map((r) => ({
      source: r.source,
      channel: r.channel,
      typeId: Number(r.type_id),
      tickets: Number(r.tickets),
      persons: Number(r.persons),
      amountFen: Number(r.amount_fen),
    })),
    counts: Object.fromEntries(counts.map((r) => [r.source, Number(r.n)])),
  };
}
