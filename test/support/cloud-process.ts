/**
 * The real cloud as a child process, for benchmarks and tests that must meet it only over its sockets (bench:sales
 * and its kill test, bench:fleet and the fleet test): `node --import tsx cloud/src/main.ts` on a free 127.0.0.1 HTTP
 * port, no MQTT WebSocket listener, warn-level logs, then a wait until /healthz answers.
 *
 * node with tsx's loader rather than the tsx CLI: the CLI runs the server as a grandchild, which a signal to the CLI
 * (a SIGKILL in the kill test, a SIGTERM at the end of a bench) would leave running.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** How much of the cloud's stderr and log is kept for error messages: a long run must not grow without bound. */
const STDERR_TAIL = 64_000;

export interface CloudChild {
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** Resolves with the exit code or signal once the process is gone. */
  readonly exited: Promise<number | NodeJS.Signals | null>;
  readonly stderr: () => string;
  /** The tail of its log (pino JSON lines on stdout: warnings and errors at the default LOG_LEVEL=warn). */
  readonly log: () => string;
  /** SIGTERM, then SIGKILL if the cloud has not drained within 15 s (it drains for up to 10 s). */
  stop(): Promise<void>;
}

export interface SpawnCloudOptions {
  /** Added to (and overriding) the defaults: HOST, PORT, MQTT_HOST, MQTT_WS_PORT=off, LOG_LEVEL=warn. */
  readonly env: Record<string, string>;
  /** Writes a V8 CPU profile of the cloud into this folder on its clean exit. */
  readonly cpuProfileDir?: string | undefined;
  readonly startTimeoutMs?: number;
}

/** Starts the cloud and resolves once /healthz answers; kills it and throws if it exits or stays silent first. */
export async function spawnCloud(options: SpawnCloudOptions): Promise<CloudChild> {
  const port = await freePort();
  const profile = options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
  const child = spawn(
    process.execPath,
    [...profile, '--import', 'tsx', join(repoRoot, 'cloud/src/main.ts')],
    {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        HOST: '127.0.0.1',
        PORT: String(port),
        MQTT_HOST: '127.0.0.1',
        MQTT_WS_PORT: 'off',
        LOG_LEVEL: 'warn',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL);
  });
  // Read, not ignored: an error the cloud logs (a 500's cause) is what a failed run needs to show.
  let log = '';
  child.stdout?.on('data', (chunk) => {
    log = (log + chunk).slice(-STDERR_TAIL);
  });
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code)),
  );
  const url = `http://127.0.0.1:${port}`;
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`cloud exited during start-up: ${stderr}${log}`);
    try {
      if ((await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) })).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await exited;
      throw new Error(`cloud did not start within ${timeoutMs} ms: ${stderr}${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    port,
    child,
    exited,
    stderr: () => stderr,
    log: () => log,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(killer);
      }
    },
  };
}
