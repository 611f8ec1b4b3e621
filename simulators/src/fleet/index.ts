/**
 * The fleet simulator: many light gates in one process (the agent's own GateLink each, on an in-memory store), for load and end-to-end runs against a cloud
 * (`npm run fleet`, `npm run bench:fleet`).
 */
export { Fleet, type FleetOptions, percentile, type TrafficOptions, type TrafficReport } from './fleet.js';
export {
  type CommandReceipt,
  LightGate,
  type LightGateEvents,
  type LightGateOptions,
  type ValidationOutcome,
} from './light-gate.js';
export { MemoryStore } from './memory-store.js';
export { ModeCore } from './mode-core.js';
export {
  CloudApi,
  CloudApiError,
  fleetGateIds,
  type GateLogin,
  mapLimited,
  type ProvisionOptions,
  provisionFleet,
} from './provision.js';
export { DEFAULT_MIX, type FleetEvent, seededRandom, type VisitorMix, VisitorStream } from './visitors.js';
