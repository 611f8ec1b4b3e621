/** The points module's SQL: rules, accounts and the ledger. Callers pass a db or a transaction. */
import { type Insertable, type Selectable, sql } from 'kysely';
import type { Connection } from '../../db/scoped.js';
import type { LedgerEntry, PointsRules } from './schemas.js';
import { type PointsLedgerTable, type PointsRulesTable, pointsTables } from './tables.js';

type Db = Connection;

/** A site without rules earns and redeems nothing. */
export function defaultRules(siteId: string): PointsRules {
  return {
    siteId,
    enabled: false,
    pointsPerYuan: 0,
    typeRates: [],
    memberMultiplierPermille: 1_000,
    dateMultipliers: [],
    redeemPointsPerYuan: null,
    expiry: 'never',
    expiryDays: null,
    updatedAt: null,
  };
}

function rulesOf(row: Selectable<PointsRulesTable>): PointsRules {
  const rates = JSON.parse(row.type_rates) as Record<string, number>;
  return {
    siteId: row.site_id,
    enabled: row.enabled === 1,
    pointsPerYuan: row.points_per_yuan,
    typeRates: Object.entries(rates).map(([typeId, pointsPerYuan]) => ({
      typeId: Number(typeId),
      pointsPerYuan,
    })),
    memberMultiplierPermille: row.member_multiplier_permille,
    dateMultipliers: JSON.parse(row.date_multipliers) as PointsRules['dateMultipliers'],
    redeemPointsPerYuan: row.redeem_points_per_yuan,
    expiry: row.expiry,
    expiryDays: row.expiry_days,
    updatedAt: row.updated_at,
  };
}

export async function findRules(db: Db, siteId: string): Promise<PointsRules> {
  const row = await pointsTables(db)
    .selectFrom('points_rules')
    .selectAll()
    .where('site_id', '=', siteId)
    .executeTakeFirst();
  return row ? rulesOf(row) : defaultRules(siteId);
}

export async function saveRules(db: Db, rules: PointsRules & { updatedAt: number }): Promise<void> {
  const row = {
    site_id: rules.siteId,
    enabled: rules.enabled ? 1 : 0,
    points_per_yuan: rules.pointsPerYuan,
    type_rates: JSON.stringify(Object.fromEntries(rules.typeRates.map((r) => [r.typeId, r.pointsPerYuan]))),
    member_multiplier_permille: rules.memberMultiplierPermille,
    date_multipliers: JSON.stringify(rules.dateMultipliers),
    redeem_points_per_yuan: rules.redeemPointsPerYuan,
    expiry: rules.expiry,
    expiry_days: rules.expiryDays,
    updated_at: rules.updatedAt,
  };
  const { site_id: _, ...changes } = row;
  await pointsTables(db)
    .insertInto('points_rules')
    .values(row)
    .onConflict((oc) => oc.column('site_id').doUpdateSet(changes))
    .execute();
}

export async function ensureAccount(db: Db, customerId: string, siteId: string, at: number): Promise<void> {
  await pointsTables(db)
    .insertInto('points_accounts')
    .values({ customer_id: customerId, site_id: siteId, balance: 0, updated_at: at })
    .onConflict((oc) => oc.column('customer_id').doNothing())
    .execute();
}

export async function balanceOf(db: Db, customerId: string): Promise<number | undefined> {
  const row = await pointsTables(db)
    .selectFrom('points_accounts')
    .select('balance')
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
  return row?.balance;
}

/** Adds `points` (negative takes, unconditionally: a reversal may leave the balance below zero); the new balance. */
export async function addToBalance(db: Db, customerId: string, points: number, at: number): Promise<number> {
  const row = await pointsTables(db)
    .updateTable('points_accounts')
    .set({ balance: sql`balance + ${points}`, updated_at: at })
    .where('customer_id', '=', customerId)
    .returning('balance')
    .executeTakeFirstOrThrow();
  return Number(row.balance);
}

/**
 * Takes `points` only if the balance holds them: one conditional UPDATE, so of parallel redemptions exactly those
 * the balance covers succeed. The new balance, or undefined when short (or no account).
 */
export async function takeFromBalance(
  db: Db,
  customerId: string,
  points: number,
  at: number,
): Promise<number | undefined> {
  const row = await pointsTables(db)
    .updateTable('points_accounts')
    .set({ balance: sql`balance - ${points}`, updated_at: at })
    .where('customer_id', '=', customerId)
    .where('balance', '>=', points)
    .returning('balance')
    .executeTakeFirst();
  return row === undefined ? undefined : Number(row.balance);
}

export async function insertEntry(db: Db, entry: Insertable<PointsLedgerTable>): Promise<void> {
  await pointsTables(db).insertInto('points_ledger').values(entry).execute();
}

/**
 * Takes up to `points` from the customer's lots with points left, those expiring first first (a lot that never
 * expires last), `first` (the sale's own accrual, for a reversal) before all. What was taken.
 */
export async function consumeLots(
  db: Db,
  customerId: string,
  points: number,
  first?: number,
): Promise<number> {
  const lots = await pointsTables(db)
    .selectFrom('points_ledger')
    .select(['id', 'remaining'])
    .where('customer_id', '=', customerId)
    .where('remaining', '>', 0)
    .orderBy(sql`case when id = ${first ?? -1} then 0 else 1 end`)
    .orderBy(sql`case when expires_at is null then 1 else 0 end`)
    .orderBy('expires_at')
    .orderBy('id')
    .execute();
  let taken = 0;
  for (const lot of lots) {
    if (taken >= points) break;
    const take = Math.min(points - taken, Number(lot.remaining));
    await pointsTables(db)
      .updateTable('points_ledger')
      .set({ remaining: sql`remaining - ${take}` })
      .where('id', '=', lot.id)
      .execute();
    taken += take;
  }
  return taken;
}

/** The sale's ledger entries (its accrual and redemption, and what refunds took back or returned). */
export async function entriesOfSale(db: Db, saleId: string): Promise<Selectable<PointsLedgerTable>[]> {
  return pointsTables(db)
    .selectFrom('points_ledger')
    .selectAll()
    .where('sale_id', '=', saleId)
    .orderBy('id')
    .execute();
}

/** The points the expiry job wrote off from one lot (a positive number; 0 when none expired). */
export async function expiredOfLot(db: Db, customerId: string, lotId: number): Promise<number> {
  const row = await pointsTables(db)
    .selectFrom('points_ledger')
    .select((eb) => eb.fn.sum<number | string | null>('points').as('points'))
    .where('customer_id', '=', customerId)
    .where('kind', '=', 'expiry')
    .where('lot_id', '=', lotId)
    .executeTakeFirst();
  return -Number(row?.points ?? 0);
}

function entryOf(row: Selectable<PointsLedgerTable>): LedgerEntry {
  return {
    id: Number(row.id),
    kind: row.kind,
    points: row.points,
    balanceAfter: row.balance_after,
    saleId: row.sale_id,
    refundId: row.refund_id,
    fen: row.fen,
    expiresAt: row.expires_at,
    reason: row.reason,
    operator:
      row.operator_username === null ? null : { id: row.operator_id, username: row.operator_username },
    createdAt: row.created_at,
  };
}

/** A page of the customer's ledger, newest first, and how many entries it has. */
export async function ledgerOf(
  db: Db,
  customerId: string,
  page: { readonly limit: number; readonly offset: number },
): Promise<{ entries: LedgerEntry[]; total: number }> {
  const [rows, count] = await Promise.all([
    pointsTables(db)
      .selectFrom('points_ledger')
      .selectAll()
      .where('customer_id', '=', customerId)
      .orderBy('id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    pointsTables(db)
      .selectFrom('points_ledger')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('customer_id', '=', customerId)
      .executeTakeFirst(),
  ]);
  return { entries: rows.map(entryOf), total: Number(count?.n ?? 0) };
}

/** Lots whose points expired with some left, oldest expiry first. */
export async function dueLots(
  db: Db,
  now: number,
  limit: number,
): Promise<{ id: number; customer_id: string; site_id: string; remaining: number }[]> {
  const rows = await pointsTables(db)
    .selectFrom('points_ledger')
    .select(['id', 'customer_id', 'site_id', 'remaining'])
    .where('remaining', '>', 0)
    .where('expires_at', '<=', now)
    .orderBy('expires_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ ...row, id: Number(row.id), remaining: Number(row.remaining) }));
}

/** Empties a lot that still holds `remaining`; false when something took from it meanwhile. */
export async function emptyLot(db: Db, lotId: number, remaining: number): Promise<boolean> {
  const result = await pointsTables(db)
    .updateTable('points_ledger')
    .set({ remaining: 0 })
    .where('id', '=', lotId)
    .where('remaining', '=', remaining)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
