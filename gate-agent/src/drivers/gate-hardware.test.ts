import { afterEach, describe, expect, it, vi } from 'vitest';
import { DriverError } from './errors.js';
import { restartDegraded, startGateHardware, stopGateHardware } from './gate-hardware.js';
import type { Device } from './interfaces.js';
import { type FakeHardware, fakeHardware } from './testing.js';

const gates: FakeHardware[] = [];

function gate(): FakeHardware {
  const g = fakeHardware();
  gates.push(g);
  return g;
}

/** Makes start() fail as a missing device does; returns a spy on stop(). */
function breakStart(device: Device, code: DriverError['code'] = 'SERIAL_IO') {
  const start = vi.spyOn(device, 'start').mockRejectedValue(new DriverError(code, 'cannot open /dev/ttyS9'));
  return { start, stop: vi.spyOn(device, 'stop') };
}

afterEach(async () => {
  await Promise.all(gates.splice(0).map((g) => stopGateHardware(g.hardware)));
});

describe('startGateHardware', () => {
  it('resolves with no degraded devices when everything starts', async () => {
    const g = gate();
    await expect(startGateHardware(g.hardware)).resolves.toEqual([]);
  });

  it('runs the lane without a dead LED, voice and recycler, and lists them', async () => {
    const g = gate();
    const led = breakStart(g.led);
    breakStart(g.voice, 'VOICE_RENDER_FAILED');
    breakStart(g.recycler!, 'GPIO_IO');
    const degraded = await startGateHardware(g.hardware);
    expect(degraded.map((d) => [d.role, d.error.code])).toEqual([
      ['led', 'SERIAL_IO'],
      ['voice', 'VOICE_RENDER_FAILED'],
      ['recycler', 'GPIO_IO'],
    ]);
    expect(degraded[0]!.device).toBe(g.led);
    expect(led.stop).toHaveBeenCalled(); // whatever it half-acquired is released
    // The lane works: relays release, passages are seen, scans arrive.
    await g.relays.entry.pulse(50);
    const lines: string[] = [];
    g.scanner.on('line', (l) => lines.push(l));
    g.scanner.scan('6901234567892');
    expect(lines).toEqual(['6901234567892']);
    // A degraded device refuses work instead of pretending.
    await expect(g.voice.announce('你好', 'zh-CN')).rejects.toMatchObject({ code: 'NOT_STARTED' });
  });

  it('runs with one credential reader, but not with none', async () => {
    const one = gate();
    breakStart(one.scanner);
    const degraded = await startGateHardware(one.hardware);
    expect(degraded.map((d) => d.role)).toEqual(['scanner']);

    const none = gate();
    breakStart(none.scanner);
    breakStart(none.cardReader, 'SPI_IO');
    const relayStop = vi.spyOn(none.relays.entry, 'stop');
    await expect(startGateHardware(none.hardware)).rejects.toMatchObject({
      code: 'SPI_IO',
      message: expect.stringMatching(/no credential reader.*cardReader.*scanner/),
    });
    expect(relayStop).toHaveBeenCalled();
    await expect(none.relays.entry.pulse(50)).rejects.toMatchObject({ code: 'NOT_STARTED' });
  });

  it('still fails the start when an essential device fails, stopping what had started', async () => {
    for (const pick of [(g: FakeHardware) => g.relays.exit, (g: FakeHardware) => g.passage]) {
      const g = gate();
      breakStart(pick(g), 'GPIO_IO');
      const ledStop = vi.spyOn(g.led, 'stop');
      await expect(startGateHardware(g.hardware)).rejects.toMatchObject({ code: 'GPIO_IO' });
      await expect(g.relays.entry.set(true)).rejects.toMatchObject({ code: 'NOT_STARTED' });
      if (pick(g) === g.passage) expect(ledStop).toHaveBeenCalled();
    }
  });

  it('wraps a non-DriverError start failure in a typed error naming the role', async () => {
    const g = gate();
    vi.spyOn(g.led, 'start').mockRejectedValue(new Error('EACCES'));
    const [led] = await startGateHardware(g.hardware);
    expect(led!.error).toBeInstanceOf(DriverError);
    expect(led!.error.message).toMatch(/led could not be started: EACCES/);
  });

  it('restarts degraded devices that have come back, keeping the others listed', async () => {
    const g = gate();
    const led = breakStart(g.led);
    breakStart(g.voice, 'VOICE_RENDER_FAILED');
    const degraded = await startGateHardware(g.hardware);
    led.start.mockRestore(); // the LED cable is plugged back in
    const still = await restartDegraded(degraded);
    expect(still.map((d) => d.role)).toEqual(['voice']);
    await g.led.show({ lines: ['欢迎'] });
    expect(g.led.content.lines).toEqual(['欢迎']);
  });
});
