/**
 * The technician's gate simulator: the real gate agent on virtual devices, with a terminal screen and optionally a
 * browser page. `npm run gate-sim -- --config gate.json` or `npm run gate-sim -- --site park --gate G01 --web 8090`.
 */
import { pathToFileURL } from 'node:url';
import { ConfigError } from '@scenic/gate-agent';
import { GateSim } from './gate-sim.js';
import { parseSimArgs, type SimOptions, UsageError } from './sim-options.js';
import { TerminalUi } from './terminal-ui.js';
import { startWebServer, type WebServer } from './web-server.js';

export async function runGateSim(argv: readonly string[]): Promise<number> {
  let options: SimOptions;
  try {
    options = parseSimArgs(argv);
  } catch (err) {
    if (err instanceof UsageError || err instanceof ConfigError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
  const sim = new GateSim(options.agent);
  await sim.start();
  let web: WebServer | undefined;
  if (options.webPort !== null) {
    web = await startWebServer(sim, options.webPort, options.webHost);
  }
  let quit: () => void = () => {};
  const quitting = new Promise<void>((resolve) => {
    quit = resolve;
  });
  let ui: TerminalUi | undefined;
  if (options.tui) {
    ui = new TerminalUi({ sim, input: process.stdin, output: process.stdout, onQuit: () => quit() });
  }
  if (web) {
    const line = `浏览器页面 browser page: ${web.url}`;
    if (ui) ui.notice(line);
    else console.log(line);
  }
  process.once('SIGINT', () => quit());
  process.once('SIGTERM', () => quit());
  await quitting;
  ui?.close();
  await web?.close();
  await sim.stop();
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runGateSim(process.argv.slice(2))
    .then((code) => {
      // The MQTT client's timers and stdin must not keep a quit simulator alive.
      process.exit(code);
    })
    .catch((err: unknown) => {
      console.error(`gate-sim: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    });
}
