import { type Kysely, sql } from 'kysely';

/**
 * Customers (客户资料) and their member cards. A customer is registered at one site (where the points rules that
 * apply to them are set), like every other row a site-limited operator may see. The ID number is stored as the
 * tickets store holders' (masked for display, a keyed hash for finding): never the plain number.
 * - A phone number and an ID number each identify at most one customer of a site (partial unique indexes: both are
 *   optional).
 * - A member card (会员卡) is an IC card bound to one customer; its UID is unique among active cards across every
 *   site, since one physical card cannot be two members' at once. A blocked or replaced card keeps its row (history),
 *   so the UID may be bound again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('customers')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('site_id', 'text', (col) => col.notNull().references('sites.id'))
    .addColumn('kind', 'text', (col) => col.notNull().check(sql`kind in ('individual', 'member')`))
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('phone', 'text')
    .addColumn('id_masked', 'text')
    .addColumn('id_hash', 'text')
    .addColumn('tags', 'text', (col) => col.notNull().defaultTo('[]'))
    .addColumn('note', 'text')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('customers_site_phone')
    .unique()
    .on('customers')
    .columns(['site_id', 'phone'])
    .where(sql.ref('phone'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('customers_site_id_hash')
    .unique()
    .on('customers')
    .columns(['site_id', 'id_hash'])
    .where(sql.ref('id_hash'), 'is not', null)
    .execute();
  await db.schema.createIndex('customers_site_name').on('customers').columns(['site_id', 'name']).execute();
  await db.schema.createIndex('customers_phone').on('customers').column('phone').execute();
  await db.schema.createIndex('customers_id_hash').on('customers').column('id_hash').execute();

  await db.schema
    .createTable('member_cards')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('customer_id', 'text', (col) => col.notNull().references('customers.id'))
    .addColumn('site_id', 'text', (col) => col.notNull().references('sites.id'))
    .addColumn('card_uid', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) =>
      col.notNull().check(sql`status in ('active', 'blocked', 'replaced')`),
    )
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('ended_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('member_cards_active_uid')
    .unique()
    .on('member_cards')
    .column('card_uid')
    .where(sql.ref('status'), '=', 'active')
    .execute();
  await db.schema.createIndex('member_cards_customer').on('member_cards').column('customer_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('member_cards').execute();
  await db.schema.dropTable('customers').execute();
}
