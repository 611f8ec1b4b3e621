/** Feed rows and snapshots in the protocol's shapes: one delta per feed version, snapshots in bounded chunks. */
import {
  type CredentialRecord,
  MAX_SNAPSHOT_RECORDS,
  type WhitelistDelta,
  type WhitelistSnapshot,
} from '@scenic/protocol';
import type { FeedEntry } from '../tickets/schemas.js';

/** Every feed version is one delta (the protocol moves the version by exactly one), carrying its whole record. */
export function deltaOf(entry: FeedEntry): WhitelistDelta {
  return {
    type: 'whitelist_delta',
    v: 1,
    fromVersion: entry.version - 1,
    toVersion: entry.version,
    upserts: [entry.record],
    removals: [],
  };
}

export function snapshotChunks(
  snapshotId: string,
  version: number,
  records: readonly CredentialRecord[],
): WhitelistSnapshot[] {
  const chunks = Math.max(1, Math.ceil(records.length / MAX_SNAPSHOT_RECORDS));
  return Array.from({ length: chunks }, (_, chunk) => ({
    type: 'whitelist_snapshot',
    v: 1,
    snapshotId,
    version,
    chunk,
    chunks,
    records: records.slice(chunk * MAX_SNAPSHOT_RECORDS, (chunk + 1) * MAX_SNAPSHOT_RECORDS),
  }));
}
