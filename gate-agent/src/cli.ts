/**
 * gate-agent commands:
 *   start --config gate.json           run the agent until SIGTERM / SIGINT
 *   status --config gate.json [--json] what the local store says: mode, whitelist, outbox, last sync
 *   test-hardware --config gate.json   pulse the relays, show the LED, speak, and wait for a scan, card and passage
 */
import { join } from 'node:path';
import { pino } from 'pino';
import { type AgentConfig, ConfigError, loadAgentConfig } from './config.js';
import type { CardRead, Passage } from './drivers/index.js';
import { startGateHardware, stopGateHardware, waitForPassage } from './drivers/index.js';
import { createHardware, startAgent } from './main.js';
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

export async function runCli(argv: readonly string[]): Promise<number> {
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
  if (args.command === 'test-hardware') return testHardware(config, args.waitMs);
  return start(config);
}

async function start(config: AgentConfig): Promise<number> {
  const log = pino({ level: config.logLevel, base: { site: config.siteId, gate: config.gateId } });
  let stopRequested: (reason: string) => void = () => {};
  const stopped = new Promise<string>((resolve) => {
    stopRequested = resolve;
  });
  const agent = await startAgent(config, log, { onReboot: () => stopRequested('reboot command') });
  process.once('SIGTERM', () => stopRequested('SIGTERM'));
  process.once('SIGINT', () => stopRequested('SIGINT'));
  const reason = await stopped;
  log.info({ reason }, 'shutting down');
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

async function testHardware(config: AgentConfig, waitMs: number): Promise<number> {
  const say = (line: string) => console.log(line);
  const { hardware, virtual } = await createHardware(config, { stdinScanner: false });
  await startGateHardware(hardware);
  const faults: string[] = [];
  for (const device of [
    hardware.scanner,
    hardware.cardReader,
    hardware.passage,
    hardware.led,
    hardware.voice,
  ]) {
    device.on('fault', (e) => faults.push(`${e.code}: ${e.message}`));
  }
  try {
    for (const name of ['entry', 'exit', 'alarm'] as const) {
      say(`relay ${name}: pulse 300 ms`);
      await hardware.relays[name].pulse(300);
    }
    say('LED: 设备自检 / Self test');
    await hardware.led.show({ lines: ['设备自检', 'Self test'], colour: 'yellow' });
    say('voice: 设备自检，请扫码');
    await hardware.voice.announce('设备自检，请扫码', 'zh-CN');

    say(`scan any code within ${waitMs / 1000} s…`);
    const line = await waitFor<string>(
      (done) => hardware.scanner.once('line', done),
      waitMs,
      () => virtual?.scanner.scan('407182539616'),
    );
    say(line === null ? '  no scan' : `  scanned: ${line}`);

    say(`tap a card within ${waitMs / 1000} s…`);
    const card = await waitFor<CardRead>(
      (done) => hardware.cardReader.once('card', done),
      waitMs,
      () => virtual?.cardReader.tap('04A2B3C4D5E6F7'),
    );
    say(card === null ? '  no card' : `  card: ${card.uid} (SAK ${card.sak})`);
    virtual?.cardReader.lift();

    say(`walk through the entry within ${waitMs / 1000} s (released now)…`);
    void hardware.relays.entry.pulse(300);
    const passage: Passage | null = await waitForPassage(hardware.passage, { timeoutMs: waitMs });
    say(passage === null ? '  no passage' : `  passage: ${passage.direction}`);
    for (const fault of faults) say(`fault: ${fault}`);
    return line !== null && card !== null && passage !== null && faults.length === 0 ? 0 : 1;
  } finally {
    await stopGateHardware(hardware);
  }
}

/** Waits for one event or a timeout; `simulate` lets virtual drivers produce the event themselves. */
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
