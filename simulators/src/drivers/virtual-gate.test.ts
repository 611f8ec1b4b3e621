import {
  type CardRead,
  type DriverError,
  type Passage,
  startGateHardware,
  stopGateHardware,
} from '@scenic/gate-agent/drivers';
import { afterEach, describe, expect, it } from 'vitest';
import { createVirtualGate, type VirtualGate } from './virtual-gate.js';

const gates: VirtualGate[] = [];

async function gate(options: Parameters<typeof createVirtualGate>[0] = {}): Promise<VirtualGate> {
  const g = createVirtualGate({ cardReader: { timeoutMs: 2, pollIntervalMs: 3 }, ...options });
  gates.push(g);
  await startGateHardware(g.hardware);
  return g;
}

const until = async (check: () => boolean) => {
  const end = Date.now() + 1000;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 2));
  }
};

afterEach(async () => {
  await Promise.all(gates.splice(0).map((g) => stopGateHardware(g.hardware)));
});

describe('a virtual gate', () => {
  it('delivers scanned codes and reports garbage like the real scanner', async () => {
    const g = await gate();
    const lines: string[] = [];
    const faults: string[] = [];
    g.scanner.on('line', (l) => lines.push(l));
    g.scanner.on('fault', (e) => faults.push(e.code));
    g.scanner.scan('6901234567892');
    g.scanner.feed(Uint8Array.of(0x00, 0xff, 0x0a));
    expect(lines).toEqual(['6901234567892']);
    expect(faults).toEqual(['LINE_NOT_TEXT']);
  });

  it('reads tapped cards through the real MFRC522 driver', async () => {
    const g = await gate();
    const reads: CardRead[] = [];
    g.cardReader.on('card', (c) => reads.push(c));
    g.cardReader.tap('04A22B1C5D8000');
    await until(() => reads.length === 1);
    g.cardReader.lift();
    g.cardReader.tap('A1B2C3D4');
    await until(() => reads.length === 2);
    expect(reads.map((r) => r.uid)).toEqual(['04A22B1C5D8000', 'A1B2C3D4']);
  });

  it('records relay pulses and lets a virtual visitor through after the gate opens', async () => {
    const g = await gate({ autoPassAfterMs: 5 });
    const passages: Passage[] = [];
    g.passage.on('passage', (p) => passages.push(p));
    await g.relays.entry.pulse(60);
    await until(() => passages.length === 1);
    expect(g.relays.entry.pulses.map((p) => p.ms)).toEqual([60]);
    expect(g.relays.entry.state).toBe(false);
    expect(passages[0]!.direction).toBe('in');
    g.passage.pass('out');
    expect(passages.map((p) => p.direction)).toEqual(['in', 'out']);
  });

  it('lets the next visitor through when a pulse restarts one still running, and one per held-open release', async () => {
    const g = await gate({ autoPassAfterMs: 5 });
    const passages: Passage[] = [];
    g.passage.on('passage', (p) => passages.push(p));
    // The second visitor scanned while the arm was still free: the relay never went off in between.
    const first = g.relays.entry.pulse(200);
    await until(() => passages.length === 1);
    const second = g.relays.entry.pulse(200);
    await until(() => passages.length === 2);
    await Promise.all([first, second]);
    await g.relays.exit.set(true);
    await g.relays.exit.set(true);
    await until(() => passages.length === 3);
    await new Promise((r) => setTimeout(r, 30));
    expect(passages.map((p) => p.direction)).toEqual(['in', 'in', 'out']);
  });

  it('raises a relay pulse below the 50 ms floor like the GPIO relay, reporting it once', async () => {
    const g = await gate();
    const faults: string[] = [];
    g.relays.exit.on('fault', (e) => faults.push(e.code));
    await g.relays.exit.pulse(20);
    await g.relays.exit.pulse(20);
    expect(g.relays.exit.pulses.map((p) => [p.requestedMs, p.ms])).toEqual([
      [20, 50],
      [20, 50],
    ]);
    expect(faults).toEqual(['BAD_CONFIG']);
  });

  it('simulates a jammed passage input: one fault, no passages that way, cleared when released', async () => {
    const g = await gate();
    const passages: string[] = [];
    const faults: DriverError[] = [];
    const cleared: DriverError[] = [];
    g.passage.on('passage', (p) => passages.push(p.direction));
    g.passage.on('fault', (e) => faults.push(e));
    g.passage.on('faultCleared', (e) => cleared.push(e));
    g.passage.jam('in');
    g.passage.jam('in');
    g.passage.pass('in');
    g.passage.pass('out');
    expect(faults.map((e) => e.code)).toEqual(['PASSAGE_INPUT_STUCK']);
    expect(faults[0]).toMatchObject({ direction: 'in' });
    g.passage.unjam('in');
    expect(cleared).toEqual(faults);
    g.passage.pass('in');
    expect(passages).toEqual(['out', 'in']);
  });

  it('shows LED lines cut to the display width, and logs what the voice said', async () => {
    const g = await gate({ led: { lines: 2, widthBytes: 8 } });
    await g.led.show({ lines: ['年卡 剩余12次', '欢迎光临景区'], colour: 'green' });
    // 8 bytes: 年卡 + space + 剩 is 7; 余 would make 9.
    expect(g.led.content).toEqual({ lines: ['年卡 剩', '欢迎光临'], colour: 'green' });
    await g.voice.announce('年卡，欢迎光临', 'zh-CN');
    await g.voice.announce('Welcome', 'en');
    expect(g.voice.log).toEqual([]); // queued, not yet spoken
    await until(() => g.voice.log.length === 2);
    expect(g.voice.transcript).toBe('[zh-CN] 年卡，欢迎光临\n[en] Welcome');
    g.voice.setVolume(80);
    await g.voice.announce('请通行', 'zh-CN');
    await until(() => g.voice.log.length === 3);
    expect(g.voice.log.map((a) => a.volume)).toEqual([50, 50, 80]);
    expect(() => g.voice.setVolume(101)).toThrow(/0–100/);
  });

  it('swallows a card into the bin and ejects another back to the visitor', async () => {
    const g = await gate();
    const recycler = g.recycler!;
    const events: string[] = [];
    recycler.on('cardIn', () => events.push('in'));
    recycler.on('cardGone', () => events.push('gone'));
    recycler.insertCard();
    await recycler.swallow();
    recycler.insertCard();
    await recycler.eject();
    expect(recycler.cardPresent).toBe(true);
    recycler.takeCard();
    expect(events).toEqual(['in', 'gone', 'in', 'gone']);
    expect(recycler.actions).toEqual(['swallow', 'eject']);
    expect(recycler.binCount).toBe(1);
  });

  it('leaves the recycler out when asked', () => {
    expect(createVirtualGate({ recycler: false }).hardware.recycler).toBeUndefined();
  });
});
