/**
 * @scenic/gate-agent: the gate runtime — the core state machine, the local store, the MQTT link and the driver
 * ports. Real hardware drivers are in @scenic/gate-agent/drivers/hardware (they load native modules). A simulated
 * gate is started by the simulators package: startAgent / runCli with its own HardwareFactory.
 */
export {
  type BuiltHardware,
  createHardware,
  createRealHardware,
  type HardwareFactory,
  type HardwareOptions,
  type RealHardwareBuses,
  type SimulatedInputs,
} from './build-hardware.js';
export { type CliOptions, runCli } from './cli.js';
export {
  type AgentConfig,
  agentConfigSchema,
  ConfigError,
  type HardwareDriversConfig,
  loadAgentConfig,
} from './config.js';
export { GateCore, type GateCoreOptions, type GateStatus, type ScanOutcome } from './core/gate-core.js';
export type {
  CredentialCache,
  CredentialLookup,
  GateCoreStore,
  GateMemory,
  Log,
  OnlineValidator,
  ScanJournal,
  UsageHistory,
} from './core/ports.js';
export { CRASH_POINT_ENV, CRASH_POINTS, type CrashPoint } from './crash-points.js';
export * from './drivers/index.js';
export { GateLink, type GateLinkOptions } from './link/gate-link.js';
export { FIRMWARE, type RunningAgent, type StartAgentOptions, startAgent } from './main.js';
export { GateStore } from './store/gate-store.js';
