/**
 * What the takings journal says about one shift: its money by source and method, its takings by source, its tickets
 * by type. The journal fills `takings.shift_id` only while the shift is open (resolver.ts), so once closed these
 * figures never change.
 */
import type { Connection } from '../../../db/scoped.js';
import type { TakingMethod, TakingSource } from '../contract.js';
import { takingTables } from '../tables.js';

export interface ShiftMoneyRow {
  readonly source: TakingSource;
  readonly method: TakingMethod;
  readonly amountFen: number;
}

export interface ShiftSourceRow {
  readonly source: TakingSource;
  readonly count: number;
  readonly amountFen: number;
  readonly tickets: number;
  readonly persons: number;
}

export interface ShiftItemRow {
  readonly typeId: number;
  readonly tickets: number;
  readonly persons: number;
  readonly amountFen: number;
}

export interface ShiftJournal {
  readonly money: readonly ShiftMoneyRow[];
  readonly sources: readonly ShiftSourceRow[];
  readonly items: readonly ShiftItemRow[];
}

export async function journalOfShift(db: Connection, shiftId: string): Promise<ShiftJournal> {
  const tables = takingTables(db);
  const money = await tables
    .selectFrom('taking_payments as p')
    .innerJoin('takings as t', 't.id', 'p.taking_id')
    .select(['t.source', 'p.method', (eb) => eb.fn.sum<number>('p.amount_fen').as('amount')])
    .where('t.shift_id', '=', shiftId)
    .groupBy(['t.source', 'p.method'])
    .execute();
  const sources = await tables
    .selectFrom('takings')
    .select([
      'source',
      (eb) => eb.fn.countAll<number>().as('count'),
      (eb) => eb.fn.sum<number>('amount_fen').as('amount'),
      (eb) => eb.fn.sum<number>('tickets').as('tickets'),
      (eb) => eb.fn.sum<number>('persons').as('persons'),
    ])
    .where('shift_id', '=', shiftId)
    .groupBy('source')
    .execute();
  const items = await tables
    .selectFrom('taking_items as i')
    .innerJoin('takings as t', 't.id', 'i.taking_id')
    .select([
      'i.type_id',
      (eb) => eb.fn.sum<number>('i.tickets').as('tickets'),
      (eb) => eb.fn.sum<number>('i.persons').as('persons'),
      (eb) => eb.fn.sum<number>('i.amount_fen').as('amount'),
    ])
    .where('t.shift_id', '=', shiftId)
    .groupBy('i.type_id')
    .execute();
  return {
    money: money.map((r) => ({ source: r.source, method: r.method, amountFen: Number(r.amount) })),
    sources: sources.map((r) => ({
      source: r.source,
      count: Number(r.count),
      amountFen: Number(r.amount),
      tickets: Number(r.tickets),
      persons: Number(r.persons),
    })),
    items: items
      .map((r) => ({
        typeId: Number(r.type_id),
        tickets: Number(r.tickets),
        persons: Number(r.persons),
        amountFen: Number(r.amount),
      }))
      .sort((a, b) => a.typeId - b.typeId),
  };
}

/** The takings of a site's day that belong to a shift: which shifts took money that day. */
export async function shiftsWithTakingsOn(db: Connection, siteId: string, day: number): Promise<string[]> {
  const rows = await takingTables(db)
    .selectFrom('takings')
    .select('shift_id')
    .distinct()
    .where('site_id', '=', siteId)
    .where('day', '=', day)
    .where('shift_id', 'is not', null)
    .execute();
  return rows.map((row) => row.shift_id!).sort();
}
