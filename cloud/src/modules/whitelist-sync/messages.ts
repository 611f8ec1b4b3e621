/**
 * Feed rows and snapshots in the protocol's shapes: consecutive feed versions merged into range deltas, snapshots in
 * bounded chunks.
 */
import {
  type CredentialRecord,
  MAX_DELTA_UPSERTS,
  MAX_SNAPSHOT_RECORDS,
  type WhitelistDelta,
  type WhitelistSnapshot,
} from '@scenic/protocol';

/** A feed row as the distributor reads it. */
export interface FeedRecord {
  readonly version: number;
  readonly record: CredentialRecord;
}

/**
 * The feed entries after version `from`, oldest first, as consecutive deltas: each covers a run of versions and
 * carries every ticket changed in it once, with its last record (each feed record is the ticket's whole record after
 * the change, so the last one is the ticket as of the delta's toVersion). A delta is cut before a ticket that would
 * exceed the protocol's upsert bound, which keeps it within the channel's size limit. A hole in the versions (rows
 * pruned) starts a new delta after it; a gate still before the hole sees a gap and asks for a snapshot.
 */
export function rangeDeltas(from: number, entries: readonly FeedRecord[]): WhitelistDelta[] {
  const deltas: WhitelistDelta[] = [];
  let start = from;
  let upto = from;
  let records = new Map<number, CredentialRecord>();
  const cut = () => {
    if (upto > start)
      deltas.push({
        type: 'whitelist_delta',
        v: 1,
        fromVersion: start,
        toVersion: upto,
        upserts: [...records.values()],
        removals: [],
      });
    start = upto;
    records = new Map();
  };
  for (const entry of entries) {
    if (entry.version <= upto) continue;
    if (entry.version !== upto + 1) {
      cut();
      start = entry.version - 1;
      upto = start;
    }
    if (records.size >= MAX_DELTA_UPSERTS && !records.has(entry.record.ticketId)) cut();
    records.set(entry.record.ticketId, entry.record);
    upto = entry.version;
  }
  cut();
  return deltas;
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
