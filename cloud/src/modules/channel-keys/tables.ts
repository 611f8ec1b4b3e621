/** Table types of the channel API keys (migration 20261210_120000); part of db/schema.ts. Owned by this module. */
import { ownedTables } from '../../db/scoped.js';

export interface ChannelKeyTables {
  channel_keys: ChannelKeysTable;
  channel_key_sites: ChannelKeySitesTable;
}

export const channelKeyTables = ownedTables<keyof ChannelKeyTables>();
export type ChannelKeyDb = ReturnType<typeof channelKeyTables>;

export interface ChannelKeysTable {
  /** `ck_` + 20 lowercase base32 characters: the public half of the key, and how a presented key is looked up. */
  id: string;
  name: string;
  /** The agency (an opaque id owned by the agencies module) when `channel` is `agency`; null otherwise. */
  agency_id: string | null;
  channel: 'ota' | 'online' | 'agency';
  /** Hex SHA-256 of the current secret. */
  secret_hash: string;
  /** Hex SHA-256 of the secret replaced by the last rotation, accepted until `previous_valid_until`. */
  previous_secret_hash: string | null;
  previous_valid_until: number | null;
  /** Calls per minute on average (the token bucket's rate; its burst is the same number). */
  rate_per_minute: number;
  status: 'active' | 'revoked';
  created_at: number;
  rotated_at: number | null;
  revoked_at: number | null;
  /** Written at most once a minute per key (not on every call). */
  last_used_at: number | null;
}

export interface ChannelKeySitesTable {
  key_id: string;
  site_id: string;
}
