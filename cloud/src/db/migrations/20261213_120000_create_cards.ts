import { type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * IC cards and wristbands with their own status (modules/cards).
 * - `cards`: one row per physical card (its normalised UID) once it has been issued: its status, the ticket it is
 *   bound to and the deposit (押金) it holds. The gates still find a ticket by `tickets.card_uid` (the whitelist
 *   record); this row says what the card is, and every change of it changes the ticket's `card_uid` in the same
 *   transaction. A card never issued has no row and counts as in stock.
 * - `card_events`: the card's history, append-only (issue, lost, blocked, replace, return, recycle), with the money
 *   each moved (signed fen: the deposit charged positive, refunded negative).
 * - `card_returns`: a card handed back at the window with its deposit refunded, keyed by the cashier's
 *   Idempotency-Key like sales and refunds.
 * - `card_deposit_rates`: the deposit each site charges per card, in fen (none: no deposit).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const statuses = sql`status in ('in_stock', 'issued', 'lost', 'blocked', 'returned', 'recycled')`;
  await db.schema
    .createTable('cards')
    .addColumn('uid', 'text', (col) => col.primaryKey())
    .addColumn('site_id', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull().check(statuses))
    .addColumn('ticket_id', 'bigint')
    .addColumn('deposit_fen', 'bigint', (col) => col.notNull().check(sql`deposit_fen >= 0`))
    .addColumn('replaced_by', 'text')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('cards_ticket').on('cards').column('ticket_id').execute();

  await db.schema
    .createTable('card_events')
    .addColumn('id', postgres ? 'bigint' : 'integer', (col) =>
      postgres ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement(),
    )
    .addColumn('uid', 'text', (col) => col.notNull())
    .addColumn('site_id', 'text', (col) => col.notNull())
    .addColumn('at', 'bigint', (col) => col.notNull())
    .addColumn('action', 'text', (col) => col.notNull())
    .addColumn('ticket_id', 'bigint')
    .addColumn('deposit_fen', 'bigint', (col) => col.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('other_uid', 'text')
    .addColumn('source_id', 'text')
    .execute();
  await db.schema.createIndex('card_events_uid').on('card_events').columns(['uid', 'id']).execute();

  await db.schema
    .createTable('card_returns')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('uid', 'text', (col) => col.notNull())
    .addColumn('site_id', 'text', (col) => col.notNull())
    .addColumn('ticket_id', 'bigint', (col) => col.notNull())
    .addColumn('window_id', 'text', (col) => col.notNull())
    .addColumn('cashier_id', 'text', (col) => col.notNull())
    .addColumn('idempotency_key', 'text', (col) => col.notNull())
    .addColumn('request_hash', 'text', (col) => col.notNull())
    .addColumn('method', 'text', (col) => col.notNull())
    .addColumn('deposit_fen', 'bigint', (col) => col.notNull())
    .addColumn('at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('card_returns_key')
    .on('card_returns')
    .columns(['cashier_id', 'idempotency_key'])
    .unique()
    .execute();

  await db.schema
    .createTable('card_deposit_rates')
    .addColumn('site_id', 'text', (col) => col.primaryKey())
    .addColumn('deposit_fen', 'bigint', (col) => col.notNull().check(sql`deposit_fen >= 0`))
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['card_deposit_rates', 'card_returns', 'card_events', 'cards'])
    await db.schema.dropTable(table).execute();
}
