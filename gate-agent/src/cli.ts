/**
 * gate-agent commands:
 *   start --config gate.json           run the agent until SIGTERM / SIGINT
 *   status --config gate.json [--json] what the local store says: mode, whitelist, outbox, last sync
 *   test-hardware --config gate.json   pulse the relays, show the LED, speak, wait for a scan, a card, a passage each
 *                                      way and the recycler's swallow and eject; print a pass/fail table
 * The agent builds real drivers only; the simulators package runs these same commands on virtual devices by passing
 * its own HardwareFactory (`npm run sim-agent`).
 */
import { join } from 'node:path';
import { pino } from 'pino';
import { createHardware, type HardwareFactory, SIM_AGENT_COMMAND } from './build-hardware.js';
import { type AgentConfig, ConfigError, loadAgentConfig } from './config.js';
import type { CardRead, FaultEvents, GateDeviceRole, Observable, Passage } from './drivers/index.js';
import { startGateHardware, stopGateHardware, waitForPassage } from './drivers/index.js';
import { startAgent } from './main.js';
import { startServiceNotifier } from './service-notify.js';
import { GateStore } from './store/gate-store.js';

const USAGE = `usage: gate-agent <start|status|test-hardware> --config <file> [--json] [--wait-ms <ms>]`;

interface Args {
  readonly command: string | undefined;
  readonly config: string | undefined;
  readonly json: boolean;
  readonly waitMs: number;
}

function parseArgs(argv: readonly string[]): Args {
  let config: string | undefined;
  let json = false;
  let waitMs = 30_000;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--config' || arg === '-c') config = argv[++i];
    else if (arg.startsWith('--config=')) config = arg.slice('--config='.length);
    else if (arg === '--json') json = true;
    else if (arg === '--wait-ms') waitMs = Number(argv[++i]);
    else rest.push(arg);
  }
  return { command: rest[0], config, json, waitMs };
}

export interface CliOptions {
  /** Builds the devices for start and test-hardware; default the agent's createHardware (real drivers only). */
  readonly createHardware?: HardwareFactory;
}

export async function runCli(argv: readonly string[], options: CliOptions = {}): Promise<number> {
  const args = parseArgs(argv);
  if (!args.command || !['start', 'status', 'test-hardware'].includes(args.command) || !args.config) {
    console.error(USAGE);
    return 2;
  }
  let config: AgentConfig;
  try {
    config = loadAgentConfig(args.config);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
  if (args.command === 'status') return status(config, args.json);
  if (config.drivers.kind === 'virtual' && !options.createHardware) {
    console.error(
      `${args.config}: virtual drivers run from the simulators package: ${SIM_AGENT_COMMAND} ${args.command} --config <file>`,
    );
    return 2;
  }
  const build = options.createHardware ?? createHardware;
  if (args.command === 'test-hardware') return testHardware(config, build, args.waitMs);
  return start(config, build);
}

async function start(config: AgentConfig, createHardware: HardwareFactory): Promise<number> {
  const log = pino({ level: config.logLevel, base: { site: config.siteId, gate: config.gateId } });
  let stopRequested: (reason: string) => void = () => {};
  const stopped = new Promise<string>((resolve) => {
    stopRequested = resolve;
  });
  const agent = await startAgent(config, log, {
    createHardware,
    onReboot: () => stopRequested('reboot command'),
  });
  process.once('SIGTERM', () => stopRequested('SIGTERM'));
  process.once('SIGINT', () => stopRequested('SIGINT'));
  const notifier = startServiceNotifier({ log, healthy: () => agent.healthy() });
  notifier?.ready(`mode ${agent.core.status.mode}`);
  const reason = await stopped;
  log.info({ reason }, 'shutting down');
  notifier?.stopping();
  await agent.stop();
  // The service manager restarts the agent after a reboot command; stdin and sockets must not keep it alive.
  setImmediate(() => process.exit(0));
  return 0;
}

function status(config: AgentConfig, asJson: boolean): number {
  let store: GateStore;
  try {
    store = new GateStore(join(config.dataDir, 'gate.db'), { readonly: true });
  } catch (err) {
    console.error(`no gate store in ${config.dataDir}: ${(err as Error).message}`);
    return 1;
  }
  try {
    const gateConfig = store.config();
    const lastSync = store.whitelist.lastSyncAt();
    const report = {
      siteId: config.siteId,
      gateId: config.gateId,
      mode: gateConfig ? (store.meta.get('mode') ?? gateConfig.defaultMode) : 'locked',
      denyUnauthorized:
        store.meta.get('deny_unauthorized') === undefined
          ? null
          : store.meta.get('deny_unauthorized') === 'true',
      configVersion: gateConfig?.version ?? null,
      whitelistVersion: store.whitelist.version(),
      whitelistRecords: store.whitelist.count(),
      outboxDepth: store.outbox.depth(),
      lastSync: lastSync === null ? null : new Date(lastSync).toISOString(),
    };
    if (asJson) console.log(JSON.stringify(report));
    else for (const [key, value] of Object.entries(report)) console.log(`${key.padEnd(18)} ${value ?? '-'}`);
    return 0;
  } finally {
    store.close();
  }
}

interface StepResult {
  readonly step: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** The table's name for a device that could not be started (its steps are skipped: they could only time out). */
const ROLE_STEP: Partial<Record<GateDeviceRole, string>> = {
  led: 'LED',
  voice: 'voice',
  recycler: 'recycler',
  scanner: 'scanner',
  cardReader: 'card reader',
};

/**
 * Exercises every device with a technician at the gate: outputs first (relays, LED, voice), then inputs that need a
 * person (scan, card, walking through both ways, the recycler's swallow and eject). Every step, every device that
 * could not be started and every device fault ends up in one pass/fail table; the exit code is 0 only when all
 * passed. An essential device (a relay, the passage sensor, both readers) that cannot be started ends the command
 * with its error, as it would keep the agent from starting.
 */
async function testHardware(
  config: AgentConfig,
  createHardware: HardwareFactory,
  waitMs: number,
): Promise<number> {
  const say = (line: string) => console.log(line);
  const { hardware, simulated } = await createHardware(config, { stdinScanner: false });
  const degraded = await startGateHardware(hardware);
  const dead = new Set(degraded.map((d) => d.role));
  const faults: string[] = [];
  const devices: Record<string, Observable<FaultEvents>> = {
    scanner: hardware.scanner,
    'card reader': hardware.cardReader,
    'entry relay': hardware.relays.entry,
    'exit relay': hardware.relays.exit,
    'alarm relay': hardware.relays.alarm,
    'passage sensor': hardware.passage,
    LED: hardware.led,
    voice: hardware.voice,
    ...(hardware.recycler ? { recycler: hardware.recycler } : {}),
  };
  for (const [name, device] of Object.entries(devices)) {
    device.on('fault', (e) => faults.push(`${name}: ${e.code} ${e.message}`));
  }
  const results: StepResult[] = [];
  /** Runs one check: a string is a pass with that detail, null a timeout, a throw a failure. */
  const step = async (name: string, run: () => Promise<string | null>) => {
    try {
      const detail = await run();
      results.push({ step: name, ok: detail !== null, detail: detail ?? 'timed out' });
    } catch (err) {
      results.push({ step: name, ok: false, detail: (err as Error).message });
    }
    const last = results.at(-1)!;
    say(`  ${last.ok ? 'ok' : 'FAILED'}: ${last.detail}`);
  };
  const seconds = `${waitMs / 1000} s`;
  for (const d of degraded) {
    const detail = `not started: ${d.error.code} ${d.error.message}`;
    const name = ROLE_STEP[d.role] ?? d.role;
    results.push({ step: name, ok: false, detail });
    say(`${name}: start`);
    say(`  FAILED: ${detail}`);
  }
  try {
    for (const name of ['entry', 'exit', 'alarm'] as const) {
      say(`relay ${name}: pulse 300 ms`);
      await step(`relay ${name}`, async () => {
        await hardware.relays[name].pulse(300);
        return 'pulsed 300 ms';
      });
    }
    if (!dead.has('led')) {
      say('LED: 设备自检 / Self test');
      await step('LED', async () => {
        await hardware.led.show({ lines: ['设备自检', 'Self test'], colour: 'yellow' });
        return hardware.led.content.lines.join(' / ');
      });
    }
    if (!dead.has('voice')) {
      say('voice: 设备自检，请扫码');
      await step('voice', async () => {
        await hardware.voice.announce('设备自检，请扫码', 'zh-CN');
        return 'queued';
      });
    }

    if (!dead.has('scanner')) {
      say(`scan any code within ${seconds}…`);
      await step('scanner', async () => {
        const line = await waitFor<string>(
          (done) => hardware.scanner.once('line', done),
          waitMs,
          () => simulated?.scanner.scan('407182539616'),
        );
        return line === null ? null : `scanned: ${line}`;
      });
    }

    if (!dead.has('cardReader')) {
      say(`tap a card within ${seconds}…`);
      await step('card reader', async () => {
        const card = await waitFor<CardRead>(
          (done) => hardware.cardReader.once('card', done),
          waitMs,
          () => simulated?.cardReader.tap('04A2B3C4D5E6F7'),
        );
        simulated?.cardReader.lift();
        return card === null ? null : `card: ${card.uid} (SAK ${card.sak})`;
      });
    }

    for (const [direction, relay, where] of [
      ['in', hardware.relays.entry, 'entry'],
      ['out', hardware.relays.exit, 'exit'],
    ] as const) {
      say(`walk through the ${where} within ${seconds} (released now)…`);
      await step(`passage ${direction}`, async () => {
        void relay.pulse(300).catch(() => {});
        const passage: Passage | null = await waitForPassage(hardware.passage, {
          timeoutMs: waitMs,
          direction,
        });
        return passage === null ? null : `passage: ${passage.direction}`;
      });
    }

    const recycler = dead.has('recycler') ? undefined : hardware.recycler;
    if (recycler) {
      const slot = simulated?.recycler;
      const cardIn = () =>
        waitFor<true>(
          (done) => (recycler.cardPresent ? done(true) : recycler.once('cardIn', () => done(true))),
          waitMs,
          () => slot?.insertCard(),
        );
      say(`recycler: insert a card into the slot within ${seconds}; it will be swallowed…`);
      await step('recycler swallow', async () => {
        if ((await cardIn()) === null) return null;
        await recycler.swallow();
        if (recycler.cardPresent) throw new Error('card still in the slot after swallow');
        return 'swallowed';
      });
      say(`recycler: insert a card within ${seconds}; it will be handed back, take it…`);
      await step('recycler eject', async () => {
        if ((await cardIn()) === null) return null;
        await recycler.eject();
        const taken = await waitFor<true>(
          (done) => (recycler.cardPresent ? recycler.once('cardGone', () => done(true)) : done(true)),
          waitMs,
          () => slot?.takeCard(),
        );
        return taken === null ? null : 'ejected and taken';
      });
    } else if (!hardware.recycler) {
      say('recycler: none configured');
    }

    for (const fault of faults) results.push({ step: 'fault', ok: false, detail: fault });
    say('');
    for (const r of results) say(`${r.step.padEnd(18)} ${(r.ok ? 'PASS' : 'FAIL').padEnd(5)} ${r.detail}`);
    const failed = results.filter((r) => !r.ok).length;
    say(failed === 0 ? 'all checks passed' : `${failed} check(s) failed`);
    return failed === 0 ? 0 : 1;
  } finally {
    await stopGateHardware(hardware);
  }
}

/** Waits for one event or a timeout; `simulate` lets simulated devices produce the event themselves. */
function waitFor<T>(
  listen: (done: (value: T) => void) => void,
  ms: number,
  simulate: () => unknown,
): Promise<T | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), ms);
    listen((value) => {
      clearTimeout(timer);
      resolve(value);
    });
    simulate();
  });
}
