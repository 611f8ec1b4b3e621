import { type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * Pre-printed ticket stock (门票出入仓). A batch is one print run or one imported list; each code on it is a row
 * whose state (in_warehouse → issued → sold, or voided) and holder are the current truth; every change of state
 * is also appended to `stock_movements`, the ledger the balances are reconciled against. Codes are unique across
 * the installation because a gate cannot tell two sites' stubs apart by the digits alone.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const serialId = postgres ? 'bigint' : 'integer';

  await db.schema
    .createTable('stock_batches')
    .addColumn('id', serialId, (col) =>
      postgres ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement(),
    )
    .addColumn('site_id', 'text', (col) => col.notNull().references('sites.id'))
    .addColumn('ticket_type_id', 'integer', (col) => col.notNull().references('ticket_types.id'))
    .addColumn('count', 'integer', (col) => col.notNull().check(sql`count >= 1`))
    .addColumn('source', 'text', (col) => col.notNull().check(sql`source in ('generated', 'imported')`))
    .addColumn('note', 'text')
    .addColumn('created_by', 'text', (col) => col.references('operators.id'))
    .addColumn('created_by_username', 'text', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('stock_batches_site_type')
    .on('stock_batches')
    .columns(['site_id', 'ticket_type_id'])
    .execute();

  await db.schema
    .createTable('stock_codes')
    .addColumn('code', 'text', (col) => col.primaryKey())
    .addColumn('batch_id', serialId, (col) => col.notNull().references('stock_batches.id'))
    // Position on the print run, 1…count: what a contiguous range of stubs is named by.
    .addColumn('seq', 'integer', (col) => col.notNull().check(sql`seq >= 1`))
    .addColumn('site_id', 'text', (col) => col.notNull())
    .addColumn('ticket_type_id', 'integer', (col) => col.notNull())
    .addColumn('state', 'text', (col) =>
      col.notNull().check(sql`state in ('in_warehouse', 'issued', 'sold', 'voided')`),
    )
    .addColumn('holder_id', 'text', (col) => col.references('operators.id'))
    // No foreign key: tickets belong to the sales module and may be stored elsewhere; the id is kept as text.
    .addColumn('ticket_id', 'text')
    .addColumn('state_changed_at', 'bigint', (col) => col.notNull())
    .addUniqueConstraint('stock_codes_batch_seq_unique', ['batch_id', 'seq'])
    // A holder exactly while issued, a ticket exactly once sold: the states cannot drift from their facts.
    .addCheckConstraint(
      'stock_codes_holder_when_issued',
      sql`(state = 'issued' and holder_id is not null) or (state <> 'issued' and holder_id is null)`,
    )
    .addCheckConstraint(
      'stock_codes_ticket_when_sold',
      sql`(state = 'sold' and ticket_id is not null) or (state <> 'sold' and ticket_id is null)`,
    )
    .execute();
  await db.schema
    .createIndex('stock_codes_site_type_state')
    .on('stock_codes')
    .columns(['site_id', 'ticket_type_id', 'state'])
    .execute();
  await db.schema.createIndex('stock_codes_holder').on('stock_codes').column('holder_id').execute();

  await db.schema
    .createTable('stock_movements')
    .addColumn('id', serialId, (col) =>
      postgres ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement(),
    )
    .addColumn('code', 'text', (col) => col.notNull().references('stock_codes.code'))
    .addColumn('batch_id', serialId, (col) => col.notNull())
    .addColumn('kind', 'text', (col) =>
      col.notNull().check(sql`kind in ('import', 'issue', 'return', 'sell', 'void')`),
    )
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text', (col) => col.notNull())
    .addColumn('from_holder', 'text')
    .addColumn('to_holder', 'text')
    .addColumn('ticket_id', 'text')
    .addColumn('reason', 'text')
    .addColumn('operator_id', 'text')
    .addColumn('operator_username', 'text', (col) => col.notNull())
    .addColumn('at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('stock_movements_code').on('stock_movements').columns(['code', 'id']).execute();
  await db.schema
    .createIndex('stock_movements_batch')
    .on('stock_movements')
    .columns(['batch_id', 'kind'])
    .execute();
}
