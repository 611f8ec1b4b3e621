import { type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * Points (积分): each site's rules, one account per customer and the ledger.
 * - `points_rules`: one row per site; a site without one earns nothing and redeems nothing.
 * - `points_accounts.balance` is what a redemption is decided on: one conditional UPDATE (`balance >= n`), so
 *   parallel redemptions never overdraw. A reversal (a refund of a sale whose points were already spent) may take
 *   it below zero: the customer owes those points, and later accruals pay them back first.
 * - `points_ledger` has one row per movement with the balance after it. An accrual is also a lot: `remaining` is
 *   what of it is still unspent and `expires_at` when that expires; spending takes from the lots that expire first,
 *   and the expiry job writes one `expiry` entry per lot that expired with points left.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('points_rules')
    .addColumn('site_id', 'text', (col) => col.primaryKey().references('sites.id'))
    .addColumn('enabled', 'integer', (col) => col.notNull().check(sql`enabled in (0, 1)`))
    .addColumn('points_per_yuan', 'integer', (col) => col.notNull().check(sql`points_per_yuan >= 0`))
    .addColumn('type_rates', 'text', (col) => col.notNull().defaultTo('{}'))
    .addColumn('member_multiplier_permille', 'integer', (col) =>
      col.notNull().check(sql`member_multiplier_permille >= 0`),
    )
    .addColumn('date_multipliers', 'text', (col) => col.notNull().defaultTo('[]'))
    .addColumn('redeem_points_per_yuan', 'integer', (col) => col.check(sql`redeem_points_per_yuan >= 1`))
    .addColumn('expiry', 'text', (col) => col.notNull().check(sql`expiry in ('never', 'days', 'year_after')`))
    .addColumn('expiry_days', 'integer', (col) => col.check(sql`expiry_days >= 1`))
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('points_accounts')
    .addColumn('customer_id', 'text', (col) => col.primaryKey().references('customers.id'))
    .addColumn('site_id', 'text', (col) => col.notNull().references('sites.id'))
    .addColumn('balance', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('points_ledger')
    .addColumn('id', postgres ? 'bigint' : 'integer', (col) =>
      postgres ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement(),
    )
    .addColumn('customer_id', 'text', (col) => col.notNull().references('customers.id'))
    .addColumn('site_id', 'text', (col) => col.notNull())
    .addColumn('kind', 'text', (col) =>
      col
        .notNull()
        .check(
          sql`kind in ('accrual', 'reversal', 'redemption', 'redemption_reversal', 'adjustment', 'expiry')`,
        ),
    )
    .addColumn('points', 'bigint', (col) => col.notNull())
    .addColumn('balance_after', 'bigint', (col) => col.notNull())
    .addColumn('sale_id', 'text')
    .addColumn('refund_id', 'text')
    .addColumn('fen', 'bigint')
    .addColumn('basis_fen', 'bigint')
    .addColumn('remaining', 'bigint', (col) => col.notNull().defaultTo(0).check(sql`remaining >= 0`))
    .addColumn('expires_at', 'bigint')
    .addColumn('lot_id', 'bigint')
    .addColumn('reason', 'text')
    .addColumn('operator_id', 'text')
    .addColumn('operator_username', 'text')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('points_ledger_customer')
    .on('points_ledger')
    .columns(['customer_id', 'id'])
    .execute();
  await db.schema.createIndex('points_ledger_sale').on('points_ledger').column('sale_id').execute();
  await db.schema
    .createIndex('points_ledger_open_lots')
    .on('points_ledger')
    .columns(['expires_at'])
    .where(sql.ref('remaining'), '>', 0)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('points_ledger').execute();
  await db.schema.dropTable('points_accounts').execute();
  await db.schema.dropTable('points_rules').execute();
}
