import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSimArgs, UsageError } from './sim-options.js';
import { TerminalUi } from './terminal-ui.js';
import { adultQr, groupQr, startTestGate, type TestGate } from './testing.js';

const gates: TestGate[] = [];
afterEach(async () => {
  for (const gate of gates.splice(0)) await gate.close();
});

async function ready(gateId: string): Promise<TestGate> {
  const gate = await startTestGate(gateId);
  gates.push(gate);
  await expect
    .poll(() => gate.sim.state, { timeout: 10_000 })
    .toMatchObject({ online: true, configVersion: 1 });
  return gate;
}

describe('the simulated gate', () => {
  it('admits a signed QR with the config the cloud retained: LED, voice, entry relay, passage event', async () => {
    const { sim, received } = await ready('SIM01');
    expect(sim.state).toMatchObject({ mode: 'normal', led: { lines: ['欢迎光临', '请扫码或刷卡'] } });
    sim.act({ kind: 'scan', code: adultQr(100234) });
    await expect.poll(() => sim.state.led.lines.join(' ')).toContain('成人票');
    expect(sim.state.led.colour).toBe('green');
    expect(sim.gate.relays.entry.pulses).toEqual([expect.objectContaining({ ms: 300 })]);
    await expect.poll(() => sim.state.voice).toContain('成人票');
    // The virtual visitor walks through: the passage is recorded and reaches the cloud.
    await expect
      .poll(() => sim.state.decisions[0])
      .toMatchObject({ admit: true, reason: 'OK', passed: true });
    await expect
      .poll(() => received.find((r) => r.json.type === 'passage')?.json)
      .toMatchObject({ ticketId: 100234, direction: 'in' });

    // The same single ticket again is spent; nobody walks through without auto-pass.
    sim.act({ kind: 'autoPass', on: false });
    sim.act({ kind: 'scan', code: adultQr(100234) });
    await expect.poll(() => sim.state.decisions[0]?.reason).toBe('ENTRIES_EXHAUSTED');
    expect(sim.state.led.colour).toBe('red');
    expect(() => sim.act({ kind: 'tap', uid: '12345' })).toThrow(/4, 7 or 10 bytes/);
  });

  it('walks a group through a group pass: k of N counted in one passage, the rest on the next scan', async () => {
    const { sim, received } = await ready('SIM05');
    sim.act({ kind: 'autoPass', on: false });
    sim.act({ kind: 'scan', code: groupQr(8801, 6) });
    await expect.poll(() => sim.state.led.lines.join(' ')).toContain('团体票 6人');
    // Four of the six are at the gate: one walks per release, and the pass ends a second after the fourth.
    sim.act({ kind: 'walk', direction: 'in', persons: 4 });
    await expect
      .poll(() => sim.state.decisions[0], { timeout: 10_000 })
      .toMatchObject({
        admit: true,
        passed: true,
        persons: 4,
      });
    expect(sim.state.waiting).toBe(0);
    expect(sim.gate.relays.entry.pulses).toHaveLength(5);
    await expect
      .poll(() => received.find((r) => r.json.type === 'passage')?.json)
      .toMatchObject({ ticketId: 8801, persons: 4, entriesLeft: 2 });
    // The two who were late: queued first this time, the scan releases for them.
    sim.act({ kind: 'walk', direction: 'in', persons: 2 });
    expect(sim.state.waiting).toBe(2);
    sim.act({ kind: 'scan', code: groupQr(8801, 6) });
    await expect
      .poll(() => sim.state.decisions[0], { timeout: 10_000 })
      .toMatchObject({ admit: true, persons: 2, entriesLeft: 0 });
    sim.act({ kind: 'scan', code: groupQr(8801, 6) });
    await expect.poll(() => sim.state.decisions[0]?.reason).toBe('ENTRIES_EXHAUSTED');
    expect(() => sim.act({ kind: 'walk', direction: 'in', persons: 0 })).toThrow(/1–999/);
  }, 30_000);

  it('lists its devices, marks a degraded one, and jams the passage input: alarm, out of service, back after', async () => {
    const { sim } = await ready('SIM03');
    const status = () => Object.fromEntries(sim.state.devices.map((d) => [d.id, d.status]));
    expect(status()).toEqual({
      scanner: 'ok',
      cardReader: 'ok',
      led: 'ok',
      voice: 'ok',
      recycler: 'ok',
      'passage.in': 'ok',
      'passage.out': 'ok',
    });
    // What startAgent hands the core when a device could not be started.
    sim.agent.core.setDegraded([{ role: 'voice' }]);
    await expect.poll(() => status().voice).toBe('degraded');

    sim.act({ kind: 'jam' });
    expect(sim.state.jammed).toBe(true);
    await expect.poll(() => status()['passage.in']).toBe('stuck');
    expect(status()['passage.out']).toBe('ok');
    await expect.poll(() => sim.state.relays.alarm).toBe(true);
    sim.act({ kind: 'scan', code: adultQr(7701) });
    await expect.poll(() => sim.state.decisions[0]?.reason).toBe('OUT_OF_SERVICE');
    expect(sim.state.led.colour).toBe('red');
    expect(sim.gate.relays.entry.pulses).toEqual([]);

    sim.act({ kind: 'jam', on: false });
    await expect.poll(() => status()['passage.in']).toBe('ok');
    expect(sim.state).toMatchObject({ jammed: false, relays: { alarm: false } });
    sim.act({ kind: 'scan', code: adultQr(7701) });
    await expect
      .poll(() => sim.state.decisions[0])
      .toMatchObject({ admit: true, reason: 'OK', passed: true });
  });

  it('is driven from the terminal: a pasted code, a card, walking through by hand, auto-pass and quit', async () => {
    const { sim } = await ready('SIM02');
    const input = new PassThrough();
    let screen = '';
    const output = new Writable({
      write(chunk, _encoding, done) {
        // Each redraw starts by clearing the screen: keep the latest one.
        const text = chunk.toString('utf8');
        const clear = text.lastIndexOf('\x1b[2J');
        screen = clear >= 0 ? text.slice(clear + 4) : screen + text;
        done();
      },
    });
    let quit = false;
    const ui = new TerminalUi({ sim, input, output, onQuit: () => (quit = true) });
    const plain = () => stripVTControlCharacters(screen);
    try {
      expect(plain()).toMatch(/模式 Mode 正常 normal/);
      expect(plain()).toMatch(/链路 Link ● 在线 online/);
      input.write('a\n');
      await expect.poll(plain).toContain('自动通过 Auto-pass off');
      input.write(`${adultQr(5501)}\n`);
      await expect.poll(plain).toMatch(/成人票/);
      // The energised entry relay is drawn as moving arrows.
      expect(plain()).toMatch(/入口 entry \[[ >]*>[ >]*\]/);
      input.write('p\n');
      await expect.poll(plain).toMatch(/✔ OK qr #5501/);
      await expect.poll(plain).toMatch(/待发 Outbox 0/);
      input.write('c 04A2B3C4\n');
      await expect.poll(plain).toMatch(/✘ UNKNOWN_CREDENTIAL card/);
      expect(plain()).toMatch(
        /读卡器 Reader 04A2B3C4 +回收器 Recycler 有卡 card in slot · 已回收 bin 0 · 上次 last eject/,
      );
      input.write('l\n');
      await expect.poll(plain).toMatch(/读卡器 Reader - /);
      input.write('j\n');
      await expect.poll(plain).toMatch(/通道卡住 Jam on/);
      await expect.poll(plain).toMatch(/入口通道 passage in ✘ 卡住 stuck/);
      expect(plain()).toMatch(/扫码器 scanner ✔/);
      input.write('j\n');
      await expect.poll(plain).toMatch(/入口通道 passage in ✔/);
      input.write('c 12\n');
      await expect.poll(plain).toContain('a card UID is 4, 7 or 10 bytes');
      input.write('q\n');
      await expect.poll(() => quit).toBe(true);
    } finally {
      ui.close();
    }
  });
});

describe('command line', () => {
  it("takes a gate's own agent config file, runs it on virtual devices and lets flags override it", () => {
    const dir = mkdtempSync(join(tmpdir(), 'gate-sim-config-'));
    try {
      const file = join(dir, 'gate.json');
      writeFileSync(
        file,
        JSON.stringify({
          siteId: 'zoo',
          gateId: 'E02',
          direction: 'out',
          broker: { url: 'mqtts://broker.zoo.lan:8883', username: 'gate@zoo@E02', password: 'secret' },
          dataDir: 'data',
          drivers: {
            kind: 'hardware',
            relays: { entry: { line: 17 }, exit: { line: 27 }, alarm: { line: 22 } },
            passage: { entry: { line: 5 }, exit: { line: 6 } },
            scanner: { kind: 'stdin' },
            cardReader: {},
            led: { path: '/dev/ttyS1' },
          },
        }),
      );
      const { agent } = parseSimArgs(['--config', file, '--broker', 'mqtt://127.0.0.1:1883']);
      expect(agent).toMatchObject({
        siteId: 'zoo',
        gateId: 'E02',
        direction: 'out',
        broker: { url: 'mqtt://127.0.0.1:1883', username: 'gate@zoo@E02', password: 'secret' },
        dataDir: join(dir, 'data'),
        drivers: { kind: 'virtual', autoPassAfterMs: 500 },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('builds the agent config from flags, with virtual drivers and the embedded broker by default', () => {
    const options = parseSimArgs(['--gate', 'G07', '--direction', 'out', '--web', '8090', '--no-tui']);
    expect(options).toMatchObject({
      webPort: 8090,
      tui: false,
      agent: {
        siteId: 'park',
        gateId: 'G07',
        direction: 'out',
        broker: { url: 'mqtt://127.0.0.1:1883' },
        drivers: { kind: 'virtual', autoPassAfterMs: 500 },
      },
    });
    expect(() => parseSimArgs(['--gate', 'a/b'])).toThrow(UsageError);
    expect(() => parseSimArgs(['--web', 'http'])).toThrow(/--web needs a port/);
    expect(() => parseSimArgs(['--broker', 'http://x'])).toThrow(/broker.url/);
    expect(() => parseSimArgs(['--frobnicate', '1'])).toThrow(/unknown option --frobnicate/);
  });
});
