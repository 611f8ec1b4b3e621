/**
 * @scenic/simulators: the virtual gate devices (also at @scenic/simulators/drivers) and the technician's gate
 * simulator — GateSim runs the real agent on them, runGateSim is the `npm run gate-sim` command line, and the
 * terminal and browser screens can be embedded elsewhere (a fleet runner, a demo).
 */
export * from './drivers/index.js';
export {
  GateSim,
  type GateSimEvents,
  type SimAction,
  type SimDecision,
  type SimState,
} from './gate-sim/gate-sim.js';
export { runGateSim } from './gate-sim/main.js';
export { DEFAULT_BROKER, parseSimArgs, type SimOptions, UsageError } from './gate-sim/sim-options.js';
export {
  HELP,
  parseCommand,
  renderScreen,
  TerminalUi,
  type TerminalUiOptions,
} from './gate-sim/terminal-ui.js';
export { startWebServer, type WebServer } from './gate-sim/web-server.js';
export { createSimulatedHardware, runSimAgent } from './sim-agent/main.js';
