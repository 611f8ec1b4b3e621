/**
 * Passage ingestion: each passage or denial event is applied exactly once by its gate-generated `eventId`. One
 * transaction stores the event (insert-or-ignore on the primary key: a replay inserts nothing and changes nothing
 * else), moves the occupancy counters and runs the plugged-in hooks — e.g. the tickets module consuming an entry —
 * so either all of it happens or none. Late and out-of-order events are normal (a gate drains its outbox after
 * hours offline): they are stored with the gate's own `at` and count towards the occupancy day of that instant.
 */
import type { DenialEvent, PassageEvent } from '@scenic/protocol';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { transaction } from '../../db/transaction.js';
import type { OccupancyAlert, OccupancyFigure, OccupancyService } from '../occupancy/service.js';
import type { PassageEventsTable } from './tables.js';

/** An event as stored; what hooks receive. */
export type StoredEvent = PassageEventsTable;

/**
 * A step run inside the ingestion transaction for every newly stored event (never for a replay). Throwing rolls
 * the whole event back; the gate's retransmission (or a later replay) then tries again.
 */
export interface PassageHook {
  readonly name: string;
  apply(trx: Transaction<Database>, event: StoredEvent): Promise<void>;
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

export class PassageIngestion {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly occupancy: OccupancyService,
    private readonly hooks: readonly PassageHook[] = [],
  ) {}

  ingest(received: ReceivedEvent): Promise<IngestOutcome> {
    return transaction(this.db, async (trx): Promise<IngestOutcome> => {
      const gate = await trx
        .selectFrom('gates')
        .select(['site_id', 'zone_id'])
        .where('id', '=', received.gateId)
        .executeTakeFirst();
      if (!gate || gate.site_id !== received.siteId) return { status: 'unknown_gate' };
      const event = storedEvent(received, gate.zone_id);
      const inserted = await trx
        .insertInto('passage_events')
        .values(event)
        .onConflict((oc) => oc.column('event_id').doNothing())
        .returning('event_id')
        .executeTakeFirst();
      if (!inserted) return { status: 'duplicate' };
      const moved =
        event.kind === 'passage'
          ? await this.occupancy.apply(trx, {
              siteId: event.site_id,
              zoneId: event.zone_id,
              at: event.at,
              direction: event.direction,
              persons: event.persons,
            })
          : { figures: [], alerts: [] };
      for (const hook of this.hooks) await hook.apply(trx, event);
      return { status: 'applied', event, ...moved };
    });
  }
}

function storedEvent({ siteId, message, receivedAt }: ReceivedEvent, zoneId: string): StoredEvent {
  const common = {
    event_id: message.eventId,
    site_id: siteId,
    zone_id: zoneId,
    gate_id: message.gateId,
    ticket_id: message.ticketId,
    credential_kind: message.credentialKind,
    direction: message.direction,
    at: message.at,
    received_at: receivedAt,
  };
  if (message.type === 'passage') {
    return {
      ...common,
      kind: 'passage',
      persons: message.persons,
      decided_offline: message.decidedOffline ? 1 : 0,
      entries_left: message.entriesLeft,
      correlation_id: message.correlationId,
      reason: null,
      code_hash: null,
    };
  }
  return {
    ...common,
    kind: 'denial',
    persons: 0,
    decided_offline: null,
    entries_left: null,
    correlation_id: null,
    reason: message.reason,
    code_hash: message.codeHash,
  };
}
