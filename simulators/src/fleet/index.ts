/**
 * The fleet simulator: many lightweight virtual gates in one process, for load and end-to-end runs against a cloud
 * (`npm run fleet`, `npm run bench:fleet`).
 */
export { Fleet, type FleetOptions, percentile, type TrafficOptions, type TrafficReport } from './fleet.js';
export { type CommandReceipt, FleetGate, type FleetGateOptions, type GateLogin } from './fleet-gate.js';
export {
  CloudApi,
  CloudApiError,
  fleetGateIds,
  mapLimited,
  type ProvisionOptions,
  provisionFleet,
} from './provision.js';
export { DEFAULT_MIX, type FleetEvent, seededRandom, type VisitorMix, VisitorStream } from './visitors.js';
