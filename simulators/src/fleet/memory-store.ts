/**
 * The light store a fleet gate runs the agent's GateLink on: the link's store ports held in memory instead of the
 * agent's SQLite file, so hundreds of gates fit in one process. Records decoded once for the whole site are shared
 * between gates (never mutated); each gate keeps only its own map of them.
 */

import type {
  DeltaOutcome,
  LinkCommandLog,
  LinkOutbox,
  LinkOutboxChannel,
  LinkOutboxEntry,
  LinkStore,
  LinkWhitelist,
} from '@scenic/gate-agent/link';
import type { CommandAck, CredentialRecord, WhitelistDelta } from '@scenic/protocol';

/** Commands remembered to answer a redelivery with the first result; the protocol asks for at least a day. */
const REMEMBERED_COMMANDS = 10_000;

export class MemoryWhitelist implements LinkWhitelist {
  #version = 0;
  readonly #records = new Map<number, CredentialRecord>();
  #staged: CredentialRecord[][] = [];

  /** Called with the new version and the local time whenever the whitelist moves on. */
  constructor(private readonly onVersion: (version: number, at: number) => void) {}

  version(): number {
    return this.#version;
  }

  count(): number {
    return this.#records.size;
  }

  byTicketId(ticketId: number): CredentialRecord | null {
    return this.#records.get(ticketId) ?? null;
  }

  /** The agent store's rule: a range that starts at or before the local version and ends after it applies whole. */
  applyDelta(delta: WhitelistDelta, now: number): DeltaOutcome {
    if (delta.toVersion <= this.#version) return 'duplicate';
    if (delta.fromVersion > this.#version) return 'gap';
    for (const record of delta.upserts) this.#records.set(record.ticketId, record);
    for (const ticketId of delta.removals) this.#records.delete(ticketId);
    this.#version = delta.toVersion;
    this.onVersion(this.#version, now);
    return 'applied';
  }

  beginSnapshot(): void {
    this.#staged = [];
  }

  stageSnapshotChunk(records: readonly CredentialRecord[]): void {
    this.#staged.push([...records]);
  }

  commitSnapshot(version: number, now: number): void {
    this.#records.clear();
    for (const chunk of this.#staged) for (const record of chunk) this.#records.set(record.ticketId, record);
    this.#staged = [];
    this.#version = version;
    this.onVersion(version, now);
  }
}

interface MemoryEntry extends LinkOutboxEntry {
  readonly acknowledged: () => void;
  readonly dropped: (reason: Error) => void;
}

/** Events waiting for their PUBACK, by seq in insertion order; each one resolves its publisher on the PUBACK. */
export class MemoryOutbox implements LinkOutbox {
  #seq = 0;
  readonly #entries = new Map<number, MemoryEntry>();

  /** Queues an encoded event; resolves when the broker has acknowledged it, rejects when `clear` drops it. */
  append(channel: LinkOutboxChannel, payload: Buffer): Promise<void> {
    const seq = ++this.#seq;
    return new Promise((resolve, reject) => {
      this.#entries.set(seq, { seq, channel, payload, acknowledged: resolve, dropped: reject });
    });
  }

  pendingAfter(afterSeq: number, limit: number): readonly LinkOutboxEntry[] {
    const batch: LinkOutboxEntry[] = [];
    for (const entry of this.#entries.values()) {
      if (entry.seq <= afterSeq) continue;
      batch.push(entry);
      if (batch.length >= limit) break;
    }
    return batch;
  }

  markSent(seq: number): void {
    const entry = this.#entries.get(seq);
    if (!entry) return;
    this.#entries.delete(seq);
    entry.acknowledged();
  }

  depth(): number {
    return this.#entries.size;
  }

  /** Drops what is still waiting (the gate stops): each publisher learns its event was not acknowledged. */
  clear(reason: Error): void {
    const dropped = [...this.#entries.values()];
    this.#entries.clear();
    for (const entry of dropped) entry.dropped(reason);
  }
}

export class MemoryCommandLog implements LinkCommandLog {
  readonly #acks = new Map<string, CommandAck>();

  /** Called with every first ack, when the command is handled. */
  constructor(private readonly onAck: (ack: CommandAck) => void) {}

  ackFor(commandId: string): CommandAck | undefined {
    return this.#acks.get(commandId);
  }

  remember(ack: CommandAck): void {
    this.#acks.set(ack.commandId, ack);
    if (this.#acks.size > REMEMBERED_COMMANDS) this.#acks.delete(this.#acks.keys().next().value!);
    this.onAck(ack);
  }
}

export interface MemoryStoreOptions {
  readonly onVersion: (version: number, at: number) => void;
  readonly onAck: (ack: CommandAck) => void;
}

export class MemoryStore implements LinkStore {
  readonly whitelist: MemoryWhitelist;
  readonly outbox = new MemoryOutbox();
  readonly commands: MemoryCommandLog;

  constructor(options: MemoryStoreOptions) {
    this.whitelist = new MemoryWhitelist(options.onVersion);
    this.commands = new MemoryCommandLog(options.onAck);
  }
}
