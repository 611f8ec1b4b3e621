/**
 * The stock module's SQL. Lists of codes are read and written in chunks so no statement nears either engine's
 * bound-parameter limit. Movements are only ever inserted.
 */

import type { Insertable, Selectable } from 'kysely';
import { type Connection, readModel } from '../../db/scoped.js';
import { findOperatorById } from '../../platform/auth/repo.js';
import { ALL_SITES, type SiteScope, siteCondition } from '../../platform/site-scope.js';
import type {
  StockBatchesTable,
  StockCodesTable,
  StockMovementKind,
  StockMovementsTable,
  StockState,
} from './tables.js';
import { stockTables } from './tables.js';

type Db = Connection;

export type BatchRow = Selectable<StockBatchesTable>;
export type CodeRow = Selectable<StockCodesTable>;
export type MovementRow = Selectable<StockMovementsTable>;
export type NewMovement = Insertable<StockMovementsTable>;

/** 500 rows × at most 13 columns stays far below SQLite's 32766 and PostgreSQL's 65535 parameters. */
const CHUNK = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

export async function insertBatch(db: Db, batch: Insertable<StockBatchesTable>): Promise<BatchRow> {
  return stockTables(db).insertInto('stock_batches').values(batch).returningAll().executeTakeFirstOrThrow();
}

export function findBatch(db: Db, batchId: number, scope: SiteScope): Promise<BatchRow | undefined> {
  return stockTables(db)
    .selectFrom('stock_batches')
    .selectAll()
    .where('id', '=', batchId)
    .where(siteCondition(scope, 'site_id'))
    .executeTakeFirst();
}

export function listBatches(
  db: Db,
  filter: { siteId?: string | undefined; ticketTypeId?: number | undefined; batchId?: number | undefined },
  scope: SiteScope,
): Promise<BatchRow[]> {
  let query = stockTables(db).selectFrom('stock_batches').selectAll().where(siteCondition(scope, 'site_id'));
  if (filter.siteId !== undefined) query = query.where('site_id', '=', filter.siteId);
  if (filter.ticketTypeId !== undefined) query = query.where('ticket_type_id', '=', filter.ticketTypeId);
  if (filter.batchId !== undefined) query = query.where('id', '=', filter.batchId);
  return query.orderBy('id').execute();
}

/** Which of `codes` already exist anywhere in the installation. */
export async function existingCodes(db: Db, codes: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const part of chunks(codes)) {
    const rows = await stockTables(db)
      .selectFrom('stock_codes')
      .select('code')
      .where('code', 'in', part)
      .execute();
    for (const row of rows) found.add(row.code);
  }
  return found;
}

export async function insertCodes(db: Db, rows: readonly Insertable<StockCodesTable>[]): Promise<void> {
  for (const part of chunks(rows)) await stockTables(db).insertInto('stock_codes').values(part).execute();
}

export async function insertMovements(db: Db, rows: readonly NewMovement[]): Promise<void> {
  for (const part of chunks(rows)) await stockTables(db).insertInto('stock_movements').values(part).execute();
}

/** The codes among `codes` that exist in a site of `scope`. */
export async function findCodes(db: Db, codes: readonly string[], scope: SiteScope): Promise<CodeRow[]> {
  const rows: CodeRow[] = [];
  for (const part of chunks(codes))
    rows.push(
      ...(await stockTables(db)
        .selectFrom('stock_codes')
        .selectAll()
        .where('code', 'in', part)
        .where(siteCondition(scope, 'site_id'))
        .execute()),
    );
  return rows;
}

export function codesInRange(
  db: Db,
  batchId: number,
  fromSeq: number,
  toSeq: number,
  scope: SiteScope,
): Promise<CodeRow[]> {
  return stockTables(db)
    .selectFrom('stock_codes')
    .selectAll()
    .where('batch_id', '=', batchId)
    .where(siteCondition(scope, 'site_id'))
    .where('seq', '>=', fromSeq)
    .where('seq', '<=', toSeq)
    .orderBy('seq')
    .execute();
}

export function codesOfBatch(db: Db, batchId: number): Promise<string[]> {
  return stockTables(db)
    .selectFrom('stock_codes')
    .select('code')
    .where('batch_id', '=', batchId)
    .orderBy('seq')
    .execute()
    .then((rows) => rows.map((row) => row.code));
}

/**
 * Moves the given codes to `to`, but only those still in one of `fromStates` (and held by `fromHolder` when given):
 * returns how many rows changed, so the caller can tell whether anything moved under it.
 */
export async function moveCodes(
  db: Db,
  codes: readonly string[],
  condition: { fromStates: readonly StockState[]; fromHolder?: string },
  to: { state: StockState; holderId: string | null; at: number },
): Promise<number> {
  let changed = 0;
  for (const part of chunks(codes)) {
    let query = stockTables(db)
      .updateTable('stock_codes')
      .set({ state: to.state, holder_id: to.holderId, state_changed_at: to.at })
      .where('code', 'in', part)
      .where('state', 'in', condition.fromStates);
    if (condition.fromHolder !== undefined) query = query.where('holder_id', '=', condition.fromHolder);
    const result = await query.executeTakeFirst();
    changed += Number(result.numUpdatedRows);
  }
  return changed;
}

/** The sale's atomic step: issued to this cashier, of this type → sold. Returns whether this call won the code. */
export async function markSold(
  db: Db,
  sale: { code: string; cashierId: string; ticketTypeId: number; ticketId: string; at: number },
): Promise<boolean> {
  const result = await stockTables(db)
    .updateTable('stock_codes')
    .set({ state: 'sold', holder_id: null, ticket_id: sale.ticketId, state_changed_at: sale.at })
    .where('code', '=', sale.code)
    .where('state', '=', 'issued')
    .where('holder_id', '=', sale.cashierId)
    .where('ticket_type_id', '=', sale.ticketTypeId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** sold → voided, for a refunded ticket's stub; false when the code is not a sold stock code. */
export async function markRefundVoided(db: Db, code: string, at: number): Promise<boolean> {
  const result = await stockTables(db)
    .updateTable('stock_codes')
    .set({ state: 'voided', ticket_id: null, state_changed_at: at })
    .where('code', '=', code)
    .where('state', '=', 'sold')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export function findCode(db: Db, code: string, scope: SiteScope = ALL_SITES): Promise<CodeRow | undefined> {
  return stockTables(db)
    .selectFrom('stock_codes')
    .selectAll()
    .where('code', '=', code)
    .where(siteCondition(scope, 'site_id'))
    .executeTakeFirst();
}

/** The operator's username (the auth tables' read, platform/auth/repo.ts). */
export async function findUsername(db: Db, operatorId: string): Promise<string | undefined> {
  return (await findOperatorById(db, operatorId))?.username;
}

/** Read model for the stock report: codes in cashiers' hands (this module's) with the holder's username (auth's). */
const codesWithHolders = readModel<'stock_codes' | 'operators'>();

/** A page of a batch's codes by sequence number, with the holder's username for issued ones. */
export function batchCodesPage(
  db: Db,
  batchId: number,
  filter: { after: number; limit: number; state?: StockState | undefined },
): Promise<(CodeRow & { holder_username: string | null })[]> {
  let query = codesWithHolders(db)
    .selectFrom('stock_codes')
    .leftJoin('operators', 'operators.id', 'stock_codes.holder_id')
    .selectAll('stock_codes')
    .select('operators.username as holder_username')
    .where('stock_codes.batch_id', '=', batchId)
    .where('stock_codes.seq', '>', filter.after);
  if (filter.state !== undefined) query = query.where('stock_codes.state', '=', filter.state);
  return query.orderBy('stock_codes.seq').limit(filter.limit).execute();
}

export function movementsOf(db: Db, code: string): Promise<MovementRow[]> {
  return stockTables(db)
    .selectFrom('stock_movements')
    .selectAll()
    .where('code', '=', code)
    .orderBy('id')
    .execute();
}

export function warehouseCounts(
  db: Db,
  filter: { siteId?: string | undefined },
  scope: SiteScope,
): Promise<{ site_id: string; ticket_type_id: number; n: number }[]> {
  let query = stockTables(db)
    .selectFrom('stock_codes')
    .select((eb) => ['site_id', 'ticket_type_id', eb.fn.countAll<number>().as('n')])
    .where('state', '=', 'in_warehouse')
    .where(siteCondition(scope, 'site_id'));
  if (filter.siteId !== undefined) query = query.where('site_id', '=', filter.siteId);
  return query.groupBy(['site_id', 'ticket_type_id']).orderBy('site_id').orderBy('ticket_type_id').execute();
}

export function cashierCounts(
  db: Db,
  filter: { siteId?: string | undefined; cashierId?: string | undefined },
  scope: SiteScope,
): Promise<{ holder_id: string | null; username: string; ticket_type_id: number; n: number }[]> {
  let query = codesWithHolders(db)
    .selectFrom('stock_codes')
    .innerJoin('operators', 'operators.id', 'stock_codes.holder_id')
    .select((eb) => [
      'stock_codes.holder_id',
      'operators.username',
      'stock_codes.ticket_type_id',
      eb.fn.countAll<number>().as('n'),
    ])
    .where('stock_codes.state', '=', 'issued')
    .where(siteCondition(scope, 'stock_codes.site_id'));
  if (filter.siteId !== undefined) query = query.where('stock_codes.site_id', '=', filter.siteId);
  if (filter.cashierId !== undefined) query = query.where('stock_codes.holder_id', '=', filter.cashierId);
  return query
    .groupBy(['stock_codes.holder_id', 'operators.username', 'stock_codes.ticket_type_id'])
    .orderBy('operators.username')
    .orderBy('stock_codes.ticket_type_id')
    .execute();
}

export function codesHeldBy(
  db: Db,
  cashierId: string,
  scope: SiteScope,
): Promise<{ code: string; ticket_type_id: number }[]> {
  return stockTables(db)
    .selectFrom('stock_codes')
    .select(['code', 'ticket_type_id'])
    .where('state', '=', 'issued')
    .where(siteCondition(scope, 'site_id'))
    .where('holder_id', '=', cashierId)
    .orderBy('ticket_type_id')
    .orderBy('batch_id')
    .orderBy('seq')
    .execute();
}

/** Codes per batch and current state. */
export function stateCountsByBatch(
  db: Db,
  batchIds: readonly number[],
): Promise<{ batch_id: number; state: StockState; n: number }[]> {
  if (batchIds.length === 0) return Promise.resolve([]);
  return stockTables(db)
    .selectFrom('stock_codes')
    .select((eb) => ['batch_id', 'state', eb.fn.countAll<number>().as('n')])
    .where('batch_id', 'in', batchIds)
    .groupBy(['batch_id', 'state'])
    .execute();
}

/** Ledger entries per batch, kind and the state they left. */
export function movementCountsByBatch(
  db: Db,
  batchIds: readonly number[],
): Promise<{ batch_id: number; kind: StockMovementKind; from_state: StockState | null; n: number }[]> {
  if (batchIds.length === 0) return Promise.resolve([]);
  return stockTables(db)
    .selectFrom('stock_movements')
    .select((eb) => ['batch_id', 'kind', 'from_state', eb.fn.countAll<number>().as('n')])
    .where('batch_id', 'in', batchIds)
    .groupBy(['batch_id', 'kind', 'from_state'])
    .execute();
}
