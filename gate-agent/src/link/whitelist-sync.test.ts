/**
 * Range deltas on a gate: one delta may move the whitelist over many versions. Applied atomically when it continues
 * the local version (or overlaps it), ignored when it ends at or before it, buffered with a resync request when it
 * starts beyond it; buffered ranges connect after the catch-up or a snapshot.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CredentialRecord, SyncReason, WhitelistDelta } from '@scenic/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Log } from '../core/ports.js';
import { GateStore } from '../store/gate-store.js';
import { testRecord } from '../store/testing.js';
import { WhitelistSync } from './whitelist-sync.js';

const quiet: Log = { debug() {}, info() {}, warn() {}, error() {} };

function range(
  from: number,
  to: number,
  upserts: CredentialRecord[],
  removals: number[] = [],
): WhitelistDelta {
  return { type: 'whitelist_delta', v: 1, fromVersion: from, toVersion: to, upserts, removals };
}

let dir: string;
let store: GateStore;
let sync: WhitelistSync;
let requests: { reason: SyncReason; full: boolean }[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'whitelist-sync-'));
  store = new GateStore(join(dir, 'gate.db'));
  requests = [];
  sync = new WhitelistSync({
    whitelist: store.whitelist,
    request: (reason, full) => requests.push({ reason, full }),
    log: quiet,
    now: () => 1_000,
  });
});
afterEach(() => {
  sync.stop();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const wl = () => store.whitelist;

describe('range deltas', () => {
  it('applies a range continuing the local version in one step, and ignores one ending at or before it', () => {
    sync.onDelta(range(0, 40, [testRecord(1, { entriesUsed: 3 }), testRecord(2)]));
    expect(wl().version()).toBe(40);
    expect(wl().byTicketId(1)?.entriesUsed).toBe(3);
    expect(wl().count()).toBe(2);
    // A repeat (another cloud instance, a QoS 1 redelivery) and an older single version change nothing.
    sync.onDelta(range(0, 40, [testRecord(1, { entriesUsed: 0 })]));
    sync.onDelta(range(39, 40, [testRecord(9)]));
    expect(wl().byTicketId(1)?.entriesUsed).toBe(3);
    expect(wl().byTicketId(9)).toBeNull();
    expect(requests).toEqual([]);
  });

  it('applies an overlapping range whole: its records are as of its toVersion', () => {
    sync.onDelta(range(0, 10, [testRecord(1, { entriesUsed: 1 }), testRecord(2)]));
    sync.onDelta(range(5, 15, [testRecord(1, { entriesUsed: 2 }), testRecord(3)], [2]));
    expect(wl().version()).toBe(15);
    expect(wl().byTicketId(1)?.entriesUsed).toBe(2);
    expect(wl().byTicketId(2)).toBeNull();
    expect(wl().byTicketId(3)).not.toBeNull();
    expect(requests).toEqual([]);
  });

  it('buffers a range after a gap, asks once, and connects buffered ranges once the missing one arrives', () => {
    sync.onDelta(range(0, 10, [testRecord(1)]));
    sync.onDelta(range(20, 30, [testRecord(3, { entriesUsed: 1 })]));
    sync.onDelta(range(30, 35, [testRecord(4)]));
    expect(wl().version()).toBe(10);
    expect(wl().byTicketId(3)).toBeNull();
    expect(requests).toEqual([{ reason: 'gap', full: false }]);
    // The catch-up covers 10 → 25, overlapping the buffered 20 → 30, which then applies, and 30 → 35 after it.
    sync.onDelta(range(10, 25, [testRecord(2), testRecord(3, { entriesUsed: 0 })]));
    expect(wl().version()).toBe(35);
    expect(wl().byTicketId(3)?.entriesUsed).toBe(1);
    expect(wl().count()).toBe(4);
    expect(requests).toHaveLength(1);
  });

  it('of two buffered ranges from the same version keeps the longer one', () => {
    sync.onDelta(range(5, 8, [testRecord(1)]));
    sync.onDelta(range(5, 12, [testRecord(1), testRecord(2)]));
    sync.onDelta(range(5, 9, [testRecord(3)]));
    sync.onDelta(range(0, 5, [testRecord(7)]));
    expect(wl().version()).toBe(12);
    expect(wl().byTicketId(2)).not.toBeNull();
    expect(wl().byTicketId(3)).toBeNull();
  });

  it('after a snapshot applies the buffered ranges that reach beyond its version', () => {
    sync.onDelta(range(50, 60, [testRecord(5, { entriesUsed: 4 })]));
    sync.onDelta(range(60, 70, [testRecord(6)]));
    sync.onDelta(range(30, 40, [testRecord(9)]));
    expect(requests[0]).toEqual({ reason: 'gap', full: false });
    sync.onSnapshotChunk({
      type: 'whitelist_snapshot',
      v: 1,
      snapshotId: 'snap-55',
      version: 55,
      chunk: 0,
      chunks: 1,
      records: [testRecord(5, { entriesUsed: 2 }), testRecord(8)],
    });
    // 50 → 60 overlaps the snapshot's 55 and brings ticket 5 to its state at 60; 30 → 40 is older and dropped.
    expect(wl().version()).toBe(70);
    expect(wl().byTicketId(5)?.entriesUsed).toBe(4);
    expect(wl().byTicketId(6)).not.toBeNull();
    expect(wl().byTicketId(9)).toBeNull();
    expect(wl().count()).toBe(3);
  });
});

describe('snapshots from more than one answer', () => {
  const chunkOf = (snapshotId: string, version: number, chunk: number, chunks: number, ids: number[]) => ({
    type: 'whitelist_snapshot' as const,
    v: 1 as const,
    snapshotId,
    version,
    chunk,
    chunks,
    records: ids.map((id) => testRecord(id)),
  });

  it('keeps the snapshot it started when a second answer to the same request interleaves, and applies it', () => {
    // Two cloud instances answered one request: chunks of A and B arrive mixed.
    sync.onSnapshotChunk(chunkOf('A', 10, 0, 3, [1]));
    sync.onSnapshotChunk(chunkOf('B', 11, 0, 3, [7]));
    sync.onSnapshotChunk(chunkOf('A', 10, 1, 3, [2]));
    sync.onSnapshotChunk(chunkOf('B', 11, 1, 3, [8]));
    sync.onSnapshotChunk(chunkOf('A', 10, 2, 3, [3]));
    expect(wl().version()).toBe(10);
    expect([1, 2, 3, 7, 8].map((id) => wl().byTicketId(id) !== null)).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
    // B's last chunk, after A is in: the start of B was missed, so it never completes and changes nothing.
    sync.onSnapshotChunk(chunkOf('B', 11, 2, 3, [9]));
    expect(wl().version()).toBe(10);
    expect(wl().count()).toBe(3);
    expect(requests).toEqual([]);
  });

  it('a request sent while collecting takes the next other snapshot as its answer', () => {
    sync.onSnapshotChunk(chunkOf('A', 10, 0, 2, [1]));
    // e.g. the gate reconnected and asked again: A may never finish.
    sync.requested();
    sync.onSnapshotChunk(chunkOf('C', 12, 0, 2, [4]));
    sync.onSnapshotChunk(chunkOf('A', 10, 1, 2, [2]));
    sync.onSnapshotChunk(chunkOf('C', 12, 1, 2, [5]));
    expect(wl().version()).toBe(12);
    expect([1, 2, 4, 5].map((id) => wl().byTicketId(id) !== null)).toEqual([false, false, true, true]);
  });

  it('after a snapshot is applied the next one is taken as usual', () => {
    sync.onSnapshotChunk(chunkOf('A', 10, 0, 1, [1]));
    sync.onSnapshotChunk(chunkOf('D', 20, 0, 1, [6]));
    expect(wl().version()).toBe(20);
    expect(wl().byTicketId(6)).not.toBeNull();
    expect(wl().byTicketId(1)).toBeNull();
  });
});
