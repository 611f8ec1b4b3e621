/**
 * What tests of the agent's command line and hardware wiring share, in this package and in the simulators (as the
 * package export `@scenic/gate-agent/testing`; the agent never imports the simulators, so the helper lives here):
 * gate G01 of site `park`, whose broker nobody listens on — the agent runs offline, which is all these tests need.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agentConfigSchema, type HardwareDriversConfig } from './config.js';
import type { GateHardware } from './drivers/index.js';

const OFFLINE_GATE = {
  siteId: 'park',
  gateId: 'G01',
  direction: 'in',
  broker: { url: 'mqtt://127.0.0.1:1' },
} as const;

/**
 * Writes `<dir>/gate.json` for the offline gate with its store in `data` beside the file, and returns the file's
 * path. Drivers by default: virtual, a visitor walking through 5 ms after each release.
 */
export function writeAgentConfig(
  dir: string,
  drivers: object = { kind: 'virtual', autoPassAfterMs: 5 },
): string {
  const path = join(dir, 'gate.json');
  writeFileSync(path, JSON.stringify({ ...OFFLINE_GATE, dataDir: 'data', drivers }));
  return path;
}

/** Settings a test adds to the passage sensor's and the card reader's. */
export interface HardwareDriversExtra {
  readonly passage?: object;
  readonly cardReader?: object;
}

/** A temporary folder for real-hardware wiring tests, and the lanes they built there. */
export interface RealHardwareFixture {
  /** The agent's data folder, which also holds the LED's device file. */
  readonly dir: string;
  /** Lanes a test built: stopStarted() stops their passage sensor and card reader (what these tests start). */
  readonly started: GateHardware[];
  /**
   * Real-hardware driver settings parsed with the agent's defaults: relays on lines 17 / 27 / 22, passage inputs on
   * 5 / 6, a stdin scanner, the LED a file in `dir`, plus `extra`.
   */
  drivers(extra?: HardwareDriversExtra): HardwareDriversConfig;
  /** For afterEach. */
  stopStarted(): Promise<void>;
  /** For afterAll: removes `dir`. */
  remove(): void;
}

export function realHardwareFixture(prefix: string): RealHardwareFixture {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const started: GateHardware[] = [];
  return {
    dir,
    started,
    drivers(extra = {}) {
      const config = agentConfigSchema.parse({
        ...OFFLINE_GATE,
        dataDir: dir,
        drivers: {
          kind: 'hardware',
          relays: { entry: { line: 17 }, exit: { line: 27 }, alarm: { line: 22 } },
          passage: { entry: { line: 5 }, exit: { line: 6 }, ...extra.passage },
          scanner: { kind: 'stdin' },
          cardReader: { ...extra.cardReader },
          led: { path: join(dir, 'led') },
        },
      });
      if (config.drivers.kind !== 'hardware') throw new Error('expected hardware drivers');
      return config.drivers;
    },
    async stopStarted() {
      for (const hw of started.splice(0)) {
        await hw.passage.stop();
        await hw.cardReader.stop();
      }
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
