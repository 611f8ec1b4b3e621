import { type Kysely, sql } from 'kysely';

/**
 * API keys of the channel API (渠道接口密钥): one per travel agency or per sales channel (OTA, own online shop), each
 * limited to a list of sites. The key id is the public half of the key and the lookup; only a SHA-256 of the random
 * secret is kept (modules/channel-keys/secret.ts says why that hash is enough). After a rotation the previous secret
 * hash stays valid until `previous_valid_until` (a grace chosen per rotation, 0 ends it at once).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('channel_keys')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('agency_id', 'text')
    .addColumn('channel', 'text', (col) => col.notNull().check(sql`channel in ('ota', 'online', 'agency')`))
    .addColumn('secret_hash', 'text', (col) => col.notNull())
    .addColumn('previous_secret_hash', 'text')
    .addColumn('previous_valid_until', 'bigint')
    .addColumn('rate_per_minute', 'integer', (col) => col.notNull().check(sql`rate_per_minute > 0`))
    .addColumn('status', 'text', (col) => col.notNull().check(sql`status in ('active', 'revoked')`))
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('rotated_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .addColumn('last_used_at', 'bigint')
    // An agency's key sells as the agency channel and names its agency; a channel's key names none.
    .addCheckConstraint(
      'channel_keys_agency',
      sql`(channel = 'agency' and agency_id is not null) or (channel <> 'agency' and agency_id is null)`,
    )
    .execute();
  await db.schema.createIndex('channel_keys_agency_id').on('channel_keys').column('agency_id').execute();
  await db.schema
    .createTable('channel_key_sites')
    .addColumn('key_id', 'text', (col) => col.notNull().references('channel_keys.id').onDelete('cascade'))
    .addColumn('site_id', 'text', (col) => col.notNull().references('sites.id'))
    .addPrimaryKeyConstraint('channel_key_sites_pk', ['key_id', 'site_id'])
    .execute();
  await db.schema.createIndex('channel_key_sites_site').on('channel_key_sites').column('site_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('channel_key_sites').execute();
  await db.schema.dropTable('channel_keys').execute();
}
