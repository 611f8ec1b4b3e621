/**
 * The group pass: one scan of a group code lets its persons through one release at a time, counts them with the
 * passage sensor, ends on the count or the group idle timeout and reports one passage with the headcount; the rest
 * stay on the code for the next scan (partial redemption). Also online (the cloud says how many it holds) and
 * across a restart in the middle of a pass (the admit intent carries the headcount so far).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PassageEvent, QR_FLAGS, type TicketTypeRules, type ValidateResponse } from '@scenic/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { startGateHardware, stopGateHardware } from '../drivers/index.js';
import { type FakeHardware, fakeHardware } from '../drivers/testing.js';
import { GateStore } from '../store/gate-store.js';
import { testRecord } from '../store/testing.js';
import { GateCore, type ScanOutcome } from './gate-core.js';
import type { OnlineValidator } from './ports.js';
import { SILENT_LOG, testConfig, testQr } from './testing.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const GROUP_TYPE = 9;
const GROUP_ID = 700001;
const GROUP_QR = testQr({ ticketId: GROUP_ID, typeId: GROUP_TYPE, entries: 30, flags: QR_FLAGS.GROUP });
/** The smallest idle timeout a config allows: a pass that stops short ends a second after its last person. */
const IDLE_MS = 1_000;

function scratchFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gate-group-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'gate.db');
}

async function gateOn(
  path: string,
  options: { rules?: Partial<TicketTypeRules>; online?: OnlineValidator; onlineEnabled?: boolean } = {},
) {
  const store = new GateStore(path);
  store.saveConfig(
    testConfig(
      {
        groupIdleMs: IDLE_MS,
        passageTimeoutMs: 2_000,
        onlineValidation: { enabled: options.onlineEnabled ?? false, deadlineMs: 300 },
      },
      [{ typeId: GROUP_TYPE, name: { zh: '团体票', en: 'Group ticket' }, ...options.rules }],
    ),
  );
  const gate: FakeHardware = fakeHardware();
  await startGateHardware(gate.hardware);
  const core = new GateCore({
    hardware: gate.hardware,
    store,
    siteId: 'park',
    gateId: 'G01',
    scanDirection: 'in',
    log: SILENT_LOG,
    ...(options.online ? { online: options.online } : {}),
  });
  await core.start();
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await core.stop();
    await stopGateHardware(gate.hardware);
    store.close();
  };
  cleanups.push(stop);
  const scan = (text: string) => {
    const outcome = new Promise<ScanOutcome>((resolve) => core.once('outcome', resolve));
    gate.scanner.scan(text);
    return outcome;
  };
  /** k persons walk through, each once the turnstile was released for them. */
  const walk = async (k: number) => {
    for (let i = 0; i < k; i++) {
      await expect
        .poll(() => gate.relays.entry.pulses.length, { interval: 2 })
        .toBeGreaterThan(pulsesAtScan + i);
      gate.passage.pass('in');
    }
  };
  let pulsesAtScan = 0;
  const startScan = (text: string) => {
    pulsesAtScan = gate.relays.entry.pulses.length;
    return scan(text);
  };
  const passages = () =>
    store.outbox
      .pendingAfter(0, 1000)
      .filter((e) => e.channel === 'event/passage')
      .map((e) => JSON.parse(e.payload) as PassageEvent);
  return { store, gate, core, scan: startScan, walk, passages, stop };
}

const groupOf30 = (fields: Parameters<typeof testRecord>[1] = {}) =>
  testRecord(GROUP_ID, { typeId: GROUP_TYPE, entriesTotal: 30, persons: 30, ...fields });

describe('a group pass', () => {
  it('group of 30: 25 pass and the pass ends idle (headcount 25), a second scan admits the 5, a third is refused', async () => {
    // Anti-passback on the type: the second scan is the rest of the same entry, not a passback.
    const h = await gateOn(scratchFile(), { rules: { antiPassbackSec: 600 } });
    h.store.whitelist.refreshRecord(groupOf30());

    const firstScan = h.scan(GROUP_QR);
    await expect.poll(() => h.gate.led.content.lines.join(' ')).toContain('团体票 30人');
    await expect.poll(() => h.gate.voice.transcript).toContain('团体票，三十人，请通行');
    const started = Date.now();
    await h.walk(25);
    const first = await firstScan;
    // Ended by the idle timeout after the 25th person, not by the count.
    expect(Date.now() - started).toBeGreaterThanOrEqual(IDLE_MS - 50);
    expect(first).toMatchObject({ admit: true, reason: 'OK', passed: true, persons: 25, entriesLeft: 5 });
    // One release per person, and one more that nobody used before the pass ended.
    expect(h.gate.relays.entry.pulses).toHaveLength(26);
    expect(h.passages()).toEqual([
      expect.objectContaining({ ticketId: GROUP_ID, persons: 25, entriesLeft: 5, direction: 'in' }),
    ]);
    expect(h.store.passages.pendingEntries(GROUP_ID)).toBe(25);
    expect(h.store.settleAdmitIntents()).toEqual([]);

    const secondScan = h.scan(GROUP_QR);
    await expect.poll(() => h.gate.led.content.lines.join(' ')).toContain('团体票 5人');
    await h.walk(5);
    // Ended by the count: no idle wait, no release beyond the fifth.
    expect(await secondScan).toMatchObject({ admit: true, passed: true, persons: 5, entriesLeft: 0 });
    expect(h.gate.relays.entry.pulses).toHaveLength(31);
    expect(h.passages().map((p) => [p.persons, p.entriesLeft])).toEqual([
      [25, 5],
      [5, 0],
    ]);
    expect(h.store.passages.pendingEntries(GROUP_ID)).toBe(30);

    expect(await h.scan(GROUP_QR)).toMatchObject({
      admit: false,
      reason: 'ENTRIES_EXHAUSTED',
      ticketId: GROUP_ID,
    });
    expect(h.gate.relays.entry.pulses).toHaveLength(31);
  }, 20_000);

  it('counts two persons the sensor reports in the same tick, and reports NO_PASSAGE when nobody comes', async () => {
    const h = await gateOn(scratchFile());
    h.store.whitelist.refreshRecord(groupOf30({ entriesUsed: 27 }));
    const pass = h.scan(GROUP_QR);
    await expect.poll(() => h.gate.relays.entry.pulses.length).toBe(1);
    h.gate.passage.pass('in');
    h.gate.passage.pass('in');
    h.gate.passage.pass('out'); // someone leaving the other way is not one of the group
    await expect.poll(() => h.gate.relays.entry.pulses.length).toBe(3);
    h.gate.passage.pass('in');
    expect(await pass).toMatchObject({ admit: true, persons: 3, entriesLeft: 0 });

    h.store.whitelist.refreshRecord(groupOf30());
    const nobody = await h.scan(GROUP_QR);
    expect(nobody).toMatchObject({ admit: false, reason: 'NO_PASSAGE', passed: false });
  }, 20_000);

  it('a group QR sold after the last sync admits the persons its signed count says', async () => {
    const h = await gateOn(scratchFile());
    expect(h.store.byTicketId(GROUP_ID)).toBeNull();
    const pass = h.scan(GROUP_QR);
    await expect.poll(() => h.gate.led.content.lines.join(' ')).toContain('团体票 30人');
    await h.walk(2);
    expect(await pass).toMatchObject({ admit: true, persons: 2, entriesLeft: 28, decidedOffline: true });
    expect(h.store.passages.pendingEntries(GROUP_ID)).toBe(2);
  }, 20_000);

  it('online: admits only the persons the cloud holds for this gate, and reports its correlation id', async () => {
    const asked: string[] = [];
    const online: OnlineValidator = {
      async validate(credential) {
        asked.push(credential.kind);
        return {
          type: 'validate_response',
          v: 1,
          correlationId: 'vr-group-1',
          decision: 'admit',
          reason: 'OK',
          entriesLeft: 0,
          persons: 4,
          record: groupOf30({ entriesUsed: 26 }),
        } satisfies ValidateResponse;
      },
    };
    const h = await gateOn(scratchFile(), { online, onlineEnabled: true });
    h.store.whitelist.refreshRecord(groupOf30());
    const pass = h.scan(GROUP_QR);
    await expect.poll(() => h.gate.led.content.lines.join(' ')).toContain('团体票 4人');
    await h.walk(4);
    expect(await pass).toMatchObject({ admit: true, persons: 4, entriesLeft: 0, decidedOffline: false });
    expect(asked).toEqual(['qr']);
    expect(h.passages()).toEqual([
      expect.objectContaining({
        persons: 4,
        entriesLeft: 0,
        correlationId: 'vr-group-1',
        decidedOffline: false,
      }),
    ]);
    // The cloud's record (26 used) plus the 4 this gate counted and has not yet seen acknowledged.
    expect(h.store.byTicketId(GROUP_ID)?.entriesUsed).toBe(26);
    expect(h.store.passages.pendingEntries(GROUP_ID)).toBe(4);
  }, 20_000);

  it('a restart in the middle of a pass reports the persons counted plus the release nobody saw through', async () => {
    const path = scratchFile();
    const first = await gateOn(path);
    first.store.whitelist.refreshRecord(groupOf30());
    void first.scan(GROUP_QR);
    await first.walk(7);
    // The 8th release has fired; the agent dies before anyone else is counted.
    await expect.poll(() => first.gate.relays.entry.pulses.length).toBe(8);
    const second = await gateOn(path);
    const unconfirmed = second.passages();
    expect(unconfirmed).toEqual([
      expect.objectContaining({ ticketId: GROUP_ID, persons: 8, entriesLeft: 22, unconfirmed: true }),
    ]);
    expect(second.store.passages.pendingEntries(GROUP_ID)).toBe(8);
    await first.stop();

    // A type whose unconfirmed passages are free: the 7 counted are still used, the uncertain 8th is not.
    const lenientPath = scratchFile();
    const lenient = await gateOn(lenientPath, { rules: { unconfirmedUsesEntry: false } });
    lenient.store.whitelist.refreshRecord(groupOf30());
    void lenient.scan(GROUP_QR);
    await lenient.walk(7);
    await expect.poll(() => lenient.gate.relays.entry.pulses.length).toBe(8);
    const restarted = await gateOn(lenientPath, { rules: { unconfirmedUsesEntry: false } });
    expect(restarted.passages()).toEqual([
      expect.objectContaining({ persons: 8, entriesLeft: 23, unconfirmed: true }),
    ]);
    expect(restarted.store.passages.pendingEntries(GROUP_ID)).toBe(7);
    await lenient.stop();
  }, 20_000);
});
