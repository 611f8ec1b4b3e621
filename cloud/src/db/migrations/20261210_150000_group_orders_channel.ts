import type { Kysely } from 'kysely';

/**
 * Group orders placed through the channel API: `channel_key_id` names the partner's key that placed the order (null
 * for orders placed in the console), so a partner lists its own bookings and its webhooks are routed to that key.
 * `persons_admitted` counts the persons the gates admitted, per issued ticket and for the whole order (the
 * redemption status a partner reads, and whether the whole order has been used).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('group_orders').addColumn('channel_key_id', 'text').execute();
  await db.schema
    .alterTable('group_orders')
    .addColumn('persons_admitted', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('group_orders_channel_key_created')
    .on('group_orders')
    .columns(['channel_key_id', 'created_at'])
    .execute();
  await db.schema
    .alterTable('group_order_tickets')
    .addColumn('persons_admitted', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
  // The passage hook looks an admitted ticket up by its id on every passage.
  await db.schema
    .createIndex('group_order_tickets_ticket')
    .on('group_order_tickets')
    .column('ticket_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('group_order_tickets_ticket').execute();
  await db.schema.alterTable('group_order_tickets').dropColumn('persons_admitted').execute();
  await db.schema.dropIndex('group_orders_channel_key_created').execute();
  await db.schema.alterTable('group_orders').dropColumn('persons_admitted').execute();
  await db.schema.alterTable('group_orders').dropColumn('channel_key_id').execute();
}
