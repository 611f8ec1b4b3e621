/**
 * The admit intent: an admit is on disk before its relay fires, so an agent that dies between the relay and the
 * passage sensor (kill -9, power cut) reports that admit at its next start as an unconfirmed passage instead of
 * forgetting it. Here the "restart" is a second store and core on the same file while the first one still waits for
 * a visitor who never comes; the process-level kills are in test/e2e/gate-crash.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PassageEvent, TicketTypeRules } from '@scenic/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { startGateHardware, stopGateHardware } from '../drivers/index.js';
import { fakeHardware } from '../drivers/testing.js';
import { GateStore } from '../store/gate-store.js';
import { testRecord } from '../store/testing.js';
import { GateCore, type ScanOutcome } from './gate-core.js';
import { SILENT_LOG, testConfig } from './testing.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const CARD = '04A2B3C4';

async function gateOn(path: string, options: { autoPass: boolean; rules?: Partial<TicketTypeRules> }) {
  const store = new GateStore(path);
  // Type 7: a card type whose rules the test sets.
  store.saveConfig(testConfig({}, [{ typeId: 7, name: { zh: '年卡', en: 'Year pass' }, ...options.rules }]));
  const gate = fakeHardware(options.autoPass ? { autoPassAfterMs: 10 } : {});
  await startGateHardware(gate.hardware);
  const core = new GateCore({
    hardware: gate.hardware,
    store,
    siteId: 'park',
    gateId: 'G01',
    scanDirection: 'in',
    log: SILENT_LOG,
  });
  await core.start();
  cleanups.push(async () => {
    await core.stop();
    await stopGateHardware(gate.hardware);
    store.close();
  });
  const tap = (uid: string) => {
    const outcome = new Promise<ScanOutcome>((resolve) => core.once('outcome', resolve));
    gate.cardReader.tap(uid);
    return outcome;
  };
  const passages = () =>
    store.outbox
      .pendingAfter(0, 100)
      .filter((e) => e.channel === 'event/passage')
      .map((e) => JSON.parse(e.payload) as PassageEvent);
  return { store, gate, core, tap, passages };
}

function scratchFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gate-intent-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'gate.db');
}

/** Scans the card on a gate nobody walks through, and waits until its relay has fired. */
async function releasedButNotPassed(path: string, typeId: number, rules: Partial<TicketTypeRules> = {}) {
  const first = await gateOn(path, { autoPass: false, rules });
  first.store.whitelist.refreshRecord(
    testRecord(5, { typeId, cardUid: CARD, entriesTotal: 10, entriesUsed: 4 }),
  );
  void first.tap(CARD);
  await expect.poll(() => first.gate.relays.entry.pulses.length).toBe(1);
  return first;
}

describe('the admit intent', () => {
  it('is on disk when the relay fires, and a restart before the passage sensor settles it as an unconfirmed passage that uses the entry', async () => {
    const path = scratchFile();
    const first = await releasedButNotPassed(path, 3);
    expect(first.passages()).toEqual([]);

    // The agent died here; the next start finds the admit and reports it.
    const second = await gateOn(path, { autoPass: true });
    const [settled] = second.passages();
    expect(settled).toMatchObject({ ticketId: 5, direction: 'in', unconfirmed: true, entriesLeft: 5 });
    expect(second.store.pendingEntries(5)).toBe(1);
    expect(second.store.intents.all()).toEqual([]);
    // The next scan counts it: 4 used in the record, 1 unconfirmed, this one.
    expect(await second.tap(CARD)).toMatchObject({ admit: true, entriesLeft: 4 });
    expect(second.passages().map((p) => p.unconfirmed)).toEqual([true, undefined]);
  });

  it('settles as unconfirmed but uses no entry when the ticket type says so', async () => {
    const path = scratchFile();
    const rules = { unconfirmedUsesEntry: false };
    await releasedButNotPassed(path, 7, rules);
    const second = await gateOn(path, { autoPass: true, rules });
    expect(second.passages()).toEqual([expect.objectContaining({ ticketId: 5, unconfirmed: true })]);
    expect(second.store.pendingEntries(5)).toBe(0);
  });

  it('is settled with the passage, or with the NO_PASSAGE refusal, and never reported twice', async () => {
    const path = scratchFile();
    const walked = await gateOn(path, { autoPass: true });
    walked.store.whitelist.refreshRecord(testRecord(5, { typeId: 3, cardUid: CARD, entriesTotal: 10 }));
    expect(await walked.tap(CARD)).toMatchObject({ admit: true, passed: true });
    expect(walked.store.intents.all()).toEqual([]);
    const [passage] = walked.passages();
    expect(passage!.unconfirmed).toBeUndefined();

    // testConfig's passageTimeoutMs: 1 s.
    const nobody = await gateOn(scratchFile(), { autoPass: false });
    nobody.store.whitelist.refreshRecord(testRecord(5, { typeId: 3, cardUid: CARD, entriesTotal: 10 }));
    expect(await nobody.tap(CARD)).toMatchObject({ admit: false, reason: 'NO_PASSAGE', passed: false });
    expect(nobody.store.intents.all()).toEqual([]);
    expect(nobody.passages()).toEqual([]);
    expect(nobody.store.pendingEntries(5)).toBe(0);
  });
});
