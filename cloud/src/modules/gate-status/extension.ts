/**
 * The live-status extension: retained `gate_state` (including the last will the broker publishes when a gate drops
 * off) and heartbeats become the gate's row in `gate_status` and its entry in the hub. A will (online false, since
 * null) is authoritative only for `online`; its other fields date from when the gate connected, so they are kept.
 * A retained state replayed when the cloud subscribes does not count as the gate being seen now.
 *
 * Messages are written in arrival order by one writer: those that arrive while a write is running (every gate of a
 * site reporting its new mode after an emergency open) share the next transaction. A retained state replayed at
 * subscribe time that says exactly what the hub already holds is not written again.
 */
import type { GateState, Heartbeat } from '@scenic/protocol';
import type { Connection } from '../../db/scoped.js';
import type { InboundMessage, MqttExtension } from '../../mqtt/extensions/types.js';
import { BatchQueue } from '../../platform/batch-queue.js';
import { type GateStatus, type GateStatusHub, statusFromRow } from './hub.js';
import type { GateStatusRepo, GateStatusRow, HeartbeatParams, StateParams } from './repo.js';

/** Messages written in one transaction at most. */
const MAX_BATCH = 500;

type Write =
  | {
      readonly kind: 'state';
      readonly params: StateParams;
      readonly will: boolean;
      readonly retained: boolean;
    }
  | { readonly kind: 'heartbeat'; readonly params: HeartbeatParams };

export function gateStatusExtension(repo: GateStatusRepo, hub: GateStatusHub): MqttExtension {
  // A message starts its batch at once; when a batch fails, each of its messages is written again on its own, so
  // only a message that cannot be stored is left for redelivery.
  const writes = new BatchQueue<Write, undefined>({
    run: writeAll,
    maxBatch: MAX_BATCH,
    start: 'microtask',
    onFailure: 'retry-each',
  });
  /** Queued writes per gate: while one waits, the hub does not yet hold what the gate last said. */
  const queuedFor = new Map<string, number>();

  // `concurrent` hands messages over as they arrive; the queue keeps their order.
  return {
    name: 'gate-status',
    channels: ['state', 'heartbeat'],
    concurrent: true,
    handle(inbound) {
      const message = inbound.message;
      let write: Write;
      if (message.type === 'gate_state') {
        write = stateWrite(inbound, message);
        if (
          write.kind === 'state' &&
          write.retained &&
          !queuedFor.has(inbound.gateId) &&
          sameAsHub(hub.get(inbound.gateId), write)
        )
          return undefined;
      } else if (message.type === 'heartbeat') write = heartbeatWrite(inbound, message);
      else return undefined;
      const gateId = inbound.gateId;
      queuedFor.set(gateId, (queuedFor.get(gateId) ?? 0) + 1);
      const done = () => {
        const left = (queuedFor.get(gateId) ?? 1) - 1;
        if (left > 0) queuedFor.set(gateId, left);
        else queuedFor.delete(gateId);
      };
      const written = writes.add(write);
      // Registered before the caller's own handlers, so the count is down by the time the caller goes on.
      written.then(done, done);
      return written;
    },
  };

  /** One message on its own (one statement, atomic by itself), several in one transaction; then the hub. */
  async function writeAll(batch: readonly Write[]): Promise<undefined[]> {
    const rows =
      batch.length === 1
        ? [await write(batch[0]!)]
        : await repo.inTransaction(async (trx) => {
            const written: (GateStatusRow | undefined)[] = [];
            for (const item of batch) written.push(await write(item, trx));
            return written;
          });
    for (const row of rows) if (row) hub.set(statusFromRow(row));
    return batch.map(() => undefined);
  }

  function write(entry: Write, trx?: Connection): Promise<GateStatusRow | undefined> {
    return entry.kind === 'state'
      ? repo.applyState(entry.params, entry, trx)
      : repo.applyHeartbeat(entry.params, trx);
  }
}

function stateWrite(inbound: InboundMessage, state: GateState): Write {
  return {
    kind: 'state',
    will: !state.online && state.since === null,
    retained: inbound.retained,
    params: {
      gateId: inbound.gateId,
      siteId: inbound.siteId,
      online: state.online ? 1 : 0,
      since: state.since ?? inbound.receivedAt,
      mode: state.mode,
      denyUnauthorized: state.denyUnauthorized ? 1 : 0,
      firmware: state.firmware,
      whitelistVersion: state.whitelistVersion,
      configVersion: state.configVersion,
      receivedAt: inbound.receivedAt,
      degraded: JSON.stringify(state.degraded ?? []),
    },
  };
}

function heartbeatWrite(inbound: InboundMessage, beat: Heartbeat): Write {
  return {
    kind: 'heartbeat',
    params: {
      gateId: inbound.gateId,
      siteId: inbound.siteId,
      receivedAt: inbound.receivedAt,
      uptimeSec: beat.uptimeSec,
      scans: beat.counters.scans,
      admits: beat.counters.admits,
      denies: beat.counters.denies,
      outboxDepth: beat.outboxDepth,
      whitelistVersion: beat.whitelistVersion,
      configVersion: beat.configVersion,
      degraded: JSON.stringify(beat.degraded ?? []),
    },
  };
}

/**
 * A replayed retained state changes nothing when the hub (loaded from the table, kept current by every write)
 * already holds what it says; `last_state_at` alone would move, to the replay's receive time, which is not news.
 */
function sameAsHub(current: GateStatus | undefined, write: Extract<Write, { kind: 'state' }>): boolean {
  if (!current) return false;
  const p = write.params;
  if (current.siteId !== p.siteId || current.online !== (p.online === 1)) return false;
  if (write.will) return current.since !== null;
  return (
    current.since === p.since &&
    current.mode === p.mode &&
    current.denyUnauthorized === (p.denyUnauthorized === 1) &&
    current.firmware === p.firmware &&
    current.whitelistVersion === p.whitelistVersion &&
    current.configVersion === p.configVersion &&
    JSON.stringify(current.degraded ?? []) === p.degraded
  );
}
