/**
 * Building the devices an agent config names. The agent itself builds real drivers only; a config with virtual
 * drivers is run by the simulators package (`npm run sim-agent`), which passes its own HardwareFactory — the agent
 * never depends on the simulators.
 */
import { join } from 'node:path';
import { type AgentConfig, ConfigError, type HardwareDriversConfig } from './config.js';
import {
  type GateHardware,
  type GpioLines,
  Mfrc522Reader,
  type SpiTransport,
  StreamScanner,
} from './drivers/index.js';

/**
 * What a simulated lane lets code do in a technician's place, so test-hardware can run unattended on it. The
 * simulators' virtual gate has this shape.
 */
export interface SimulatedInputs {
  readonly scanner: { scan(code: string): void };
  readonly cardReader: { tap(uid: string): unknown; lift(): void };
  readonly recycler?: { insertCard(): void; takeCard(): void } | undefined;
}

export interface BuiltHardware {
  readonly hardware: GateHardware;
  /** Present when the devices are simulated (test-hardware then produces the inputs itself). */
  readonly simulated?: SimulatedInputs;
}

export interface HardwareOptions {
  /**
   * A config's keyboard-wedge scanner reads stdin. Default true; a factory for simulated devices may honour false by
   * keeping a scanner that code feeds instead.
   */
  readonly stdinScanner?: boolean;
}

/** Builds the devices for a config: the agent's createHardware, or one that also knows simulated devices. */
export type HardwareFactory = (config: AgentConfig, options?: HardwareOptions) => Promise<BuiltHardware>;

/** The command that runs a config with virtual drivers (the simulators package). */
export const SIM_AGENT_COMMAND = 'npm run sim-agent --';

/**
 * Builds the real devices the config names. Real drivers load native modules, so they are imported only here and
 * only when asked for. Virtual drivers are refused with a ConfigError naming the simulators' command.
 */
export async function createHardware(config: AgentConfig): Promise<BuiltHardware> {
  const drivers = config.drivers;
  if (drivers.kind === 'virtual') {
    throw new ConfigError(
      `drivers.kind "virtual" runs on simulated devices: start it with \`${SIM_AGENT_COMMAND} <command> --config <file>\` (simulators package)`,
    );
  }
  return { hardware: await createRealHardware(drivers, config.dataDir) };
}

/** Stand-ins for the board's buses, so the wiring of a hardware config can be exercised on any PC. */
export interface RealHardwareBuses {
  readonly gpio?: GpioLines;
  readonly openSpi?: (options: { bus: number; device: number; speedHz: number }) => Promise<SpiTransport>;
}

/** The real drivers for a `"kind": "hardware"` config, on sysfs GPIO and spidev unless `buses` says otherwise. */
export async function createRealHardware(
  d: HardwareDriversConfig,
  dataDir: string,
  buses: RealHardwareBuses = {},
): Promise<GateHardware> {
  const hw = await import('./drivers/hardware.js');
  const gpio = buses.gpio ?? new hw.OnoffGpio(d.gpioChip === undefined ? {} : { chipLabel: d.gpioChip });
  const openSpi = buses.openSpi ?? hw.openSpiDevice;
  const relay = (name: string, p: { line: number; activeLow: boolean }) =>
    new hw.GpioRelay({ gpio, name, line: p.line, activeLow: p.activeLow });
  const resetLine = d.cardReader.resetLine;
  return {
    scanner:
      d.scanner.kind === 'serial'
        ? new hw.SerialScanner({ path: d.scanner.path, baudRate: d.scanner.baudRate })
        : new StreamScanner(),
    cardReader: new Mfrc522Reader({
      openTransport: () =>
        openSpi({ bus: d.cardReader.spiBus, device: d.cardReader.spiDevice, speedHz: d.cardReader.speedHz }),
      pollIntervalMs: d.cardReader.pollIntervalMs,
      resetSettleMs: d.cardReader.resetSettleMs,
      // Claimed high (NRSTPD released): claiming it low would power the chip down before the driver's own reset.
      ...(resetLine === undefined ? {} : { openResetLine: () => gpio.output(resetLine, 1) }),
    }),
    relays: {
      entry: relay('entry', d.relays.entry),
      exit: relay('exit', d.relays.exit),
      alarm: relay('alarm', d.relays.alarm),
    },
    passage: new hw.GpioPassageSensor({
      gpio,
      entry: d.passage.entry,
      exit: d.passage.exit,
      debounceMs: d.passage.debounceMs,
      stuckAfterMs: d.passage.stuckAfterMs,
    }),
    led: new hw.SerialLedDisplay({
      path: d.led.path,
      baudRate: d.led.baudRate,
      lines: d.led.lines,
      widthBytes: d.led.widthBytes,
      charset: d.led.charset,
    }),
    voice: new hw.EspeakVoice({
      cacheDir: join(dataDir, 'voice-cache'),
      ...(d.voice.espeak === undefined ? {} : { espeak: d.voice.espeak }),
      ...(d.voice.player === undefined ? {} : { player: d.voice.player }),
    }),
    ...(d.recycler
      ? {
          recycler: new hw.GpioCardRecycler({
            gpio,
            sensor: d.recycler.sensor,
            swallow: d.recycler.swallow,
            eject: d.recycler.eject,
            actuateMs: d.recycler.actuateMs,
          }),
        }
      : {}),
  };
}
