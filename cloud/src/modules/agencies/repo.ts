/**
 * The agencies module's SQL. A balance changes only through `move`: one UPDATE that adds the amount, bumps the
 * ledger seq and lifts the last entry's time, guarded (for debits) by the payment mode's floor in its own WHERE — so
 * the affected-row count is the verdict, and parallel debits can never overdraw on either engine. The ledger row
 * is then written with the seq and balance that UPDATE returned.
 */

import { type Selectable, sql } from 'kysely';
import type { Connection } from '../../db/scoped.js';
import {
  type AgenciesTable,
  type AgencyLedgerTable,
  type AgencyTypeDatedPricesTable,
  type AgencyTypesTable,
  agencyTables,
} from './tables.js';

type Db = Connection;
export type AgencyRow = Selectable<AgenciesTable>;
export type AgencyTypeRow = Selectable<AgencyTypesTable>;
export type DatedPriceRow = Selectable<AgencyTypeDatedPricesTable>;
export type LedgerRow = Selectable<AgencyLedgerTable>;

// A partner's order reads its agency and moves its money (hold and confirm): these statements compiled once
// (db/precompiled.ts).
const agencyById = agencyTables.precompile<{ id: string }, AgencyRow>((db, p) =>
  db.selectFrom('agencies').selectAll().where('id', '=', p.id),
);

export async function findAgency(db: Db, id: string): Promise<AgencyRow | undefined> {
  return agencyById.first(db, { id });
}

export async function insertAgency(db: Db, row: AgencyRow): Promise<void> {
  await agencyTables(db).insertInto('agencies').values(row).execute();
}

export async function updateAgency(
  db: Db,
  id: string,
  changes: Partial<
    Pick<
      AgencyRow,
      'name' | 'licence_no' | 'contacts_json' | 'status' | 'payment_mode' | 'credit_limit_fen' | 'updated_at'
    >
  >,
): Promise<void> {
  await agencyTables(db).updateTable('agencies').set(changes).where('id', '=', id).execute();
}

/** Keyset paging on id; `status` filters when given. */
export async function listAgencies(
  db: Db,
  filter: { readonly status?: string | undefined },
  page: { readonly limit: number; readonly after?: string | undefined },
): Promise<{ rows: AgencyRow[]; next: string | null }> {
  let query = agencyTables(db).selectFrom('agencies').selectAll();
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (page.after !== undefined) query = query.where('id', '>', page.after);
  const rows = await query
    .orderBy('id')
    .limit(page.limit + 1)
    .execute();
  const more = rows.length > page.limit;
  const kept = more ? rows.slice(0, page.limit) : rows;
  return { rows: kept, next: more ? kept.at(-1)!.id : null };
}

export interface Moved {
  readonly balance_fen: number;
  readonly ledger_seq: number;
  readonly last_entry_at: number;
}

/**
 * Adds `amount` (signed fen) to the balance and takes the next ledger seq, in one statement. With `guard: 'debit'`
 * it changes nothing unless the agency pays by prepaid and stays at or above 0, or by credit and stays at or above
 * minus its limit; undefined then (or for an unknown agency) — the caller reads the agency to say which. The entry's
 * time is `at`, or the last entry's when that is later (times never go back within one agency's ledger).
 */
function moveStatement(guard: 'none' | 'debit') {
  return agencyTables.precompile<{ id: string; amount: number; at: number }, Moved>((db, p) => {
    let query = db
      .updateTable('agencies')
      .set({
        balance_fen: sql`balance_fen + ${p.amount}`,
        ledger_seq: sql`ledger_seq + 1`,
        last_entry_at: sql`case when last_entry_at > cast(${p.at} as bigint) then last_entry_at else cast(${p.at} as bigint) end`,
      })
      .where('id', '=', p.id);
    if (guard === 'debit')
      query = query.where(
        sql<boolean>`((payment_mode = 'prepaid' and balance_fen + ${p.amount} >= 0)
          or (payment_mode = 'credit' and balance_fen + ${p.amount} >= -credit_limit_fen))`,
      );
    return query.returning(['balance_fen', 'ledger_seq', 'last_entry_at']);
  });
}
const moves = { none: moveStatement('none'), debit: moveStatement('debit') };

export async function move(
  db: Db,
  id: string,
  amount: number,
  at: number,
  guard: 'none' | 'debit',
): Promise<Moved | undefined> {
  return moves[guard].first(db, { id, amount, at });
}

const insertLedgerRow = agencyTables.precompile<LedgerRow, never>((db, p) =>
  db.insertInto('agency_ledger').values({
    agency_id: p.agency_id,
    seq: p.seq,
    at: p.at,
    kind: p.kind,
    amount_fen: p.amount_fen,
    balance_after_fen: p.balance_after_fen,
    order_id: p.order_id,
    note: p.note,
    actor_id: p.actor_id,
    actor_username: p.actor_username,
  }),
);

export async function insertLedger(db: Db, row: LedgerRow): Promise<void> {
  await insertLedgerRow.rows(db, row);
}

/** Newest first; `before` is the seq the previous page ended at. */
export async function listLedger(
  db: Db,
  agencyId: string,
  page: { readonly limit: number; readonly before?: number | undefined },
  range: { readonly from?: number | undefined; readonly to?: number | undefined } = {},
): Promise<{ rows: LedgerRow[]; next: number | null }> {
  let query = agencyTables(db).selectFrom('agency_ledger').selectAll().where('agency_id', '=', agencyId);
  if (page.before !== undefined) query = query.where('seq', '<', page.before);
  if (range.from !== undefined) query = query.where('at', '>=', range.from);
  if (range.to !== undefined) query = query.where('at', '<', range.to);
  const rows = await query
    .orderBy('seq', 'desc')
    .limit(page.limit + 1)
    .execute();
  const more = rows.length > page.limit;
  const kept = more ? rows.slice(0, page.limit) : rows;
  return { rows: kept, next: more ? kept.at(-1)!.seq : null };
}

/** The balance after the last entry before `instant` (0 before the first entry). */
export async function balanceBefore(db: Db, agencyId: string, instant: number): Promise<number> {
  const row = await agencyTables(db)
    .selectFrom('agency_ledger')
    .select('balance_after_fen')
    .where('agency_id', '=', agencyId)
    .where('at', '<', instant)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.balance_after_fen ?? 0;
}

/** Per kind over [from, to): the count, the sum of positive amounts and the sum of negative ones. */
export function sumsByKind(
  db: Db,
  agencyId: string,
  from: number,
  to: number,
): Promise<{ kind: string; count: number; plus: number | null; minus: number | null }[]> {
  return agencyTables(db)
    .selectFrom('agency_ledger')
    .select((eb) => [
      'kind',
      eb.fn.countAll<number>().as('count'),
      eb.fn.sum<number | null>(sql`case when amount_fen > 0 then amount_fen else 0 end`).as('plus'),
      eb.fn.sum<number | null>(sql`case when amount_fen < 0 then -amount_fen else 0 end`).as('minus'),
    ])
    .where('agency_id', '=', agencyId)
    .where('at', '>=', from)
    .where('at', '<', to)
    .groupBy('kind')
    .execute();
}

export async function listTypes(
  db: Db,
  agencyId: string,
): Promise<{ types: AgencyTypeRow[]; dated: DatedPriceRow[] }> {
  const [types, dated] = await Promise.all([
    agencyTables(db)
      .selectFrom('agency_types')
      .selectAll()
      .where('agency_id', '=', agencyId)
      .orderBy('type_id')
      .execute(),
    agencyTables(db)
      .selectFrom('agency_type_dated_prices')
      .selectAll()
      .where('agency_id', '=', agencyId)
      .orderBy('type_id')
      .orderBy('from_day')
      .execute(),
  ]);
  return { types, dated };
}

export async function findType(db: Db, agencyId: string, typeId: number): Promise<AgencyTypeRow | undefined> {
  return agencyTables(db)
    .selectFrom('agency_types')
    .selectAll()
    .where('agency_id', '=', agencyId)
    .where('type_id', '=', typeId)
    .executeTakeFirst();
}

export async function datedPricesOf(db: Db, agencyId: string, typeId: number): Promise<DatedPriceRow[]> {
  return agencyTables(db)
    .selectFrom('agency_type_dated_prices')
    .selectAll()
    .where('agency_id', '=', agencyId)
    .where('type_id', '=', typeId)
    .orderBy('from_day')
    .execute();
}

/** The settlement terms of the given types: default prices, and the dated ones covering [fromDay, toDay]. */
/** The terms' two reads, compiled once per number of types asked (an order names one type or a few). */
const termsStatements = new Map<number, ReturnType<typeof termsStatementsFor>>();

function termsStatementsFor(count: number) {
  type P = Record<string, unknown>;
  const ids = (p: P) => Array.from({ length: count }, (_, i) => p[`t${i}`] as number);
  return {
    types: agencyTables.precompile<P, AgencyTypeRow>((db, p) =>
      db
        .selectFrom('agency_types')
        .selectAll()
        .where('agency_id', '=', p.agencyId as string)
        .where('type_id', 'in', ids(p)),
    ),
    dated: agencyTables.precompile<P, DatedPriceRow>((db, p) =>
      db
        .selectFrom('agency_type_dated_prices')
        .selectAll()
        .where('agency_id', '=', p.agencyId as string)
        .where('type_id', 'in', ids(p))
        .where('from_day', '<=', p.toDay as number)
        .where('to_day', '>=', p.fromDay as number),
    ),
  };
}

export async function termsOf(
  db: Db,
  agencyId: string,
  typeIds: readonly number[],
  fromDay: number,
  toDay: number,
): Promise<{ types: AgencyTypeRow[]; dated: DatedPriceRow[] }> {
  if (typeIds.length === 0) return { types: [], dated: [] };
  let statements = termsStatements.get(typeIds.length);
  if (!statements) {
    statements = termsStatementsFor(typeIds.length);
    termsStatements.set(typeIds.length, statements);
  }
  const params: Record<string, unknown> = { agencyId, fromDay, toDay };
  for (const [i, typeId] of typeIds.entries()) params[`t${i}`] = typeId;
  const [types, dated] = await Promise.all([
    statements.types.rows(db, params),
    statements.dated.rows(db, params),
  ]);
  return { types, dated };
}

/** Replaces the type's authorisation (default price and dated prices) with the given one. */
export async function putType(db: Db, row: AgencyTypeRow, dated: readonly DatedPriceRow[]): Promise<void> {
  const tables = agencyTables(db);
  await tables
    .insertInto('agency_types')
    .values(row)
    .onConflict((oc) =>
      oc
        .columns(['agency_id', 'type_id'])
        .doUpdateSet({ price_fen: row.price_fen, updated_at: row.updated_at }),
    )
    .execute();
  await tables
    .deleteFrom('agency_type_dated_prices')
    .where('agency_id', '=', row.agency_id)
    .where('type_id', '=', row.type_id)
    .execute();
  if (dated.length > 0)
    await tables
      .insertInto('agency_type_dated_prices')
      .values([...dated])
      .execute();
}

/** Withdraws the authorisation (its dated prices go with it); false when there was none. */
export async function deleteType(db: Db, agencyId: string, typeId: number): Promise<boolean> {
  const tables = agencyTables(db);
  await tables
    .deleteFrom('agency_type_dated_prices')
    .where('agency_id', '=', agencyId)
    .where('type_id', '=', typeId)
    .execute();
  const result = await tables
    .deleteFrom('agency_types')
    .where('agency_id', '=', agencyId)
    .where('type_id', '=', typeId)
    .executeTakeFirst();
  return result.numDeletedRows === 1n;
}

export async function agencyOfOperator(db: Db, operatorId: string): Promise<string | undefined> {
  const row = await agencyTables(db)
    .selectFrom('agency_operators')
    .select('agency_id')
    .where('operator_id', '=', operatorId)
    .executeTakeFirst();
  return row?.agency_id;
}

export async function operatorsOf(
  db: Db,
  agencyId: string,
): Promise<{ operator_id: string; created_at: number }[]> {
  return agencyTables(db)
    .selectFrom('agency_operators')
    .select(['operator_id', 'created_at'])
    .where('agency_id', '=', agencyId)
    .orderBy('operator_id')
    .execute();
}

/** Links the operator to the agency, replacing any earlier link (an operator acts for one agency). */
export async function linkOperator(db: Db, operatorId: string, agencyId: string, now: number): Promise<void> {
  await agencyTables(db)
    .insertInto('agency_operators')
    .values({ operator_id: operatorId, agency_id: agencyId, created_at: now })
    .onConflict((oc) => oc.column('operator_id').doUpdateSet({ agency_id: agencyId, created_at: now }))
    .execute();
}

export async function unlinkOperator(db: Db, operatorId: string, agencyId: string): Promise<boolean> {
  const result = await agencyTables(db)
    .deleteFrom('agency_operators')
    .where('operator_id', '=', operatorId)
    .where('agency_id', '=', agencyId)
    .executeTakeFirst();
  return result.numDeletedRows === 1n;
}
