import { type Kysely, sql } from 'kysely';

/**
 * Travel agencies and distributors (旅行社 / 分销商) and their ledger.
 *
 * `agencies.balance_fen` is the agency's money with the venue: a prepaid agency's deposit (never below 0), a credit
 * agency's position (down to −credit_limit_fen). It is only ever changed by one conditional UPDATE that also bumps
 * `ledger_seq` and returns both, and every change appends one `agency_ledger` row carrying that seq and the balance
 * after it, so the ledger is gapless per agency and each row's balance_after is the previous one plus its amount.
 * `last_entry_at` keeps the entries' times non-decreasing in seq (a caller's clock a few ms behind another's is
 * lifted to the last entry's time), so a statement that cuts the ledger by time cuts it by seq, and
 * opening + movements = closing holds for every period.
 *
 * `agency_types` authorises a ticket type with its default settlement price; `agency_type_dated_prices` overrides it
 * on a range of venue-local days (day numbers since 1970-01-01). `agency_operators` links an operator of the
 * `agency` role to the one agency it acts for.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('agencies')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('licence_no', 'text', (col) => col.notNull().unique())
    .addColumn('contacts_json', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull().check(sql`status in ('active', 'suspended')`))
    .addColumn('payment_mode', 'text', (col) =>
      col.notNull().check(sql`payment_mode in ('prepaid', 'credit', 'window')`),
    )
    .addColumn('credit_limit_fen', 'bigint', (col) =>
      col.notNull().defaultTo(0).check(sql`credit_limit_fen >= 0`),
    )
    .addColumn('balance_fen', 'bigint', (col) => col.notNull().defaultTo(0))
    .addColumn('ledger_seq', 'bigint', (col) => col.notNull().defaultTo(0))
    .addColumn('last_entry_at', 'bigint', (col) => col.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('agencies_name').on('agencies').column('name').execute();

  await db.schema
    .createTable('agency_types')
    .addColumn('agency_id', 'text', (col) => col.notNull().references('agencies.id').onDelete('cascade'))
    .addColumn('type_id', 'integer', (col) => col.notNull().references('ticket_types.id'))
    .addColumn('price_fen', 'bigint', (col) => col.notNull().check(sql`price_fen >= 0`))
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('agency_types_pk', ['agency_id', 'type_id'])
    .execute();

  await db.schema
    .createTable('agency_type_dated_prices')
    .addColumn('agency_id', 'text', (col) => col.notNull())
    .addColumn('type_id', 'integer', (col) => col.notNull())
    .addColumn('from_day', 'integer', (col) => col.notNull())
    .addColumn('to_day', 'integer', (col) => col.notNull())
    .addColumn('price_fen', 'bigint', (col) => col.notNull().check(sql`price_fen >= 0`))
    .addPrimaryKeyConstraint('agency_type_dated_prices_pk', ['agency_id', 'type_id', 'from_day'])
    .addForeignKeyConstraint(
      'agency_type_dated_prices_type',
      ['agency_id', 'type_id'],
      'agency_types',
      ['agency_id', 'type_id'],
      (fk) => fk.onDelete('cascade'),
    )
    .addCheckConstraint('agency_type_dated_prices_range', sql`from_day <= to_day`)
    .execute();

  await db.schema
    .createTable('agency_ledger')
    .addColumn('agency_id', 'text', (col) => col.notNull().references('agencies.id'))
    .addColumn('seq', 'bigint', (col) => col.notNull())
    .addColumn('at', 'bigint', (col) => col.notNull())
    .addColumn('kind', 'text', (col) =>
      col
        .notNull()
        .check(
          sql`kind in ('topup', 'order_debit', 'fee', 'cancellation_credit', 'refund_credit', 'adjustment')`,
        ),
    )
    .addColumn('amount_fen', 'bigint', (col) => col.notNull())
    .addColumn('balance_after_fen', 'bigint', (col) => col.notNull())
    .addColumn('order_id', 'text')
    .addColumn('note', 'text')
    .addColumn('actor_id', 'text')
    .addColumn('actor_username', 'text')
    .addPrimaryKeyConstraint('agency_ledger_pk', ['agency_id', 'seq'])
    .execute();
  await db.schema.createIndex('agency_ledger_at').on('agency_ledger').columns(['agency_id', 'at']).execute();
  await db.schema.createIndex('agency_ledger_order').on('agency_ledger').column('order_id').execute();

  await db.schema
    .createTable('agency_operators')
    .addColumn('operator_id', 'text', (col) =>
      col.primaryKey().references('operators.id').onDelete('cascade'),
    )
    .addColumn('agency_id', 'text', (col) => col.notNull().references('agencies.id'))
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('agency_operators_agency').on('agency_operators').column('agency_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('agency_operators').execute();
  await db.schema.dropTable('agency_ledger').execute();
  await db.schema.dropTable('agency_type_dated_prices').execute();
  await db.schema.dropTable('agency_types').execute();
  await db.schema.dropTable('agencies').execute();
}
