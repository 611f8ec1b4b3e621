import { type Kysely, sql } from 'kysely';

/**
 * Group orders (团队订单): one row per order with its lines, visitors, window payments, issued tickets and the log of
 * its state transitions. `(reference_scope, reference)` is unique: the client's own reference, per agency (or per
 * creating operator without one), makes a retried create find the order it already made; `request_hash` lets a
 * reused reference with a different body be refused. Money is integer fen; times epoch ms.
 *
 * The per-order policy (cancellation cut-off and fee, refund of unused persons) is copied from the configuration at
 * creation, so a later change of the defaults never changes what an existing order was sold under.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('group_orders')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('site_id', 'text', (col) => col.notNull().references('sites.id'))
    .addColumn('agency_id', 'text')
    .addColumn('reference_scope', 'text', (col) => col.notNull())
    .addColumn('reference', 'text', (col) => col.notNull())
    .addColumn('request_hash', 'text', (col) => col.notNull())
    .addColumn('visit_day', 'integer', (col) => col.notNull())
    .addColumn('slot_id', 'text')
    .addColumn('slot_start', 'bigint')
    .addColumn('slot_end', 'bigint')
    .addColumn('headcount', 'integer', (col) => col.notNull().check(sql`headcount >= 1`))
    .addColumn('guide_name', 'text')
    .addColumn('guide_phone', 'text')
    .addColumn('state', 'text', (col) =>
      col.notNull().check(sql`state in ('held', 'confirmed', 'picked_up', 'closed', 'cancelled', 'expired')`),
    )
    .addColumn('payment_mode', 'text', (col) =>
      col.notNull().check(sql`payment_mode in ('window', 'prepaid', 'credit')`),
    )
    .addColumn('hold_expires_at', 'bigint')
    .addColumn('visitors_due_at', 'bigint')
    .addColumn('total_fen', 'bigint', (col) => col.notNull().check(sql`total_fen >= 0`))
    .addColumn('paid_fen', 'bigint', (col) => col.notNull().check(sql`paid_fen >= 0`))
    .addColumn('change_fen', 'bigint', (col) => col.notNull().check(sql`change_fen >= 0`))
    .addColumn('fee_fen', 'bigint', (col) => col.notNull().check(sql`fee_fen >= 0`))
    .addColumn('refunded_fen', 'bigint', (col) => col.notNull().check(sql`refunded_fen >= 0`))
    .addColumn('cancel_free_hours', 'integer', (col) => col.notNull())
    .addColumn('cancel_fee_permille', 'integer', (col) =>
      col.notNull().check(sql`cancel_fee_permille between 0 and 1000`),
    )
    .addColumn('unused_refund_permille', 'integer', (col) =>
      col.notNull().check(sql`unused_refund_permille between 0 and 1000`),
    )
    .addColumn('issue_mode', 'text', (col) => col.check(sql`issue_mode in ('group', 'individual')`))
    .addColumn('window_id', 'text')
    .addColumn('created_by_id', 'text', (col) => col.notNull())
    .addColumn('created_by_username', 'text', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .addUniqueConstraint('group_orders_reference_unique', ['reference_scope', 'reference'])
    .execute();
  await db.schema
    .createIndex('group_orders_site_created')
    .on('group_orders')
    .columns(['site_id', 'created_at'])
    .execute();
  // The expiry sweep's scan: held orders by expiry.
  await db.schema
    .createIndex('group_orders_state_hold')
    .on('group_orders')
    .columns(['state', 'hold_expires_at'])
    .execute();

  await db.schema
    .createTable('group_order_lines')
    .addColumn('order_id', 'text', (col) => col.notNull().references('group_orders.id'))
    .addColumn('line_no', 'integer', (col) => col.notNull())
    .addColumn('type_id', 'integer', (col) => col.notNull())
    .addColumn('type_version', 'integer', (col) => col.notNull())
    .addColumn('quantity', 'integer', (col) => col.notNull().check(sql`quantity >= 1`))
    .addColumn('unit_price_fen', 'bigint', (col) => col.notNull().check(sql`unit_price_fen >= 0`))
    .addColumn('amount_fen', 'bigint', (col) => col.notNull().check(sql`amount_fen >= 0`))
    .addPrimaryKeyConstraint('group_order_lines_pk', ['order_id', 'line_no'])
    .addForeignKeyConstraint(
      'group_order_lines_type_version_fk',
      ['type_id', 'type_version'],
      'ticket_type_versions',
      ['type_id', 'version'],
    )
    .execute();

  // Visitors are kept as ticket holders are: the name, the masked ID and its keyed hash; never the ID number itself.
  await db.schema
    .createTable('group_order_visitors')
    .addColumn('order_id', 'text', (col) => col.notNull().references('group_orders.id'))
    .addColumn('seq', 'integer', (col) => col.notNull())
    .addColumn('type_id', 'integer', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('id_masked', 'text', (col) => col.notNull())
    .addColumn('id_hash', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('group_order_visitors_pk', ['order_id', 'seq'])
    .execute();

  await db.schema
    .createTable('group_order_payments')
    .addColumn('order_id', 'text', (col) => col.notNull().references('group_orders.id'))
    .addColumn('seq', 'integer', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull().check(sql`kind in ('payment', 'refund')`))
    .addColumn('method', 'text', (col) =>
      col.notNull().check(sql`method in ('cash', 'bank_card', 'wechat', 'alipay')`),
    )
    .addColumn('amount_fen', 'bigint', (col) => col.notNull().check(sql`amount_fen > 0`))
    .addColumn('at', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('group_order_payments_pk', ['order_id', 'seq'])
    .execute();

  await db.schema
    .createTable('group_order_tickets')
    .addColumn('order_id', 'text', (col) => col.notNull().references('group_orders.id'))
    .addColumn('ticket_id', 'bigint', (col) => col.notNull())
    .addColumn('line_no', 'integer', (col) => col.notNull())
    .addColumn('persons', 'integer', (col) => col.notNull().check(sql`persons >= 1`))
    .addPrimaryKeyConstraint('group_order_tickets_pk', ['order_id', 'ticket_id'])
    .execute();

  await db.schema
    .createTable('group_order_transitions')
    .addColumn('order_id', 'text', (col) => col.notNull().references('group_orders.id'))
    .addColumn('seq', 'integer', (col) => col.notNull())
    .addColumn('action', 'text', (col) => col.notNull())
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text', (col) => col.notNull())
    .addColumn('at', 'bigint', (col) => col.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_username', 'text', (col) => col.notNull())
    .addColumn('details_json', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('group_order_transitions_pk', ['order_id', 'seq'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'group_order_transitions',
    'group_order_tickets',
    'group_order_payments',
    'group_order_visitors',
    'group_order_lines',
    'group_orders',
  ])
    await db.schema.dropTable(table).execute();
}
