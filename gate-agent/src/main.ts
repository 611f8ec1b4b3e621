/**
 * The gate agent process: wires the store, the hardware drivers, the gate core and the MQTT link together. Run
 * `tsx gate-agent/src/main.ts start --config gate.json` (see cli.ts for the commands).
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createHardware, type HardwareFactory } from './build-hardware.js';
import type { AgentConfig } from './config.js';
import { GateCore } from './core/gate-core.js';
import type { Log } from './core/ports.js';
import {
  type DegradedDevice,
  type GateHardware,
  restartDegraded,
  startGateHardware,
  stopGateHardware,
} from './drivers/index.js';
import { GateLink } from './link/gate-link.js';
import { GateStore } from './store/gate-store.js';

export const FIRMWARE = '0.1.0';

export interface RunningAgent {
  readonly core: GateCore;
  readonly link: GateLink;
  readonly store: GateStore;
  /** The store still answers (asked before each systemd watchdog ping; a hung event loop never asks). */
  healthy(): boolean;
  /** Finishes the passage in progress, flushes the outbox briefly, publishes the offline state, releases all. */
  stop(): Promise<void>;
}

const PRUNE_EVERY_MS = 3_600_000;
/** How often devices that failed to start are tried again (a technician re-plugging the LED need not restart). */
const DEGRADED_RETRY_MS = 60_000;

export interface StartAgentOptions {
  readonly onReboot?: () => void;
  /**
   * Devices to run on instead of the ones the config names (the gate simulator passes its virtual gate). They
   * are started and stopped with the agent.
   */
  readonly hardware?: GateHardware;
  /** Builds the devices when `hardware` is not given; default createHardware (real drivers only). */
  readonly createHardware?: HardwareFactory;
  /** Retry period for degraded devices; default 60 s. */
  readonly degradedRetryMs?: number;
}

export async function startAgent(
  config: AgentConfig,
  log: Log,
  options: StartAgentOptions = {},
): Promise<RunningAgent> {
  // Built before the store is opened: constructing drivers acquires nothing (start() does), and may fail.
  const hardware = options.hardware ?? (await (options.createHardware ?? createHardware)(config)).hardware;
  const store = new GateStore(join(config.dataDir, 'gate.db'));
  let degraded: DegradedDevice[];
  try {
    degraded = await startGateHardware(hardware);
  } catch (err) {
    store.close();
    throw err;
  }
  // Error level: the lane works, but a visitor-facing device is missing until someone fixes it.
  for (const d of degraded) {
    log.error(
      { role: d.role, code: d.error.code, err: d.error.message },
      'device could not be started; the lane runs without it',
    );
  }
  const linkRef: { link?: GateLink } = {};
  const core = new GateCore({
    hardware,
    store,
    siteId: config.siteId,
    gateId: config.gateId,
    scanDirection: config.direction,
    log,
    voice: config.voice,
    online: { validate: (...args) => linkRef.link!.validator.validate(...args) },
    ...(config.relayPulseMs === undefined ? {} : { relayPulseMs: config.relayPulseMs }),
    ...(config.passageTimeoutMs === undefined ? {} : { passageTimeoutMs: config.passageTimeoutMs }),
    ...(config.groupIdleMs === undefined ? {} : { groupIdleMs: config.groupIdleMs }),
  });
  const link = new GateLink({
    url: config.broker.url,
    siteId: config.siteId,
    gateId: config.gateId,
    firmware: FIRMWARE,
    store,
    core,
    log,
    reconnectMs: config.broker.reconnectMs,
    maxReconnectMs: config.broker.maxReconnectMs,
    ...(config.broker.username === undefined ? {} : { username: config.broker.username }),
    ...(config.broker.password === undefined ? {} : { password: config.broker.password }),
    ...(options.onReboot ? { onReboot: options.onReboot } : {}),
  });
  linkRef.link = link;
  core.setDegraded(degraded);
  await core.start();
  link.start();
  store.prune(Date.now());
  const pruner = setInterval(() => store.prune(Date.now()), PRUNE_EVERY_MS);
  pruner.unref();
  let retrying: Promise<void> | undefined;
  const retryDegraded = () => {
    if (retrying || degraded.length === 0) return;
    retrying = (async () => {
      const before = degraded;
      degraded = await restartDegraded(before);
      for (const d of before.filter((b) => !degraded.some((s) => s.role === b.role))) {
        log.info({ role: d.role }, 'device started; the lane uses it again');
      }
      core.setDegraded(degraded);
      if (degraded.length === 0) clearInterval(retryTimer);
    })()
      .catch((err) => log.error({ err }, 'retrying degraded devices failed'))
      .finally(() => {
        retrying = undefined;
      });
  };
  const retryTimer = setInterval(retryDegraded, options.degradedRetryMs ?? DEGRADED_RETRY_MS);
  retryTimer.unref();
  if (degraded.length === 0) clearInterval(retryTimer);
  log.info(
    { mode: core.status.mode, whitelistVersion: store.whitelist.version(), outbox: store.outbox.depth() },
    'gate agent started',
  );
  let stopping: Promise<void> | undefined;
  return {
    core,
    link,
    store,
    healthy() {
      try {
        return store.db.prepare('SELECT 1 AS ok').get() !== undefined;
      } catch {
        return false;
      }
    },
    stop() {
      stopping ??= (async () => {
        clearInterval(pruner);
        clearInterval(retryTimer);
        await retrying;
        await core.stop();
        await link.flush(2_000);
        await link.stop();
        await stopGateHardware(hardware);
        store.close();
        log.info({}, 'gate agent stopped');
      })();
      return stopping;
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // Not awaited: cli.ts imports this module, which must finish evaluating first.
  void import('./cli.js')
    .then(async ({ runCli }) => {
      process.exitCode = await runCli(process.argv.slice(2));
    })
    .catch((err: unknown) => {
      // E.g. an essential device (a relay, the passage sensor) that cannot be acquired: say which, and let the
      // service manager retry.
      console.error(`gate-agent: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    });
}
