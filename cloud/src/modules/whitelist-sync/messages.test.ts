/** Feed rows into range deltas: merged per ticket, cut at the upsert bound and at holes, always consecutive. */
import { type CredentialRecord, MAX_DELTA_UPSERTS, whitelistDeltaSchema } from '@scenic/protocol';
import { describe, expect, it } from 'vitest';
import { type FeedRecord, rangeDeltas } from './messages.js';

function record(ticketId: number, entriesUsed = 0): CredentialRecord {
  return {
    ticketId,
    typeId: 1,
    barcode: null,
    cardUid: null,
    status: 'active',
    validFrom: 0,
    validTo: 1_900_000_000_000,
    entriesTotal: 10,
    entriesUsed,
    slot: null,
    persons: 1,
  };
}

const rows = (from: number, records: CredentialRecord[]): FeedRecord[] =>
  records.map((r, i) => ({ version: from + 1 + i, record: r }));

describe('rangeDeltas', () => {
  it('merges consecutive versions into one delta, each ticket once with its last record', () => {
    const deltas = rangeDeltas(10, rows(10, [record(1, 1), record(2), record(1, 2), record(1, 3)]));
    expect(deltas).toHaveLength(1);
    expect(deltas[0]).toMatchObject({ fromVersion: 10, toVersion: 14, removals: [] });
    expect(deltas[0]!.upserts).toEqual([record(1, 3), record(2)]);
    expect(whitelistDeltaSchema.safeParse(deltas[0]).success).toBe(true);
    expect(rangeDeltas(10, [])).toEqual([]);
  });

  it('cuts before the ticket that would pass the upsert bound; a ticket already in the delta does not count', () => {
    const many = Array.from({ length: MAX_DELTA_UPSERTS + 10 }, (_, i) => record(i + 1));
    // Ticket 1 changes again right at the bound: it stays in the first delta.
    many.splice(MAX_DELTA_UPSERTS, 0, record(1, 5));
    const deltas = rangeDeltas(0, rows(0, many));
    expect(deltas.map((d) => [d.fromVersion, d.toVersion, d.upserts.length])).toEqual([
      [0, MAX_DELTA_UPSERTS + 1, MAX_DELTA_UPSERTS],
      [MAX_DELTA_UPSERTS + 1, MAX_DELTA_UPSERTS + 11, 10],
    ]);
    expect(deltas[0]!.upserts[0]).toEqual(record(1, 5));
    for (const delta of deltas) expect(whitelistDeltaSchema.safeParse(delta).success).toBe(true);
  });

  it('starts a new delta after a hole, so a gate before it sees a gap', () => {
    const feed = [...rows(0, [record(1), record(2)]), ...rows(5, [record(3), record(4)])];
    expect(rangeDeltas(0, feed).map((d) => [d.fromVersion, d.toVersion])).toEqual([
      [0, 2],
      [5, 7],
    ]);
    // Rows at or before the start are not repeated.
    expect(rangeDeltas(6, feed).map((d) => [d.fromVersion, d.toVersion])).toEqual([[6, 7]]);
  });
});
