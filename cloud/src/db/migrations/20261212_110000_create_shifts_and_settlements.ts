import { type Kysely, sql } from 'kysely';

/**
 * Cashier shifts (交接班 / 营业员日结) and the day and month settlements (日结 / 月结) (modules/takings/shifts,
 * modules/takings/settlements).
 * - `till_shifts`: one cashier's till at one window from open to close. At most one open shift per cashier and
 *   window, enforced by a partial unique index (both engines), so of two parallel opens exactly one inserts; the
 *   takings journal's `shift_id` points here. Closing writes the count, the expected cash and the variance once
 *   (a conditional UPDATE on `state`); a closed shift never changes again, and a shift that was handed over is
 *   taken over at most once (unique `handover_from`).
 * - `till_shift_events`: the float, drops to the safe (上缴), payouts (支出), the handover and adjustments (a
 *   correction after close, on the day it was made; `settled_day` is the day settlement that counted it).
 * - `settlement_days` / `settlement_months`: a closed day's or month's report, frozen as JSON when it closed, so a
 *   closed period reads the same forever; a day also keeps the figures it closed with and what was carried out of it
 *   later (takings of that day recorded after its close), so the next closed day carries them in.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('till_shifts')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('site_id', 'text', (col) => col.notNull())
    .addColumn('window_id', 'text', (col) => col.notNull())
    .addColumn('cashier_id', 'text', (col) => col.notNull())
    .addColumn('cashier_username', 'text', (col) => col.notNull())
    .addColumn('state', 'text', (col) =>
      col.notNull().check(sql`state in ('open', 'pending_approval', 'closed')`),
    )
    .addColumn('blind', 'integer', (col) => col.notNull())
    .addColumn('float_fen', 'bigint', (col) => col.notNull())
    .addColumn('handover_from', 'text')
    .addColumn('handover_to_cashier_id', 'text')
    .addColumn('opened_at', 'bigint', (col) => col.notNull())
    .addColumn('open_day', 'integer', (col) => col.notNull())
    .addColumn('closed_at', 'bigint')
    .addColumn('close_day', 'integer')
    .addColumn('closed_by_id', 'text')
    .addColumn('closed_by_username', 'text')
    .addColumn('counted_cash_fen', 'bigint')
    .addColumn('denominations_json', 'text')
    .addColumn('recorded_json', 'text')
    .addColumn('expected_cash_fen', 'bigint')
    .addColumn('variance_fen', 'bigint')
    .addColumn('threshold_fen', 'bigint')
    .addColumn('close_note', 'text')
    .addColumn('approved_at', 'bigint')
    .addColumn('approved_by_id', 'text')
    .addColumn('approved_by_username', 'text')
    .addColumn('approval_note', 'text')
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('till_shifts_one_open')
    .unique()
    .on('till_shifts')
    .columns(['site_id', 'window_id', 'cashier_id'])
    .where(sql.ref('state'), '=', 'open')
    .execute();
  await db.schema
    .createIndex('till_shifts_handover_from')
    .unique()
    .on('till_shifts')
    .column('handover_from')
    .where(sql.ref('handover_from'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('till_shifts_site_open_day')
    .on('till_shifts')
    .columns(['site_id', 'open_day'])
    .execute();
  await db.schema
    .createIndex('till_shifts_cashier_state')
    .on('till_shifts')
    .columns(['cashier_id', 'state'])
    .execute();

  await db.schema
    .createTable('till_shift_events')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('shift_id', 'text', (col) => col.notNull().references('till_shifts.id'))
    .addColumn('site_id', 'text', (col) => col.notNull())
    .addColumn('kind', 'text', (col) =>
      col.notNull().check(sql`kind in ('float', 'drop', 'payout', 'handover', 'adjustment')`),
    )
    .addColumn('method', 'text', (col) =>
      col
        .notNull()
        .check(sql`method in ('cash', 'bank_card', 'wechat', 'alipay', 'points', 'agency_account')`),
    )
    .addColumn('amount_fen', 'bigint', (col) => col.notNull())
    .addColumn('reason', 'text')
    .addColumn('at', 'bigint', (col) => col.notNull())
    .addColumn('day', 'integer', (col) => col.notNull())
    .addColumn('by_id', 'text')
    .addColumn('by_username', 'text', (col) => col.notNull())
    .addColumn('settled_day', 'integer')
    .execute();
  await db.schema.createIndex('till_shift_events_shift').on('till_shift_events').column('shift_id').execute();
  await db.schema
    .createIndex('till_shift_events_unsettled')
    .on('till_shift_events')
    .columns(['site_id', 'day'])
    .where(sql.ref('settled_day'), 'is', null)
    .execute();
  await db.schema
    .createIndex('till_shift_events_settled')
    .on('till_shift_events')
    .columns(['site_id', 'settled_day'])
    .execute();

  await db.schema
    .createTable('settlement_days')
    .addColumn('site_id', 'text', (col) => col.notNull())
    .addColumn('day', 'integer', (col) => col.notNull())
    .addColumn('closed_at', 'bigint', (col) => col.notNull())
    .addColumn('closed_by_id', 'text')
    .addColumn('closed_by_username', 'text', (col) => col.notNull())
    .addColumn('report_json', 'text', (col) => col.notNull())
    .addColumn('figures_json', 'text', (col) => col.notNull())
    .addColumn('carried_out_json', 'text', (col) => col.notNull())
    .addColumn('late_open', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('settlement_days_pk', ['site_id', 'day'])
    .execute();

  await db.schema
    .createTable('settlement_months')
    .addColumn('site_id', 'text', (col) => col.notNull())
    .addColumn('month', 'text', (col) => col.notNull())
    .addColumn('closed_at', 'bigint', (col) => col.notNull())
    .addColumn('closed_by_id', 'text')
    .addColumn('closed_by_username', 'text', (col) => col.notNull())
    .addColumn('report_json', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('settlement_months_pk', ['site_id', 'month'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['settlement_months', 'settlement_days', 'till_shift_events', 'till_shifts'])
    await db.schema.dropTable(table).execute();
}
