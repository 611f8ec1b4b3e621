/**
 * @scenic/gate-agent/link: the gate side of the MQTT protocol and the ports it needs from a store and a core, for
 * whoever runs a gate without the whole agent (the fleet simulator runs hundreds of these on in-memory stores).
 */
export type { Log } from '../core/ports.js';
export { GateLink, type GateLinkOptions } from './gate-link.js';
export type {
  DeltaOutcome,
  LinkCommandLog,
  LinkCore,
  LinkCoreEvents,
  LinkGateStatus,
  LinkOutbox,
  LinkOutboxChannel,
  LinkOutboxEntry,
  LinkStore,
  LinkWhitelist,
} from './ports.js';
