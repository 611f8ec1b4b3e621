import { type Kysely, sql } from 'kysely';

/**
 * Ticket types (票种) with immutable versions. `ticket_types` holds what never changes or is not history (site,
 * code, the numeric type id used in QR codes and gate config, active flag) and points at its current version;
 * every change of the definition (names, kind, validity, rules, refund policy, real-name rules, prices) is a new
 * `ticket_type_versions` row, so a sale that references (type_id, version) keeps the terms it was sold under.
 * Prices are rows per sales channel, in fen. The JSON columns are validated by zod before every write.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ticket_types')
    .addColumn('id', 'integer', (col) => col.primaryKey().check(sql`id between 1 and 65535`))
    .addColumn('site_id', 'text', (col) => col.notNull().references('sites.id'))
    .addColumn('code', 'text', (col) => col.notNull())
    .addColumn('current_version', 'integer', (col) => col.notNull().check(sql`current_version >= 1`))
    .addColumn('active', 'integer', (col) => col.notNull().defaultTo(1).check(sql`active in (0, 1)`))
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .addUniqueConstraint('ticket_types_site_code_unique', ['site_id', 'code'])
    .execute();

  await db.schema
    .createTable('ticket_type_versions')
    .addColumn('type_id', 'integer', (col) => col.notNull().references('ticket_types.id'))
    .addColumn('version', 'integer', (col) => col.notNull().check(sql`version >= 1`))
    .addColumn('name_zh', 'text', (col) => col.notNull())
    .addColumn('name_en', 'text', (col) => col.notNull())
    .addColumn('kind', 'text', (col) =>
      col
        .notNull()
        .check(
          sql`kind in ('single', 'count', 'day_pass', 'month_pass', 'quarter_pass', 'year_pass', 'period_pass', 'group')`,
        ),
    )
    .addColumn('entries', 'integer', (col) => col.check(sql`entries >= 1`))
    .addColumn('persons_min', 'integer', (col) => col.notNull().check(sql`persons_min >= 1`))
    .addColumn('persons_max', 'integer', (col) => col.notNull().check(sql`persons_max >= persons_min`))
    .addColumn('real_name', 'text', (col) => col.notNull().check(sql`real_name in ('none', 'per_ticket')`))
    .addColumn('per_id_daily_limit', 'integer', (col) => col.check(sql`per_id_daily_limit >= 1`))
    .addColumn('validity_json', 'text', (col) => col.notNull())
    .addColumn('rules_json', 'text', (col) => col.notNull())
    .addColumn('refund_json', 'text', (col) => col.notNull())
    .addColumn('age_discounts_json', 'text', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('ticket_type_versions_pk', ['type_id', 'version'])
    .execute();

  await db.schema
    .createTable('ticket_type_prices')
    .addColumn('type_id', 'integer', (col) => col.notNull())
    .addColumn('version', 'integer', (col) => col.notNull())
    .addColumn('channel', 'text', (col) => col.notNull())
    .addColumn('price_fen', 'bigint', (col) => col.notNull().check(sql`price_fen >= 0`))
    .addPrimaryKeyConstraint('ticket_type_prices_pk', ['type_id', 'version', 'channel'])
    .addForeignKeyConstraint(
      'ticket_type_prices_version_fk',
      ['type_id', 'version'],
      'ticket_type_versions',
      ['type_id', 'version'],
    )
    .execute();
}
