/**
 * One site's live figures from what the owners answer (pure; figures.test.ts). The money and tickets are the
 * takings journal's day rollups, so they agree with every settlement and report by construction:
 * - sales total: the money of window sales, supplements (补票) and group orders (their agency and window money,
 *   credits back included), by tender and by channel; window refunds apart, with their count and tickets;
 * - tickets: issued by sales and group pick-ups, less the unused group tickets closing withdrew;
 * - group persons: persons on group orders' tickets and on group-type tickets sold at the windows (net of refunds and
 *   of unused persons withdrawn) — who came as a group today, by what was sold, not by who has gone in yet.
 */
import { TAKING_METHODS, type TakingSource } from '../takings/contract.js';
import type { TakingsOfDays } from '../takings/reads.js';
import type { LiveFigures } from './schemas.js';

const SALES: readonly TakingSource[] = ['sale', 'supplement', 'order'];
const ISSUING: readonly TakingSource[] = ['sale', 'order'];

export interface FigureInputs {
  readonly siteId: string;
  readonly siteName: { readonly zh: string; readonly en: string };
  readonly timeZone: string;
  readonly date: string;
  readonly at: number;
  readonly version: number;
  readonly takings: TakingsOfDays;
  /** The site's ticket types of kind `group` (a ticket admitting a group). */
  readonly groupTypes: ReadonlySet<number>;
  readonly entries: number;
  readonly inPark: number;
  readonly gates: { readonly online: number; readonly total: number };
}

function sumBy<K extends string>(rows: readonly { key: K; amountFen: number }[]): Map<K, number> {
  const sums = new Map<K, number>();
  for (const row of rows) sums.set(row.key, (sums.get(row.key) ?? 0) + row.amountFen);
  return sums;
}

export function liveFiguresOf(input: FigureInputs): LiveFigures {
  const { money, items, counts } = input.takings;
  const sales = money.filter((m) => SALES.includes(m.source));
  const byMethod = sumBy(sales.map((m) => ({ key: m.method, amountFen: m.amountFen })));
  const byChannel = sumBy(sales.map((m) => ({ key: m.channel, amountFen: m.amountFen })));
  const totalFen = sales.reduce((sum, m) => sum + m.amountFen, 0);
  const refundedFen = money.filter((m) => m.source === 'refund').reduce((sum, m) => sum - m.amountFen, 0);
  let sold = 0;
  let persons = 0;
  let refundedTickets = 0;
  let groupPersons = 0;
  for (const item of items) {
    if (ISSUING.includes(item.source)) {
      sold += item.tickets;
      persons += item.persons;
    }
    if (item.source === 'refund') refundedTickets -= item.tickets;
    if (item.source === 'order' || (item.source !== 'supplement' && input.groupTypes.has(item.typeId)))
      groupPersons += item.persons;
  }
  return {
    siteId: input.siteId,
    siteName: input.siteName,
    timeZone: input.timeZone,
    date: input.date,
    at: input.at,
    version: input.version,
    sales: {
      totalFen,
      byMethod: TAKING_METHODS.filter((method) => (byMethod.get(method) ?? 0) !== 0).map((method) => ({
        method,
        amountFen: byMethod.get(method)!,
      })),
      byChannel: [...byChannel]
        .filter(([, amountFen]) => amountFen !== 0)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([channel, amountFen]) => ({ channel, amountFen })),
    },
    refunds: { count: counts.refund ?? 0, tickets: refundedTickets, amountFen: refundedFen },
    netFen: totalFen - refundedFen,
    tickets: { sold, persons },
    groupPersons,
    entries: input.entries,
    inPark: input.inPark,
    gates: input.gates,
  };
}
