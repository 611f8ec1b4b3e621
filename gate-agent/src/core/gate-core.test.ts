import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type DenialEvent,
  type Direction,
  type GateConfig,
  generateSigningKey,
  type PassageEvent,
  type ValidateResponse,
} from '@scenic/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startGateHardware, stopGateHardware } from '../drivers/index.js';
import { type FakeHardware, fakeHardware } from '../drivers/testing.js';
import { GateStore } from '../store/gate-store.js';
import { testRecord } from '../store/testing.js';
import { GateCore, type GateStatus, type ScanOutcome } from './gate-core.js';
import type { OnlineValidator } from './ports.js';
import { codeHash } from './resolve-credential.js';
import { SILENT_LOG, testConfig, testQr } from './testing.js';

interface Harness {
  gate: FakeHardware;
  store: GateStore;
  core: GateCore;
  scan(text: string): Promise<ScanOutcome>;
  tap(uid: string): Promise<ScanOutcome>;
  events(): (PassageEvent | DenialEvent)[];
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function harness(
  options: {
    config?: GateConfig | null;
    autoPass?: boolean;
    now?: () => number;
    online?: OnlineValidator;
    direction?: Direction;
  } = {},
): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'gate-core-'));
  const store = new GateStore(join(dir, 'gate.db'));
  const config = options.config === undefined ? testConfig() : options.config;
  if (config) store.saveConfig(config);
  const gate = fakeHardware(options.autoPass === false ? {} : { autoPassAfterMs: 10 });
  await startGateHardware(gate.hardware);
  const core = new GateCore({
    hardware: gate.hardware,
    store,
    siteId: 'park',
    gateId: 'G01',
    scanDirection: options.direction ?? 'in',
    log: SILENT_LOG,
    ...(options.now ? { now: options.now } : {}),
    ...(options.online ? { online: options.online } : {}),
  });
  await core.start();
  cleanups.push(async () => {
    await core.stop();
    await stopGateHardware(gate.hardware);
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const next = () => new Promise<ScanOutcome>((resolve) => core.once('outcome', resolve));
  return {
    gate,
    store,
    core,
    scan(text) {
      const outcome = next();
      gate.scanner.scan(text);
      return outcome;
    },
    async tap(uid) {
      const outcome = next();
      gate.cardReader.tap(uid);
      const result = await outcome;
      // The reader reports the same card again only after it has seen it leave the field.
      const removed = new Promise((resolve) => gate.cardReader.once('removed', resolve));
      gate.cardReader.lift();
      await removed;
      return result;
    },
    events: () => store.outbox.pendingAfter(0, 1000).map((e) => JSON.parse(e.payload)),
  };
}

/** A Thursday, 10:00 in Shanghai. */
const THURSDAY_10 = Date.UTC(2026, 10, 26, 2, 0);

describe('scans in normal mode', () => {
  it('admits a signed QR sold after the last sync, pulses the entry relay and records the passage', async () => {
    const h = await harness();
    const outcome = await h.scan(testQr());
    expect(outcome).toMatchObject({ admit: true, reason: 'OK', kind: 'qr', ticketId: 100234, passed: true });
    expect(h.gate.relays.entry.pulses).toEqual([expect.objectContaining({ ms: 50 })]);
    expect(h.gate.relays.exit.pulses).toEqual([]);
    expect(h.gate.led.content.lines.join(' ')).toContain('成人票');
    const [event] = h.events();
    expect(event).toMatchObject({ type: 'passage', ticketId: 100234, direction: 'in', decidedOffline: true });
    // A single ticket is spent: the same code again is refused by the count it left behind.
    expect(await h.scan(testQr())).toMatchObject({ admit: false, reason: 'ENTRIES_EXHAUSTED' });
  });

  it('refuses a forged QR, an unknown key and a revoked ticket, reporting only a hash of the code', async () => {
    const h = await harness();
    const genuine = testQr();
    const forged = `${genuine.slice(0, 10)}${genuine[10] === 'A' ? 'B' : 'A'}${genuine.slice(11)}`;
    expect(await h.scan(forged)).toMatchObject({ admit: false, reason: 'BAD_SIGNATURE', kind: 'qr' });
    expect(await h.scan(testQr({}, generateSigningKey(9)))).toMatchObject({ reason: 'UNKNOWN_KEY' });
    h.store.whitelist.refreshRecord(testRecord(100234, { status: 'revoked' }));
    expect(await h.scan(genuine)).toMatchObject({ reason: 'REVOKED', ticketId: 100234 });
    const events = h.events();
    expect(events.map((e) => e.type)).toEqual(['denial', 'denial', 'denial']);
    expect(events[0]).toMatchObject({ codeHash: codeHash(forged), credentialKind: 'qr', ticketId: null });
    expect(JSON.stringify(events)).not.toContain(genuine.slice(0, 40));
    expect(h.gate.relays.entry.pulses).toEqual([]);
    expect(h.gate.led.content.colour).toBe('red');
    await expect.poll(() => h.gate.voice.transcript).toContain('票证无效');
  });

  it('counts a count card down to zero on the LED, then refuses it with ENTRIES_EXHAUSTED', async () => {
    const h = await harness();
    h.store.whitelist.refreshRecord(
      testRecord(5, { typeId: 3, cardUid: '04A2B3C4D5E6F7', entriesTotal: 3, entriesUsed: 1 }),
    );
    const first = await h.tap('04A2B3C4D5E6F7');
    expect(first).toMatchObject({ admit: true, kind: 'card', entriesLeft: 1 });
    expect(h.gate.led.content.lines.join()).toMatch(/1/);
    expect(await h.tap('04A2B3C4D5E6F7')).toMatchObject({ admit: true, entriesLeft: 0 });
    expect(h.store.passages.pendingEntries(5)).toBe(2);
    expect(await h.tap('04A2B3C4D5E6F7')).toMatchObject({ admit: false, reason: 'ENTRIES_EXHAUSTED' });
    expect(h.gate.relays.entry.pulses).toHaveLength(2);
  });

  it('refuses a ticket outside its opening hours and an unsold pre-printed barcode', async () => {
    let now = Date.UTC(2026, 10, 26, 14, 0); // 22:00 in Shanghai
    const h = await harness({
      config: testConfig({}, [
        { typeId: 7, name: { zh: '日场票', en: 'Day' }, hours: [{ from: 480, to: 1080 }] },
      ]),
      now: () => now,
    });
    const code = testQr({ typeId: 7, ticketId: 9 });
    expect(await h.scan(code)).toMatchObject({ admit: false, reason: 'OUTSIDE_HOURS' });
    now = THURSDAY_10;
    expect(await h.scan(code)).toMatchObject({ admit: true });
    h.store.whitelist.refreshRecord(testRecord(11, { barcode: '407182539616', status: 'not_activated' }));
    expect(await h.scan('407182539616')).toMatchObject({ reason: 'NOT_ACTIVATED', kind: 'barcode' });
    expect(await h.scan('407182539617')).toMatchObject({ reason: 'MALFORMED', kind: 'barcode' });
  });

  it('refuses a second entry within the anti-passback window', async () => {
    const h = await harness({
      config: testConfig({}, [{ typeId: 8, name: { zh: '年卡', en: 'Annual' }, antiPassbackSec: 600 }]),
    });
    const code = testQr({ typeId: 8, entries: 0 });
    expect(await h.scan(code)).toMatchObject({ admit: true });
    expect(await h.scan(code)).toMatchObject({ admit: false, reason: 'ANTI_PASSBACK' });
  });

  it('consumes nothing when the admitted person does not pass, and reports NO_PASSAGE', async () => {
    const h = await harness({ autoPass: false, config: testConfig({ passageTimeoutMs: 1000 }) });
    h.store.whitelist.refreshRecord(
      testRecord(5, { typeId: 3, cardUid: '04A2B3C4', entriesTotal: 10, entriesUsed: 2 }),
    );
    expect(await h.tap('04A2B3C4')).toMatchObject({ admit: false, reason: 'NO_PASSAGE', passed: false });
    expect(h.store.passages.pendingEntries(5)).toBe(0);
    expect(h.events()).toEqual([
      expect.objectContaining({ type: 'denial', reason: 'NO_PASSAGE', ticketId: 5 }),
    ]);
    expect(h.gate.led.content.lines[0]).toBe('未通过');
    const again = h.tap('04A2B3C4');
    setTimeout(() => h.gate.passage.pass('in'), 50);
    expect(await again).toMatchObject({ admit: true, entriesLeft: 7, passed: true });
  });

  it('announces a credential without permission here, or refuses it when deny-unauthorized is on', async () => {
    const h = await harness({
      config: testConfig({}, [{ typeId: 9, name: { zh: '南区票', en: 'South' }, zones: ['south'] }]),
    });
    const code = testQr({ typeId: 9 });
    expect(await h.scan(code)).toMatchObject({ reason: 'UNAUTHORIZED_DENIED' });
    h.core.setDenyUnauthorized(false);
    expect(await h.scan(code)).toMatchObject({ reason: 'WRONG_ZONE' });
    expect(h.gate.led.content.lines).toEqual(['南区票', '请工作人员核验']);
  });

  it('keeps running after garbage, an overlong line and a truncated card read', async () => {
    const h = await harness();
    expect(await h.scan('https://pay.example/qr?x=1')).toMatchObject({ reason: 'MALFORMED', kind: null });
    h.gate.scanner.feed(Buffer.alloc(5000, 0x41));
    h.gate.scanner.feed(Buffer.from('\r\n'));
    h.gate.cardReader.failRead();
    await expect.poll(() => h.gate.led.content.lines[0]).toBe('读卡失败');
    expect(h.events()).toHaveLength(1);
    expect(await h.scan(testQr())).toMatchObject({ admit: true });
  });

  it('swallows a single-use card after a valid exit, and hands back a refused one', async () => {
    const h = await harness({ direction: 'out' });
    h.store.whitelist.refreshRecord(
      testRecord(5, { cardUid: '04A2B3C4', entriesTotal: 1, entriesUsed: 1, status: 'used' }),
    );
    h.gate.recycler!.insertCard();
    expect(await h.tap('04A2B3C4')).toMatchObject({ admit: true });
    expect(h.gate.relays.exit.pulses).toHaveLength(1);
    expect(h.gate.recycler!.actions).toEqual(['swallow']);
    // The passage tells the cloud the card was kept, so it can be sold again.
    expect(h.events().at(-1)).toMatchObject({ type: 'passage', ticketId: 5, cardRecycled: true });
    h.store.whitelist.refreshRecord(testRecord(6, { cardUid: '04A2B3C5', status: 'blacklisted' }));
    h.gate.recycler!.insertCard();
    expect(await h.tap('04A2B3C5')).toMatchObject({ admit: false });
    expect(h.gate.recycler!.actions).toEqual(['swallow', 'eject']);
  });
});

describe('automatic check-out', () => {
  const reentryType = { typeId: 9, name: { zh: '日票', en: 'Day ticket' }, reentry: { until: null } };
  const at = (hour: number, minute = 0) => Date.UTC(2026, 10, 26, hour - 8, minute); // Shanghai wall time
  // The passage sensor stamps passages with Date.now: the wall clock itself is set (Date only, timers stay real).
  afterEach(() => {
    vi.useRealTimers();
  });

  it('an offline gate lets a re-entry ticket still inside back in after the site’s check-out time, once', async () => {
    vi.setSystemTime(at(21));
    const h = await harness({ config: testConfig({ autoCheckoutAt: '22:00' }, [reentryType]) });
    const code = testQr({ typeId: 9, ticketId: 31 });
    expect(await h.scan(code)).toMatchObject({ admit: true });
    vi.setSystemTime(at(21, 59));
    // No exit seen and no check-out yet: strict in/out alternation refuses.
    expect(await h.scan(code)).toMatchObject({ admit: false, reason: 'ANTI_PASSBACK' });
    vi.setSystemTime(at(22));
    // 22:00: checked out by the gate itself, no cloud involved; the holder comes back in without an exit.
    expect(await h.scan(code)).toMatchObject({ admit: true, reason: 'OK' });
    vi.setSystemTime(at(22, 5));
    // Inside again since 22:00: the next entry needs an exit again.
    expect(await h.scan(code)).toMatchObject({ admit: false, reason: 'ANTI_PASSBACK' });
    expect(h.events().filter((e) => e.type === 'passage')).toHaveLength(2);
  });

  it('without a check-out time the holder stays inside', async () => {
    vi.setSystemTime(at(21));
    const h = await harness({ config: testConfig({}, [reentryType]) });
    const code = testQr({ typeId: 9, ticketId: 32 });
    expect(await h.scan(code)).toMatchObject({ admit: true });
    vi.setSystemTime(at(22, 30));
    expect(await h.scan(code)).toMatchObject({ admit: false, reason: 'ANTI_PASSBACK' });
  });
});

describe('modes', () => {
  it('stays locked without a config', async () => {
    const h = await harness({ config: null });
    expect(h.core.status.mode).toBe('locked');
    expect(await h.scan(testQr())).toMatchObject({ reason: 'GATE_LOCKED' });
    expect(await h.core.setMode('always_open')).toMatchObject({ ok: false });
    await h.core.applyConfig(testConfig());
    expect(h.core.status).toMatchObject({ mode: 'normal', configVersion: 1 });
    expect(await h.scan(testQr())).toMatchObject({ admit: true });
  });

  it('holds the relays open, refuses or locks according to the mode', async () => {
    const h = await harness({ config: testConfig({ direction: 'in' }) });
    await h.core.setMode('always_open');
    expect([h.gate.relays.entry.state, h.gate.relays.exit.state]).toEqual([true, false]);
    expect(await h.scan(testQr())).toMatchObject({ admit: true, passed: null });
    expect(h.events()).toEqual([]);

    await h.core.setMode('emergency_open');
    expect([h.gate.relays.entry.state, h.gate.relays.exit.state]).toEqual([true, true]);
    expect(h.gate.led.content.lines[0]).toBe('紧急疏散');
    await expect.poll(() => h.gate.voice.transcript).toContain('紧急疏散');

    await h.core.setMode('always_closed');
    expect([h.gate.relays.entry.state, h.gate.relays.exit.state]).toEqual([false, false]);
    expect(await h.scan(testQr())).toMatchObject({ reason: 'GATE_CLOSED' });
    await h.core.setMode('locked');
    expect(await h.scan(testQr())).toMatchObject({ reason: 'GATE_LOCKED' });
    await h.core.setMode('normal');
    expect(await h.scan(testQr())).toMatchObject({ admit: true });
    expect(h.store.meta.get('mode')).toBe('normal');
  });
});

describe('online validation', () => {
  it('follows the cloud for stateful credentials and falls back to local rules without an answer', async () => {
    let answer: ValidateResponse | null = null;
    const asked: unknown[] = [];
    const h = await harness({
      config: testConfig({ onlineValidation: { enabled: true, deadlineMs: 300 } }),
      online: {
        async validate(credential) {
          asked.push(credential);
          return answer;
        },
      },
    });
    h.store.whitelist.refreshRecord(
      testRecord(5, { typeId: 3, barcode: '407182539616', entriesTotal: 10, entriesUsed: 9 }),
    );
    answer = {
      type: 'validate_response',
      v: 1,
      correlationId: 'vr-1',
      decision: 'deny',
      reason: 'DAILY_LIMIT',
      entriesLeft: 1,
      record: null,
    };
    expect(await h.scan('407182539616')).toMatchObject({ admit: false, reason: 'DAILY_LIMIT' });
    answer = { ...answer, decision: 'admit', reason: 'OK', entriesLeft: 0, correlationId: 'vr-2' };
    expect(await h.scan('407182539616')).toMatchObject({
      admit: true,
      decidedOffline: false,
      correlationId: 'vr-2',
    });
    expect(h.events().at(-1)).toMatchObject({
      type: 'passage',
      correlationId: 'vr-2',
      decidedOffline: false,
    });
    answer = null;
    expect(await h.scan('407182539616')).toMatchObject({ admit: false, reason: 'ENTRIES_EXHAUSTED' });
    expect(asked).toEqual(Array(3).fill({ kind: 'barcode', barcode: '407182539616' }));
    // A plain single ticket is decided locally without asking.
    await h.scan(testQr({ entries: 0 }));
    expect(asked).toHaveLength(3);
  });
});

describe('card recycler', () => {
  it('hands back a reusable card after an admitted exit and keeps only single-use cards', async () => {
    const h = await harness({ direction: 'out' });
    const recycler = h.gate.recycler!;
    h.store.whitelist.refreshRecord(
      testRecord(5, { typeId: 3, cardUid: '04A2B3C4', entriesTotal: 10, entriesUsed: 4 }),
    );
    h.store.whitelist.refreshRecord(testRecord(6, { cardUid: '04A2B3C6', entriesTotal: null }));
    recycler.insertCard();
    expect(await h.tap('04A2B3C4')).toMatchObject({ admit: true, passed: true });
    expect(recycler.actions).toEqual(['eject']);
    recycler.takeCard();
    recycler.insertCard();
    expect(await h.tap('04A2B3C6')).toMatchObject({ admit: true, passed: true });
    expect(recycler.actions).toEqual(['eject', 'eject']);
    expect(recycler.binCount).toBe(0);
  });

  it('hands back a card that was not read, and a refused card only once', async () => {
    const h = await harness({ direction: 'out' });
    const recycler = h.gate.recycler!;
    recycler.insertCard();
    h.gate.cardReader.failRead();
    await expect.poll(() => recycler.actions).toEqual(['eject']);
    recycler.takeCard();
    recycler.insertCard();
    expect(await h.tap('04FFFFFF')).toMatchObject({ admit: false, reason: 'UNKNOWN_CREDENTIAL' });
    expect(recycler.actions).toEqual(['eject', 'eject']);
  });

  it('hands back any card dropped in while the gate is open, in emergency or locked', async () => {
    const h = await harness({ direction: 'out' });
    const recycler = h.gate.recycler!;
    for (const mode of ['always_open', 'emergency_open', 'locked'] as const) {
      await h.core.setMode(mode);
      recycler.insertCard();
      await expect.poll(() => recycler.actions.length).toBe(1);
      recycler.takeCard();
      recycler.actions.length = 0;
    }
    // A card lying in the slot when the mode changes goes back too.
    await h.core.setMode('normal');
    recycler.insertCard();
    expect(recycler.actions).toEqual([]);
    await h.core.setMode('emergency_open');
    expect(recycler.actions).toEqual(['eject']);
  });
});

describe('restart', () => {
  async function boot(path: string, gate = fakeHardware({ autoPassAfterMs: 10 })) {
    const store = new GateStore(path);
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
    return {
      gate,
      core,
      async shutdown() {
        await core.stop();
        await stopGateHardware(gate.hardware);
        store.close();
      },
    };
  }

  it('comes back in emergency open, locked or closed, and returns to normal only on command', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gate-restart-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'gate.db');
    const seed = new GateStore(path);
    seed.saveConfig(testConfig());
    seed.close();

    let running = await boot(path);
    expect(running.core.status.mode).toBe('normal');
    await running.core.setMode('emergency_open');
    // Not a clean stop: the process dies with the store as it is.
    await running.shutdown();

    running = await boot(path);
    expect(running.core.status.mode).toBe('emergency_open');
    expect([running.gate.relays.entry.state, running.gate.relays.exit.state]).toEqual([true, true]);
    expect(running.gate.led.content.lines[0]).toBe('紧急疏散');
    await expect.poll(() => running.gate.voice.transcript).toContain('紧急疏散');
    // A newer config is not a command: the evacuation goes on.
    await running.core.applyConfig(testConfig({ version: 2 }));
    expect(running.core.status.mode).toBe('emergency_open');
    await running.core.setMode('locked');
    await running.shutdown();

    running = await boot(path);
    expect(running.core.status.mode).toBe('locked');
    await running.core.setMode('always_open');
    await running.shutdown();

    // always_open is not sticky: the gate starts in the config's default mode.
    running = await boot(path);
    expect(running.core.status.mode).toBe('normal');
    await running.shutdown();
  });

  it('keeps an emergency open commanded before the gate ever had a config', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gate-restart-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'gate.db');
    let running = await boot(path);
    expect(running.core.status.mode).toBe('locked');
    await running.shutdown();
    running = await boot(path);
    expect(running.core.status.mode).toBe('locked');
    await running.core.setMode('emergency_open');
    await running.shutdown();
    running = await boot(path);
    expect(running.core.status.mode).toBe('emergency_open');
    // The first config does not end the evacuation either.
    await running.core.applyConfig(testConfig());
    expect(running.core.status.mode).toBe('emergency_open');
    await running.shutdown();
  });
});

describe('degraded devices', () => {
  it('leaves a degraded LED and voice alone, reports them in the state, and redraws the LED once it is back', async () => {
    const h = await harness();
    const states: GateStatus[] = [];
    h.core.on('state', (s) => states.push(s));
    const show = vi.spyOn(h.gate.led, 'show');
    const spoken = h.gate.voice.log.length;
    h.core.setDegraded([{ role: 'voice' }, { role: 'led' }]);
    expect(h.core.status.degraded).toEqual(['led', 'voice']);
    expect(states.map((s) => s.degraded)).toEqual([['led', 'voice']]);
    // The lane keeps deciding and admitting; it only stops writing to devices that would reject every call.
    expect(await h.scan('garbage')).toMatchObject({ admit: false, reason: 'MALFORMED' });
    expect(await h.scan(testQr())).toMatchObject({ admit: true, passed: true });
    expect(show).not.toHaveBeenCalled();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(h.gate.voice.log).toHaveLength(spoken);
    h.core.setDegraded([{ role: 'voice' }]);
    expect(show).toHaveBeenCalledTimes(1);
    expect(h.gate.led.content.lines).toEqual(['欢迎光临', '请扫码或刷卡']);
    h.core.setDegraded([{ role: 'voice' }]); // unchanged: no new state
    expect(states.map((s) => s.degraded)).toEqual([['led', 'voice'], ['voice']]);
  });

  it('treats a degraded recycler as none: refused cards are not ejected, single-use cards not swallowed', async () => {
    const h = await harness({ direction: 'out' });
    const recycler = h.gate.recycler!;
    h.core.setDegraded([{ role: 'recycler' }]);
    h.store.whitelist.refreshRecord(
      testRecord(5, { cardUid: '04A2B3C4', entriesTotal: 1, entriesUsed: 1, status: 'used' }),
    );
    recycler.insertCard();
    expect(await h.tap('04A2B3C4')).toMatchObject({ admit: true, passed: true });
    expect(h.events().at(-1)).not.toHaveProperty('cardRecycled');
    expect(await h.tap('04FFFFFF')).toMatchObject({ admit: false, reason: 'UNKNOWN_CREDENTIAL' });
    await h.core.setMode('locked');
    expect(recycler.actions).toEqual([]);
    // Back in service: the card lying in the slot while the gate is locked is handed back as usual.
    await h.core.setMode('normal');
    h.core.setDegraded([]);
    await h.core.setMode('locked');
    expect(recycler.actions).toEqual(['eject']);
  });
});

describe('voice volume', () => {
  it('takes the stored config volume at start and each newly applied config volume', async () => {
    const h = await harness({ config: testConfig({ voiceVolume: 35 }) });
    expect(h.gate.voice.volume).toBe(35);
    expect(await h.scan('garbage')).toMatchObject({ reason: 'MALFORMED' });
    await expect.poll(() => h.gate.voice.log.at(-1)?.volume).toBe(35);
    expect(await h.core.applyConfig(testConfig({ version: 2, voiceVolume: 0 }))).toBe(true);
    expect(h.gate.voice.volume).toBe(0);
    // An older config is not applied, so its volume is not either.
    expect(await h.core.applyConfig(testConfig({ version: 1, voiceVolume: 90 }))).toBe(false);
    expect(h.gate.voice.volume).toBe(0);
  });

  it('leaves the driver default until a gate without a stored config receives one', async () => {
    const h = await harness({ config: null });
    expect(h.gate.voice.volume).toBe(50);
    await h.core.applyConfig(testConfig({ voiceVolume: 72 }));
    expect(h.gate.voice.volume).toBe(72);
  });
});

describe('stuck passage input', () => {
  it('takes the lane out of service while its passage input is stuck: LED, alarm, refusals, state; back when released', async () => {
    const h = await harness();
    const states: GateStatus[] = [];
    h.core.on('state', (s) => states.push(s));
    h.gate.passage.jam('in');
    expect(h.gate.relays.alarm.state).toBe(true);
    expect(h.gate.led.content).toMatchObject({ lines: ['暂停服务', '请走其他通道'], colour: 'red' });
    expect(h.core.status.degraded).toEqual(['passage.in']);
    expect(states.at(-1)!.degraded).toEqual(['passage.in']);
    // A valid ticket is refused with its own reason, nothing is released and nothing consumed.
    expect(await h.scan(testQr())).toMatchObject({
      admit: false,
      reason: 'OUT_OF_SERVICE',
      ticketId: 100234,
    });
    expect(h.gate.relays.entry.pulses).toEqual([]);
    expect(h.events()).toEqual([expect.objectContaining({ type: 'denial', reason: 'OUT_OF_SERVICE' })]);
    await expect.poll(() => h.gate.voice.log.at(-1)?.text).toBe('本通道暂停服务，请走其他通道');
    h.gate.passage.unjam('in');
    expect(h.gate.relays.alarm.state).toBe(false);
    expect(h.gate.led.content.lines).toEqual(['欢迎光临', '请扫码或刷卡']);
    expect(h.core.status.degraded).toEqual([]);
    expect(await h.scan(testQr())).toMatchObject({ admit: true, passed: true });
  });

  it('keeps admitting its own way when only the other way is stuck, but raises the alarm and reports it', async () => {
    const h = await harness({ config: testConfig({ ledLanguage: 'en' }) });
    h.gate.passage.jam('out');
    expect(h.gate.relays.alarm.state).toBe(true);
    expect(h.core.status.degraded).toEqual(['passage.out']);
    expect(h.gate.led.content.lines).toEqual(['Welcome', 'Scan or tap card']);
    expect(await h.scan(testQr())).toMatchObject({ admit: true, passed: true });
    h.gate.passage.unjam('out');
    expect(h.gate.relays.alarm.state).toBe(false);
  });

  it('shows the out-of-service text in English and leaves the emergency and closed modes their own texts', async () => {
    const h = await harness({ config: testConfig({ ledLanguage: 'en' }), direction: 'out' });
    h.gate.passage.jam('out');
    expect(h.gate.led.content.lines).toEqual(['Out of service', 'Use another gate']);
    await h.core.setMode('emergency_open');
    expect(h.gate.led.content.lines).toEqual(['EMERGENCY', 'All gates open']);
    // Evacuation is never refused, stuck input or not.
    expect(await h.scan(testQr())).toMatchObject({ admit: true, reason: 'OK' });
    await h.core.setMode('normal');
    expect(h.gate.led.content.lines).toEqual(['Out of service', 'Use another gate']);
  });
});
