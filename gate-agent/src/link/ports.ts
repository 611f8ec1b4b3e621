/**
 * What the MQTT link needs from the rest of the gate, and nothing more. The agent's SQLite `GateStore` and its
 * `GateCore` satisfy these structurally; the fleet simulator runs the same link on a light in-memory store and a
 * mode-only core, so every simulated gate speaks the protocol through this one implementation.
 */
import type { CommandAck, CredentialRecord, GateConfig, GateMode, WhitelistDelta } from '@scenic/protocol';
import type { Observable } from '../drivers/emitter.js';

export type DeltaOutcome =
  /** Applied; the local version is now the delta's toVersion. */
  | 'applied'
  /** Already applied before (toVersion ≤ local version). */
  | 'duplicate'
  /** fromVersion is above the local version: something was missed, the caller must resync. */
  | 'gap';

/** The local whitelist as the sync sees it: its version, deltas applied in order, snapshots staged then swapped in. */
export interface LinkWhitelist {
  version(): number;
  count(): number;
  /** Applies a delta that continues (or overlaps) the local version; reports duplicates and gaps untouched. */
  applyDelta(delta: WhitelistDelta, now: number): DeltaOutcome;
  /** Starts receiving a snapshot: drops whatever an abandoned one left behind. */
  beginSnapshot(): void;
  /** Keeps one chunk of the snapshot being received; the live whitelist is untouched until commitSnapshot. */
  stageSnapshotChunk(records: readonly CredentialRecord[]): void;
  /** Replaces the whitelist with the staged snapshot at once. */
  commitSnapshot(version: number, now: number): void;
}

export type LinkOutboxChannel = 'event/passage' | 'event/denial';

export interface LinkOutboxEntry {
  readonly seq: number;
  readonly channel: LinkOutboxChannel;
  /** The encoded message, exactly as it is published (every retry sends the same bytes). */
  readonly payload: string | Buffer;
}

/** Passage and denial events waiting for the broker's PUBACK, oldest first. */
export interface LinkOutbox {
  /** Up to `limit` entries with seq above `afterSeq`, oldest first. */
  pendingAfter(afterSeq: number, limit: number): readonly LinkOutboxEntry[];
  /** The broker acknowledged the entry. */
  markSent(seq: number): void;
  depth(): number;
}

/** First acks of executed commands, so a redelivered command is answered again and not run twice. */
export interface LinkCommandLog {
  ackFor(commandId: string): CommandAck | undefined;
  remember(ack: CommandAck): void;
}

export interface LinkStore {
  readonly whitelist: LinkWhitelist;
  readonly outbox: LinkOutbox;
  readonly commands: LinkCommandLog;
}

/** The gate's state as it is announced (retained state message, heartbeat). */
export interface LinkGateStatus {
  readonly mode: GateMode;
  readonly denyUnauthorized: boolean;
  readonly configVersion: number | null;
  /** When the current mode was entered. */
  readonly since: number;
  /** Devices the lane runs without, as protocol names. */
  readonly degraded: readonly string[];
}

export type LinkCoreEvents = {
  /** Mode, deny-unauthorized, config or the degraded devices changed: the retained state is published again. */
  state: [status: LinkGateStatus];
  /** An event was appended to the outbox: the link drains it. */
  event: [];
};

/** The gate's decisions and modes as the link drives them: config and commands in, state and counters out. */
export interface LinkCore extends Observable<LinkCoreEvents> {
  readonly status: LinkGateStatus;
  readonly config: GateConfig | null;
  readonly counters: { readonly scans: number; readonly admits: number; readonly denies: number };
  /** Applies a newer config; false when it is not newer; throws (changing nothing) when it cannot be used. */
  applyConfig(config: GateConfig): Promise<boolean>;
  setMode(mode: GateMode): Promise<{ ok: true } | { ok: false; reason: string }>;
  setDenyUnauthorized(on: boolean): void;
}
