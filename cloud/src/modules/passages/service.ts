/**
 * Passage ingestion: each passage or denial event is applied exactly once by its gate-generated `eventId`. A
 * transaction stores the event (insert-or-ignore on the primary key: a replay inserts nothing and applies nothing
 * twice), moves the occupancy counters and runs the plugged-in hooks — e.g. the tickets module consuming an entry —
 * so either all of it happens or none; a replay only lets the hooks restate what the event did
 * (PassageHook.replayed). Late and out-of-order events are normal (a gate drains its outbox after hours offline):
 * they are stored with the gate's own `at` and count towards the occupancy day of that instant.
 *
 * Events that arrive while a transaction is running are applied together in the next one (at most MAX_BATCH), in
 * arrival order and with the same result as one by one: a copy of an event already in the batch is a duplicate,
 * and the occupancy counters and hooks see the events in order. Every caller hears back only after its batch has
 * committed. If a batch fails, each of its events is tried again in a transaction of its own, so an event that
 * cannot be stored fails alone and the others are stored (platform/batch-queue.ts). Once a batch has committed, the
 * events it stored are announced on the hub (hub.ts) for the console's push stream: no extra statement, and nothing
 * at all while nobody listens.
 */
import type { DenialEvent, PassageEvent } from '@scenic/protocol';
import type { Connection } from '../../db/scoped.js';
import { transaction } from '../../db/transaction.js';
import { BatchQueue } from '../../platform/batch-queue.js';
import type { OccupancyAlert, OccupancyFigure, OccupancyService } from '../occupancy/service.js';
import type { PassageHub } from './hub.js';
import * as repo from './repo.js';
import { type PassageDb, type PassageEventsTable, passageTables } from './tables.js';

/** An event as stored; what hooks receive. */
export type StoredEvent = PassageEventsTable;

/**
 * A step run inside the ingestion transaction for every newly stored event (never for a replay). Throwing rolls
 * the whole event back; the gate's retransmission (or a later replay) then tries again.
 */
export interface PassageHook<Prepared = unknown> {
  readonly name: string;
  /**
   * Optional: reads what a whole batch of newly stored events needs in one go (one query for all their tickets
   * instead of one per event: on PostgreSQL each is a round trip while the batch holds its transaction). Runs in the
   * batch's transaction before `apply`; what it returns is handed to `apply` for each event of that batch only.
   */
  prepare?(trx: Connection, events: readonly StoredEvent[]): Promise<Prepared>;
  /**
   * Applies one event, in the order the events were stored. May answer that the passage is an offline conflict (the
   * cloud would have refused it at its scan time): the event is then stored flagged, never dropped.
   */
  apply?(
    trx: Connection,
    event: StoredEvent,
    prepared: Prepared | undefined,
    // biome-ignore lint/suspicious/noConfusingVoidType: most hooks have no verdict and are written `Promise<void>`
  ): Promise<Conflict | undefined | void>;
  /**
   * Optional: runs once per batch after every `apply`, with all the batch's newly stored events, for work that is
   * one statement for the whole batch (the hourly entries add a batch's passages in one upsert, hourly.ts).
   */
  finish?(trx: Connection, events: readonly StoredEvent[], prepared: Prepared | undefined): Promise<void>;
  /**
   * Optional: runs, after every `apply` of the batch, for each event whose id an earlier transaction stored — a gate
   * sent it again (after a crash or a lost acknowledgement). It must not apply the event a second time; what it may
   * do is tell the gate again what the event already did (the tickets module restates the ticket's record).
   */
  replayed?(trx: Connection, event: StoredEvent): Promise<void>;
}

/**
 * A passage decided offline that the cloud would have refused at its scan time: the reason it would have given (a
 * protocol decision reason) and the entries it used beyond what the ticket's count had left.
 */
export interface Conflict {
  readonly reason: string;
  readonly overdraft: number;
}

export type IngestOutcome =
  | {
      readonly status: 'applied';
      readonly event: StoredEvent;
      readonly figures: OccupancyFigure[];
      readonly alerts: OccupancyAlert[];
    }
  | { readonly status: 'duplicate' }
  /** The gate is not in the registry under this site: nothing is stored. */
  | { readonly status: 'unknown_gate' };

export interface ReceivedEvent {
  readonly siteId: string;
  readonly gateId: string;
  readonly message: PassageEvent | DenialEvent;
  readonly receivedAt: number;
}

/** Events per transaction at most: a batch holds SQLite's write lock for a few milliseconds. */
const MAX_BATCH = 256;

export class PassageIngestion {
  // The first batch waits one turn of the event loop, so every event already read from the sockets joins it.
  private readonly queue = new BatchQueue<ReceivedEvent, IngestOutcome>({
    run: async (received) => {
      const outcomes = await transaction(this.db, (trx) => this.applyBatch(trx, received));
      // After the COMMIT: listeners see only stored events, and a batch rolled back announces nothing.
      if (this.hub?.listening) this.hub.publish(appliedEvents(outcomes));
      return outcomes;
    },
    maxBatch: MAX_BATCH,
    start: 'immediate',
    onFailure: 'retry-each',
  });

  private readonly db: PassageDb;

  constructor(
    db: Connection,
    private readonly occupancy: OccupancyService,
    private readonly hooks: readonly PassageHook[] = [],
    /** Where newly stored events are announced once committed (the console's push stream). */
    private readonly hub?: PassageHub,
  ) {
    this.db = passageTables(db);
  }

  /** Applies one event; resolves once it is committed (with the events that share its transaction). */
  ingest(received: ReceivedEvent): Promise<IngestOutcome> {
    return this.queue.add(received);
  }

  private async applyBatch(trx: Connection, received: readonly ReceivedEvent[]): Promise<IngestOutcome[]> {
    const gates = await repo.gatePlaces(
      trx,
      received.map((r) => r.gateId),
    );
    const outcomes: (IngestOutcome | StoredEvent)[] = [];
    const candidates = new Map<string, StoredEvent>();
    for (const event of received) {
      const gate = gates.get(event.gateId);
      if (!gate || gate.site_id !== event.siteId) outcomes.push({ status: 'unknown_gate' });
      else if (candidates.has(event.message.eventId)) outcomes.push({ status: 'duplicate' });
      else {
        const stored = storedEvent(event, gate.zone_id);
        candidates.set(stored.event_id, stored);
        outcomes.push(stored);
      }
    }
    const inserted = await repo.insertNewEvents(trx, [...candidates.values()]);
    const applied = [...candidates.values()].filter((event) => inserted.has(event.event_id));
    const passages = applied.filter((event) => event.kind === 'passage');
    const moved = await this.occupancy.applyAll(
      trx,
      passages.map((event) => ({
        siteId: event.site_id,
        zoneId: event.zone_id,
        at: event.at,
        direction: event.direction,
        persons: event.persons,
      })),
    );
    const movedBy = new Map(passages.map((event, i) => [event, moved[i]!]));
    const prepared: unknown[] = [];
    for (const hook of this.hooks)
      prepared.push(applied.length > 0 ? await hook.prepare?.(trx, applied) : undefined);
    const conflicts: StoredEvent[] = [];
    for (const event of applied)
      for (const [i, hook] of this.hooks.entries()) {
        const conflict = await hook.apply?.(trx, event, prepared[i]);
        if (!conflict) continue;
        // Stored as the fact it is, with the flag: the list, the lookup and the push stream show it.
        if (event.conflict === null) conflicts.push(event);
        event.conflict ??= conflict.reason;
        event.overdraft += conflict.overdraft;
      }
    // Rare: one small UPDATE per conflict, only in a batch that has one.
    if (conflicts.length > 0) await repo.flagConflicts(trx, conflicts);
    if (applied.length > 0)
      for (const [i, hook] of this.hooks.entries()) await hook.finish?.(trx, applied, prepared[i]);
    for (const event of candidates.values()) {
      if (inserted.has(event.event_id)) continue;
      for (const hook of this.hooks) await hook.replayed?.(trx, event);
    }
    return outcomes.map((outcome) => {
      if ('status' in outcome) return outcome;
      if (!inserted.has(outcome.event_id)) return { status: 'duplicate' };
      return { status: 'applied', event: outcome, ...(movedBy.get(outcome) ?? { figures: [], alerts: [] }) };
    });
  }
}

function appliedEvents(outcomes: readonly IngestOutcome[]): StoredEvent[] {
  const events: StoredEvent[] = [];
  for (const outcome of outcomes) if (outcome.status === 'applied') events.push(outcome.event);
  return events;
}

function storedEvent({ siteId, message, receivedAt }: ReceivedEvent, zoneId: string): StoredEvent {
  // One literal per kind (no spreads): this runs for every event.
  if (message.type === 'passage') {
    return {
      event_id: message.eventId,
      kind: 'passage',
      site_id: siteId,
      zone_id: zoneId,
      gate_id: message.gateId,
      ticket_id: message.ticketId,
      credential_kind: message.credentialKind,
      direction: message.direction,
      persons: message.persons,
      at: message.at,
      received_at: receivedAt,
      decided_offline: message.decidedOffline ? 1 : 0,
      entries_left: message.entriesLeft,
      correlation_id: message.correlationId,
      unconfirmed: message.unconfirmed ? 1 : 0,
      reason: null,
      code_hash: null,
      card_recycled: message.cardRecycled ? 1 : 0,
      conflict: null,
      overdraft: 0,
    };
  }
  return {
    event_id: message.eventId,
    kind: 'denial',
    site_id: siteId,
    zone_id: zoneId,
    gate_id: message.gateId,
    ticket_id: message.ticketId,
    credential_kind: message.credentialKind,
    direction: message.direction,
    persons: 0,
    at: message.at,
    received_at: receivedAt,
    decided_offline: null,
    entries_left: null,
    correlation_id: null,
    unconfirmed: 0,
    reason: message.reason,
    code_hash: message.codeHash,
    card_recycled: 0,
    conflict: null,
    overdraft: 0,
  };
}
