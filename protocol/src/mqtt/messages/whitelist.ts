/**
 * Whitelist distribution. The site has one version sequence; a delta moves it from `fromVersion` to any later
 * `toVersion`, carrying the merged changes of every version in between (each ticket's record as of `toVersion`), so
 * one message can cover everything that changed since the last one. A gate that sees `fromVersion` above its own
 * version knows it missed something and asks for a resync (`sync_request`). Snapshots arrive in chunks on the gate's
 * own topic; live deltas go to all gates of the site at once.
 */
import { z } from 'zod';
import { credentialRecordSchema, epochMsSchema, idStringSchema, ticketIdSchema } from '../../model.js';
import { messageSchema, whitelistVersionSchema } from './common.js';

/** Bounded so that a chunk of worst-case records stays well under the 1 MiB channel limit. */
export const MAX_SNAPSHOT_RECORDS = 2_000;
export const MAX_DELTA_UPSERTS = 500;
export const MAX_DELTA_REMOVALS = 5_000;

/** One chunk of a full whitelist at `version`. The gate swaps its cache only once all `chunks` chunks arrived. */
export const whitelistSnapshotSchema = messageSchema('whitelist_snapshot', {
  snapshotId: idStringSchema,
  version: whitelistVersionSchema,
  chunk: z.number().int().min(0),
  chunks: z.number().int().min(1).max(100_000),
  records: z.array(credentialRecordSchema).max(MAX_SNAPSHOT_RECORDS),
}).refine((s) => s.chunk < s.chunks, { path: ['chunk'], message: 'chunk must be below chunks' });
export type WhitelistSnapshot = z.output<typeof whitelistSnapshotSchema>;

export const whitelistDeltaSchema = messageSchema('whitelist_delta', {
  fromVersion: whitelistVersionSchema,
  toVersion: whitelistVersionSchema,
  /** Records to insert or replace whole (keyed by ticketId), each as of `toVersion`. */
  upserts: z.array(credentialRecordSchema).max(MAX_DELTA_UPSERTS),
  removals: z.array(ticketIdSchema).max(MAX_DELTA_REMOVALS),
})
  .refine((d) => d.toVersion > d.fromVersion, {
    path: ['toVersion'],
    message: 'toVersion must be above fromVersion',
  })
  .refine((d) => new Set(d.upserts.map((r) => r.ticketId)).size === d.upserts.length, {
    path: ['upserts'],
    message: 'a ticket is upserted at most once (its last record in the range)',
  })
  .refine(
    (d) => {
      if (d.removals.length === 0) return true;
      const removed = new Set(d.removals);
      return !d.upserts.some((r) => removed.has(r.ticketId));
    },
    { path: ['removals'], message: 'a ticket cannot be both upserted and removed' },
  );
export type WhitelistDelta = z.output<typeof whitelistDeltaSchema>;

export const SYNC_REASONS = ['boot', 'gap', 'snapshot_timeout', 'command'] as const;
export type SyncReason = (typeof SYNC_REASONS)[number];

/**
 * Gate → cloud on `…/whitelist/req`. The cloud answers on the gate's `…/whitelist` topic with the deltas after
 * `haveVersion` when it still has them, or a snapshot otherwise (always a snapshot when `full`).
 */
export const syncRequestSchema = messageSchema('sync_request', {
  requestId: idStringSchema,
  gateId: idStringSchema,
  haveVersion: whitelistVersionSchema,
  full: z.boolean(),
  reason: z.enum(SYNC_REASONS),
  at: epochMsSchema,
});
export type SyncRequest = z.output<typeof syncRequestSchema>;
