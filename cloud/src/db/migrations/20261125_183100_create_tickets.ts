import { type Kysely, sql } from 'kysely';

/**
 * Issued tickets and their credentials, the signing keys behind QR codes, and the per-site whitelist change feed.
 * - `tickets.id` is the ticket id carried in QR codes (1 … 2^40−1). Holders are stored as name, masked ID and a keyed
 *   hash of the ID (for per-ID limits); never the plain ID number.
 * - `signing_keys` hold Ed25519 keys; the private key is AES-256-GCM encrypted under the master secret. Key ids with
 *   id % 45 = 5 are refused: their QR text would begin with a space, which scanners and software often trim.
 * - `whitelist_feed` gets one row per credential change in the change's own transaction; `whitelist_heads` holds
 *   each site's last version, so versions are consecutive per site and gates detect gaps.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('signing_keys')
    .addColumn('key_id', 'integer', (col) =>
      col.primaryKey().check(sql`key_id between 0 and 255 and key_id % 45 <> 5`),
    )
    .addColumn('public_key', 'text', (col) => col.notNull())
    .addColumn('private_key_enc', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull().check(sql`status in ('active', 'retired')`))
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('retired_at', 'bigint')
    .execute();

  await db.schema
    .createTable('tickets')
    .addColumn('id', 'bigint', (col) => col.primaryKey().check(sql`id between 1 and 1099511627775`))
    .addColumn('site_id', 'text', (col) => col.notNull().references('sites.id'))
    .addColumn('type_id', 'integer', (col) => col.notNull())
    .addColumn('type_version', 'integer', (col) => col.notNull())
    .addColumn('sale_id', 'text')
    .addColumn('sale_line', 'integer')
    .addColumn('status', 'text', (col) =>
      col
        .notNull()
        .check(sql`status in ('active', 'not_activated', 'used', 'refunded', 'revoked', 'blacklisted')`),
    )
    .addColumn('visit_day', 'integer', (col) => col.notNull())
    .addColumn('valid_from', 'bigint', (col) => col.notNull())
    .addColumn('valid_to', 'bigint', (col) => col.notNull())
    .addColumn('entries_total', 'integer', (col) => col.check(sql`entries_total >= 1`))
    .addColumn('entries_used', 'integer', (col) => col.notNull().defaultTo(0).check(sql`entries_used >= 0`))
    .addColumn('persons', 'integer', (col) => col.notNull().check(sql`persons >= 1`))
    .addColumn('slot_id', 'text')
    .addColumn('slot_start', 'bigint')
    .addColumn('slot_end', 'bigint')
    .addColumn('holder_name', 'text')
    .addColumn('holder_id_masked', 'text')
    .addColumn('holder_id_hash', 'text')
    .addColumn('barcode', 'text', (col) => col.unique())
    .addColumn('card_uid', 'text')
    .addColumn('qr_text', 'text')
    .addColumn('key_id', 'integer')
    .addColumn('flags', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('price_fen', 'bigint', (col) => col.notNull().check(sql`price_fen >= 0`))
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .addCheckConstraint('tickets_validity', sql`valid_from < valid_to`)
    .addForeignKeyConstraint('tickets_type_version_fk', ['type_id', 'type_version'], 'ticket_type_versions', [
      'type_id',
      'version',
    ])
    .execute();
  await db.schema
    .createIndex('tickets_site_valid_to')
    .on('tickets')
    .columns(['site_id', 'valid_to'])
    .execute();
  await db.schema.createIndex('tickets_sale').on('tickets').columns(['sale_id', 'sale_line']).execute();
  await db.schema
    .createIndex('tickets_holder_day')
    .on('tickets')
    .columns(['holder_id_hash', 'visit_day', 'type_id'])
    .execute();
  await db.schema.createIndex('tickets_card_uid').on('tickets').column('card_uid').execute();

  await db.schema
    .createTable('whitelist_heads')
    .addColumn('site_id', 'text', (col) => col.primaryKey().references('sites.id'))
    .addColumn('version', 'bigint', (col) => col.notNull().check(sql`version >= 0`))
    .execute();

  await db.schema
    .createTable('whitelist_feed')
    .addColumn('site_id', 'text', (col) => col.notNull().references('sites.id'))
    .addColumn('version', 'bigint', (col) => col.notNull().check(sql`version >= 1`))
    .addColumn('ticket_id', 'bigint', (col) => col.notNull())
    .addColumn('op', 'text', (col) =>
      col.notNull().check(sql`op in ('issue', 'activate', 'use', 'refund', 'revoke', 'update')`),
    )
    .addColumn('record_json', 'text', (col) => col.notNull())
    .addColumn('at', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('whitelist_feed_pk', ['site_id', 'version'])
    .execute();
}
