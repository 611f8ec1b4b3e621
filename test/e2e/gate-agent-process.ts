/**
 * A real gate agent for end-to-end tests: `simulators/src/sim-agent/main.ts start` (the agent's command line on the
 * simulators' virtual drivers) in its own Node process (through tsx), with a config file and data directory of its
 * own, scans typed on its stdin, and its pino JSON log read back for outcomes and state. `restart()` starts a new
 * process on the same data directory, as the service manager does after a reboot command or a crash.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ScanOutcomeLine {
  readonly msg: string;
  readonly admit?: boolean;
  readonly reason?: string;
  readonly ticketId?: number | null;
  readonly decidedOffline?: boolean;
  readonly [key: string]: unknown;
}

export interface AgentOptions {
  readonly siteId: string;
  readonly url: string;
  /** Left out on an open broker. */
  readonly username?: string;
  readonly password?: string;
  readonly direction: 'in' | 'out';
  /** Longest wait between reconnect attempts (the agent's default is 30 s; tests that stop the broker want less). */
  readonly maxReconnectMs?: number;
}

export class GateAgentProcess {
  /** Log lines of every process run so far, in order (a restart appends). */
  readonly lines: ScanOutcomeLine[] = [];
  /** What the agent wrote to stderr (start-up failures), for a failing test's message. */
  stderr = '';
  private child!: ChildProcess;
  private readonly folder: string;
  private readonly configPath: string;
  private exited!: Promise<number | null>;
  private running = false;

  private constructor(
    readonly gateId: string,
    options: AgentOptions,
  ) {
    this.folder = mkdtempSync(join(tmpdir(), `scenic-e2e-${gateId}-`));
    this.configPath = join(this.folder, 'gate.json');
    writeFileSync(
      this.configPath,
      JSON.stringify({
        siteId: options.siteId,
        gateId,
        direction: options.direction,
        broker: {
          url: options.url,
          username: options.username,
          password: options.password,
          reconnectMs: 200,
          ...(options.maxReconnectMs === undefined ? {} : { maxReconnectMs: options.maxReconnectMs }),
        },
        dataDir: join(this.folder, 'data'),
        voice: false,
        logLevel: 'info',
        drivers: { kind: 'virtual', autoPassAfterMs: 100 },
      }),
    );
    this.spawn();
  }

  static start(gateId: string, options: AgentOptions): GateAgentProcess {
    return new GateAgentProcess(gateId, options);
  }

  /** `env` adds to the test's environment for this process only (e.g. a crash point, gate-crash.test.ts). */
  private spawn(env: Record<string, string> = {}): void {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'simulators/src/sim-agent/main.ts', 'start', '--config', this.configPath],
      {
        cwd: ROOT,
        stdio: ['pipe', 'pipe', 'pipe'],
        env: { ...process.env, NODE_ENV: 'test', ...env },
      },
    );
    this.child = child;
    this.running = true;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        this.lines.push(JSON.parse(line) as ScanOutcomeLine);
      } catch {
        // Not a log line (e.g. a warning from Node): kept out of the outcomes.
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.running = false;
        this.stderr += `\n[exited ${code ?? signal}]`;
        resolve(code);
      }),
    );
  }

  /** Whether the current process is still running. */
  get alive(): boolean {
    return this.running;
  }

  /** Resolves with the exit code when the current process ends by itself (e.g. after a reboot command). */
  async exit(ms = 10_000): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${this.gateId}: still running after ${ms} ms`)), ms);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Starts the agent again on the same config and data directory; the previous process must have ended. */
  restart(env: Record<string, string> = {}): void {
    if (this.running) throw new Error(`${this.gateId}: restart while the agent still runs`);
    this.spawn(env);
  }

  /** The agent's SQLite store, to open read-only beside it (as `gate-agent status` does). */
  get storePath(): string {
    return join(this.folder, 'data', 'gate.db');
  }

  /** Stops the current process as the service manager does (SIGTERM), keeping its data for a restart. */
  async end(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const killed = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await this.exited;
    clearTimeout(killed);
  }

  /** Types a code on the agent's stdin as a keyboard-wedge scanner would. */
  scan(code: string): void {
    this.child.stdin!.write(`${code}\n`);
  }

  /** The first log line after `from` that satisfies `match`, waiting up to `ms`. */
  async waitFor(match: (line: ScanOutcomeLine) => boolean, ms = 10_000, from = 0): Promise<ScanOutcomeLine> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.lines.slice(from).find(match);
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(`${this.gateId}: no matching log line in ${ms} ms${this.tail()}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Scans and returns the outcome line of that scan. */
  async scanOutcome(code: string, ms = 5_000): Promise<ScanOutcomeLine> {
    const from = this.lines.length;
    this.scan(code);
    return this.waitFor((line) => line.msg === 'scan admitted' || line.msg === 'scan refused', ms, from);
  }

  /** The last lines of stderr, when the process wrote any, for a failure message. */
  private tail(): string {
    const text = this.stderr.trim();
    return text ? `; stderr: ${text.slice(-800)}` : '';
  }

  async stop(): Promise<void> {
    await this.end();
    rmSync(this.folder, { recursive: true, force: true });
  }
}
