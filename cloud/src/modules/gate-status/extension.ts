/**
 * The live-status extension: retained `gate_state` (including the last will the broker publishes when a gate drops
 * off) and heartbeats become the gate's row in `gate_status` and its entry in the hub. A will (online false, since
 * null) is authoritative only for `online`; its other fields date from when the gate connected, so they are kept.
 * A retained state replayed when the cloud subscribes does not count as the gate being seen now.
 */
import type { GateState, Heartbeat } from '@scenic/protocol';
import type { InboundMessage, MqttExtension } from '../../mqtt/extensions/types.js';
import { type GateStatusHub, statusFromRow } from './hub.js';
import type { GateStatusRepo } from './repo.js';

export function gateStatusExtension(repo: GateStatusRepo, hub: GateStatusHub): MqttExtension {
  return {
    name: 'gate-status',
    channels: ['state', 'heartbeat'],
    async handle(inbound) {
      if (inbound.message.type === 'gate_state') await applyState(inbound, inbound.message);
      else if (inbound.message.type === 'heartbeat') await applyHeartbeat(inbound, inbound.message);
      const row = await repo.get(inbound.gateId);
      if (row) hub.set(statusFromRow(row));
    },
  };

  async function applyState(inbound: InboundMessage, state: GateState): Promise<void> {
    const key = { gateId: inbound.gateId, siteId: inbound.siteId };
    const isWill = !state.online && state.since === null;
    const seen = inbound.retained ? {} : { last_seen_at: inbound.receivedAt };
    const stateColumns = {
      mode: state.mode,
      deny_unauthorized: state.denyUnauthorized ? 1 : 0,
      firmware: state.firmware,
      whitelist_version: state.whitelistVersion,
      config_version: state.configVersion,
    };
    const common = {
      online: state.online ? 1 : 0,
      since: state.since ?? inbound.receivedAt,
      last_state_at: inbound.receivedAt,
    };
    await repo.upsert(
      key,
      { ...stateColumns, ...common, last_seen_at: inbound.receivedAt },
      isWill ? { ...common, ...seen } : { ...stateColumns, ...common, ...seen },
    );
  }

  async function applyHeartbeat(inbound: InboundMessage, beat: Heartbeat): Promise<void> {
    const columns = {
      last_seen_at: inbound.receivedAt,
      last_heartbeat_at: inbound.receivedAt,
      uptime_sec: beat.uptimeSec,
      scans: beat.counters.scans,
      admits: beat.counters.admits,
      denies: beat.counters.denies,
      outbox_depth: beat.outboxDepth,
      whitelist_version: beat.whitelistVersion,
      config_version: beat.configVersion,
    };
    // A heartbeat proves the gate is connected, but `online` belongs to the state topic: a row created by a
    // heartbeat (state not yet seen) starts online, an existing row keeps what its state said.
    await repo.upsert({ gateId: inbound.gateId, siteId: inbound.siteId }, { ...columns, online: 1 }, columns);
  }
}
