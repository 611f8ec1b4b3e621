/** The whitelist cache's version rules for range deltas: apply atomically, duplicate, gap. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CredentialRecord, WhitelistDelta } from '@scenic/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GateStore } from './gate-store.js';
import { testRecord } from './testing.js';

let dir: string;
let store: GateStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'whitelist-store-'));
  store = new GateStore(join(dir, 'gate.db'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function range(
  from: number,
  to: number,
  upserts: CredentialRecord[],
  removals: number[] = [],
): WhitelistDelta {
  return { type: 'whitelist_delta', v: 1, fromVersion: from, toVersion: to, upserts, removals };
}

describe('range deltas', () => {
  it('moves the version over the whole range at once, or not at all', () => {
    const wl = store.whitelist;
    expect(wl.applyDelta(range(0, 500, [testRecord(1), testRecord(2), testRecord(3)]), 1)).toBe('applied');
    expect(wl.version()).toBe(500);
    expect(wl.lastSyncAt()).toBe(1);
    expect(wl.applyDelta(range(400, 500, [testRecord(4)]), 2)).toBe('duplicate');
    expect(wl.applyDelta(range(501, 600, [testRecord(5)]), 3)).toBe('gap');
    expect(wl.count()).toBe(3);
    expect(wl.applyDelta(range(450, 520, [testRecord(1, { status: 'refunded' })], [3]), 4)).toBe('applied');
    expect(wl.version()).toBe(520);
    expect(wl.byTicketId(1)?.status).toBe('refunded');
    expect(wl.byTicketId(3)).toBeNull();

    // A record the table refuses (no type) fails half-way: nothing of the range is kept.
    const broken = range(520, 530, [testRecord(6), { ...testRecord(7), typeId: null as unknown as number }]);
    expect(() => wl.applyDelta(broken, 5)).toThrow();
    expect(wl.version()).toBe(520);
    expect(wl.byTicketId(6)).toBeNull();
  });
});
