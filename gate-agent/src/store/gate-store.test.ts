import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { PassageEvent, WhitelistDelta } from '@scenic/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GateStore } from './gate-store.js';
import { testRecord } from './testing.js';

let dir: string;
let store: GateStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gate-store-'));
  store = new GateStore(join(dir, 'gate.db'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function delta(from: number, upserts = [testRecord(from + 100)], removals: number[] = []): WhitelistDelta {
  return { type: 'whitelist_delta', v: 1, fromVersion: from, toVersion: from + 1, upserts, removals };
}

function passage(n: number, ticketId = 7): PassageEvent {
  return {
    type: 'passage',
    v: 1,
    eventId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    gateId: 'G01',
    at: Date.UTC(2025, 4, 1) + n,
    ticketId,
    credentialKind: 'card',
    direction: 'in',
    persons: 1,
    entriesLeft: null,
    decidedOffline: true,
    correlationId: null,
  };
}

describe('whitelist', () => {
  it('finds records by ticket id, barcode and card UID with indexed point queries', () => {
    store.whitelist.beginSnapshot();
    store.whitelist.stageSnapshotChunk([
      testRecord(1, { barcode: '407182539616' }),
      testRecord(2, { cardUid: '04A2B3C4D5E6F7', slot: { start: 5, end: 9 } }),
    ]);
    store.whitelist.commitSnapshot(10, 1000);
    expect(store.whitelist.byTicketId(1)?.barcode).toBe('407182539616');
    expect(store.whitelist.byBarcode('407182539616')?.ticketId).toBe(1);
    expect(store.whitelist.byCardUid('04A2B3C4D5E6F7')).toEqual(
      testRecord(2, { cardUid: '04A2B3C4D5E6F7', slot: { start: 5, end: 9 } }),
    );
    expect(store.whitelist.byBarcode('000000000000')).toBeNull();
    const plan = store.db
      .prepare("EXPLAIN QUERY PLAN SELECT * FROM whitelist WHERE card_uid = '04A2B3C4D5E6F7'")
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join()).toMatch(/USING INDEX whitelist_card_uid/);
  });

  it('replaces the whole set atomically when a snapshot commits, not before', () => {
    store.whitelist.beginSnapshot();
    store.whitelist.stageSnapshotChunk([testRecord(1), testRecord(2)]);
    store.whitelist.commitSnapshot(5, 1000);

    store.whitelist.beginSnapshot();
    store.whitelist.stageSnapshotChunk([testRecord(3)]);
    // Half-received: the live set is still the old one.
    expect(store.whitelist.count()).toBe(2);
    expect(store.whitelist.version()).toBe(5);
    store.whitelist.stageSnapshotChunk([testRecord(4)]);
    store.whitelist.commitSnapshot(9, 2000);
    expect(store.whitelist.count()).toBe(2);
    expect(store.whitelist.byTicketId(1)).toBeNull();
    expect(store.whitelist.byTicketId(4)).not.toBeNull();
    expect(store.whitelist.version()).toBe(9);
    expect(store.whitelist.lastSyncAt()).toBe(2000);
  });

  it('applies deltas in sequence, ignores duplicates and reports a gap without applying', () => {
    expect(store.whitelist.applyDelta(delta(0, [testRecord(1, { entriesUsed: 1 })]), 1)).toBe('applied');
    expect(store.whitelist.applyDelta(delta(1, [testRecord(2)], [1]), 2)).toBe('applied');
    expect(store.whitelist.version()).toBe(2);
    expect(store.whitelist.byTicketId(1)).toBeNull();
    expect(store.whitelist.applyDelta(delta(1, [testRecord(9)]), 3)).toBe('duplicate');
    expect(store.whitelist.byTicketId(9)).toBeNull();
    expect(store.whitelist.applyDelta(delta(3, [testRecord(8)]), 4)).toBe('gap');
    expect(store.whitelist.byTicketId(8)).toBeNull();
    expect(store.whitelist.version()).toBe(2);
  });
});

describe('passages and pending entries', () => {
  it('counts consumed entries until the cloud sends a record after the event was acknowledged', () => {
    store.recordPassage(passage(1), { entries: 1 });
    store.recordPassage(passage(2), { entries: 1 });
    store.recordPassage(passage(3), { entries: 0 });
    expect(store.passages.pendingEntries(7)).toBe(2);
    expect(store.passages.recent(7, Date.UTC(2025, 4, 1, 1))).toHaveLength(3);

    // A record arriving before the broker has the events cannot include them.
    store.whitelist.applyDelta(delta(0, [testRecord(7, { entriesUsed: 0 })]), 1);
    expect(store.passages.pendingEntries(7)).toBe(2);

    const [first] = store.outbox.pendingAfter(0, 1);
    store.outbox.markSent(first!.seq);
    store.whitelist.applyDelta(delta(1, [testRecord(7, { entriesUsed: 1 })]), 2);
    expect(store.passages.pendingEntries(7)).toBe(1);
  });

  it('prunes passages older than the retention', () => {
    store.recordPassage(passage(1), { entries: 0 });
    store.prune(Date.UTC(2025, 4, 20));
    expect(store.passages.recent(7, Date.UTC(2025, 4, 1, 1))).toHaveLength(0);
  });
});

describe('admit intents', () => {
  const unconfirmed = (n: number) => ({ ...passage(n), unconfirmed: true });

  it('settles each intent once, as an unconfirmed passage with its entry as the intent said', () => {
    store.recordAdmitIntent({ event: unconfirmed(1), entries: 1 });
    store.recordAdmitIntent({ event: unconfirmed(2), entries: 0 });
    store.recordAdmitIntent({ event: unconfirmed(3), entries: 1 });
    // 3 was settled normally: its passage (confirmed) removes the intent in the same transaction.
    store.recordPassage(passage(3), { entries: 1 });
    expect(store.settleAdmitIntents().map((e) => e.eventId)).toEqual([
      passage(1).eventId,
      passage(2).eventId,
    ]);
    expect(store.settleAdmitIntents()).toEqual([]);
    const sent = store.outbox.pendingAfter(0, 10).map((e) => JSON.parse(e.payload) as PassageEvent);
    expect(sent.map((e) => [e.eventId, e.unconfirmed])).toEqual([
      [passage(3).eventId, undefined],
      [passage(1).eventId, true],
      [passage(2).eventId, true],
    ]);
    expect(store.passages.pendingEntries(7)).toBe(2);
    expect(store.passages.recent(7, Date.UTC(2025, 4, 1, 1))).toHaveLength(3);
  });

  it('a NO_PASSAGE refusal removes its intent with it', () => {
    store.recordAdmitIntent({ event: unconfirmed(1), entries: 1 });
    store.recordDenial(
      {
        type: 'denial',
        v: 1,
        eventId: passage(9).eventId,
        gateId: 'G01',
        at: Date.UTC(2025, 4, 1),
        direction: 'in',
        reason: 'NO_PASSAGE',
        credentialKind: 'card',
        ticketId: 7,
        codeHash: 'a'.repeat(64),
      },
      { settlesIntent: passage(1).eventId },
    );
    expect(store.intents.all()).toEqual([]);
    expect(store.settleAdmitIntents()).toEqual([]);
    expect(store.passages.pendingEntries(7)).toBe(0);
  });
});

describe('outbox', () => {
  it('drains in append order and forgets entries on acknowledgement', () => {
    for (let n = 1; n <= 5; n++) store.recordPassage(passage(n), { entries: 0 });
    const firstTwo = store.outbox.pendingAfter(0, 2);
    expect(firstTwo.map((e) => e.eventId)).toEqual([passage(1).eventId, passage(2).eventId]);
    expect(store.outbox.pendingAfter(firstTwo[1]!.seq, 10).map((e) => e.eventId)).toEqual(
      [3, 4, 5].map((n) => passage(n).eventId),
    );
    store.outbox.markSent(firstTwo[0]!.seq);
    expect(store.outbox.depth()).toBe(4);
    expect(JSON.parse(store.outbox.pendingAfter(0, 1)[0]!.payload).eventId).toBe(passage(2).eventId);
  });

  it('refuses the same event id twice', () => {
    store.recordPassage(passage(1), { entries: 1 });
    expect(() => store.recordPassage(passage(1), { entries: 1 })).toThrow(/UNIQUE/);
    expect(store.outbox.depth()).toBe(1);
    expect(store.passages.pendingEntries(7)).toBe(1);
  });

  it('keeps every passage a killed process recorded', async () => {
    const storeModule = fileURLToPath(new URL('./gate-store.ts', import.meta.url));
    const script = join(dir, 'writer.ts');
    writeFileSync(
      script,
      `import { GateStore } from ${JSON.stringify(storeModule)};
const store = new GateStore(process.argv[2]);
let n = 0;
setInterval(() => {
  n++;
  store.recordPassage({ type: 'passage', v: 1, eventId: '00000000-0000-4000-8000-' + String(n).padStart(12, '0'),
    gateId: 'G01', at: Date.now(), ticketId: 7, credentialKind: 'qr', direction: 'in', persons: 1,
    entriesLeft: null, decidedOffline: true, correlationId: null }, { entries: 1 });
  console.log(n);
}, 2);
`,
    );
    store.close();
    const child = spawn(process.execPath, ['--import', 'tsx', script, join(dir, 'gate.db')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let confirmed = 0;
    for await (const line of createInterface({ input: child.stdout! })) {
      confirmed = Number(line);
      if (confirmed >= 40) break;
    }
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    store = new GateStore(join(dir, 'gate.db'));
    expect(store.outbox.depth()).toBeGreaterThanOrEqual(confirmed);
    expect(store.passages.pendingEntries(7)).toBe(store.outbox.depth());
  });
});
