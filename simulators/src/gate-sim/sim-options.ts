/**
 * The gate simulator's command line: an agent config file, or flags naming the gate and the broker. Both end in
 * the agent's own AgentConfig with virtual drivers, so the simulator runs exactly what a gate would.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AgentConfig, agentConfigSchema, loadAgentConfig } from '@scenic/gate-agent';

export interface SimOptions {
  readonly agent: AgentConfig;
  /** Serve the browser page on this port (0 = any free port). */
  readonly webPort: number | null;
  readonly webHost: string;
  /** Run the terminal UI (off with --no-tui, e.g. a browser-only session in the background). */
  readonly tui: boolean;
}

export const USAGE = `usage: gate-sim [--config gate.json] [--site park] [--gate SIM01] [--direction in|out]
               [--broker mqtt://127.0.0.1:1883] [--username U] [--password P] [--data-dir DIR]
               [--auto-pass-ms 500] [--web PORT] [--web-host 127.0.0.1] [--no-tui]`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The embedded broker the cloud starts by default (cloud/src/mqtt). */
export const DEFAULT_BROKER = 'mqtt://127.0.0.1:1883';

export function parseSimArgs(argv: readonly string[]): SimOptions {
  const flags = new Map<string, string>();
  let tui = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--no-tui') {
      tui = false;
      continue;
    }
    if (arg === '--help' || arg === '-h') throw new UsageError(USAGE);
    const [name, inline] = arg.startsWith('--') ? arg.slice(2).split(/=(.*)/s, 2) : [undefined, undefined];
    const value = inline ?? argv[++i];
    if (!name || value === undefined) throw new UsageError(`unexpected argument ${arg}\n${USAGE}`);
    flags.set(name, value);
  }
  const known = [
    'config',
    'site',
    'gate',
    'direction',
    'broker',
    'username',
    'password',
    'data-dir',
    'auto-pass-ms',
    'web',
    'web-host',
  ];
  for (const name of flags.keys()) {
    if (!known.includes(name)) throw new UsageError(`unknown option --${name}\n${USAGE}`);
  }
  const file = flags.get('config');
  const base = file ? loadAgentConfig(file) : undefined;
  const siteId = flags.get('site') ?? base?.siteId ?? 'park';
  const gateId = flags.get('gate') ?? base?.gateId ?? 'SIM01';
  const autoPass =
    flags.get('auto-pass-ms') ?? (base?.drivers.kind === 'virtual' ? base.drivers.autoPassAfterMs : 500);
  const raw = {
    ...(base ?? {}),
    siteId,
    gateId,
    direction: flags.get('direction') ?? base?.direction ?? 'in',
    broker: {
      ...(base?.broker ?? { url: DEFAULT_BROKER }),
      ...(flags.has('broker') ? { url: flags.get('broker') } : {}),
      ...(flags.has('username') ? { username: flags.get('username') } : {}),
      ...(flags.has('password') ? { password: flags.get('password') } : {}),
    },
    // A gate store of its own per simulated gate, kept between runs like a controller's.
    dataDir: flags.get('data-dir') ?? base?.dataDir ?? join(tmpdir(), `scenic-gate-sim-${siteId}-${gateId}`),
    // Whatever the file says, the simulator runs on virtual devices.
    drivers: { kind: 'virtual', autoPassAfterMs: Number(autoPass) },
  };
  const parsed = agentConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new UsageError(`invalid gate settings:\n${problems.join('\n')}`);
  }
  const web = flags.get('web');
  const webPort = web === undefined ? null : Number(web);
  if (webPort !== null && !(Number.isInteger(webPort) && webPort >= 0 && webPort < 65536)) {
    throw new UsageError(`--web needs a port number, got ${web}`);
  }
  return { agent: parsed.data, webPort, webHost: flags.get('web-host') ?? '127.0.0.1', tui };
}
