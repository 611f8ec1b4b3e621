/**
 * The gate agent on simulated devices: the agent's own command line (`start`, `status`, `test-hardware`, see
 * gate-agent/src/cli.ts) for a config whose `drivers` are `{ "kind": "virtual", "autoPassAfterMs": 500 }`, built
 * from this package's virtual gate. `npm run sim-agent -- start --config gate.json`: scans are typed on stdin and a
 * virtual visitor walks through each release; `!group <k>` on stdin makes only k walk (a group pass counting fewer
 * than its code admits), `!auto` brings back one per release (visitor-commands.ts). The end-to-end tests run gates this way. A config with real drivers
 * runs as under the agent itself.
 */
import { pathToFileURL } from 'node:url';
import {
  type AgentConfig,
  type BuiltHardware,
  createHardware,
  type HardwareOptions,
  runCli,
  StreamScanner,
} from '@scenic/gate-agent';
import { createVirtualGate } from '../drivers/index.js';
import { visitorCommands } from './visitor-commands.js';

/**
 * The agent's HardwareFactory plus virtual drivers: a virtual gate whose scanner reads stdin, or (stdinScanner
 * false, for test-hardware) the virtual scanner, which the command then feeds itself.
 */
export async function createSimulatedHardware(
  config: AgentConfig,
  options: HardwareOptions = {},
): Promise<BuiltHardware> {
  const drivers = config.drivers;
  if (drivers.kind !== 'virtual') return createHardware(config);
  const virtual = createVirtualGate({ autoPassAfterMs: drivers.autoPassAfterMs });
  if (options.stdinScanner === false) return { hardware: virtual.hardware, simulated: virtual };
  // Lines starting with `!` walk the virtual visitors (a group of k through a group pass); the rest are scans.
  const input = visitorCommands(process.stdin, virtual.passage);
  return { hardware: { ...virtual.hardware, scanner: new StreamScanner({ input }) }, simulated: virtual };
}

export function runSimAgent(argv: readonly string[]): Promise<number> {
  return runCli(argv, { createHardware: createSimulatedHardware });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runSimAgent(process.argv.slice(2))
    .then((code) => {
      process.exitCode = code;
    })
    .catch((err: unknown) => {
      console.error(`sim-agent: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    });
}
