/**
 * Online validation (protocol/README.md §4): the cloud answers a gate's `validate_request` with the same rules engine
 * the gate runs offline — `decide()` with the ticket's record, its type's current rules, the gate, the ticket's
 * passages from the database and the site's venue clock — and the ticket's current record.
 *
 * Atomic: each validation is one transaction that reads the ticket and its open reservations and, on admit, inserts
 * a reservation (keyed by gate and correlationId). An open reservation counts as an entry used and as a passage, so
 * of two gates asking about the last entry of a count card at the same moment exactly one is admitted. The
 * transactions of one ticket queue instead of racing, and those of different tickets do not wait for each other:
 *   - SQLite: BEGIN IMMEDIATE serialises writers anyway; concurrent validations share a COMMIT (group commit).
 *   - PostgreSQL: READ COMMITTED, and the ticket row is read FOR UPDATE first. Validations of the same ticket queue
 *     on that row lock, and every later statement sees what the previous holder committed (its reservation), so
 *     nothing fails with 40001 and retries. Whatever changes the count — a passage using an entry (passage hook),
 *     a sale, a refund — updates the same row and so waits for, or is waited for by, the validation; a reservation
 *     confirmed by a passage not yet committed is still counted as open while `entries_used` is not yet raised, so
 *     the entry is counted exactly once either way.
 * Idempotent per gate and correlationId: a request repeated (the gate asks again when no answer came, an answer or
 * request was lost, two cloud instances received it) finds its own reservation and is given the admit it was given,
 * never a second hold. A repeated deny held nothing, so it is simply decided again.
 * Group codes (persons > 1) count in persons: an admit holds every person it lets through (`consumes` =
 * Decision.persons, at most what the code has left after the other gates' holds, and answered as `persons`), so two
 * gates scanning the same group code at once never admit more persons than it has left together. The passage uses
 * only its headcount; the rest of the hold ends with it. A group pass lasts longer than one person's: the hold is
 * kept for the first person's timeout plus the group idle timeout for each further person.
 * The passage event carrying the correlationId confirms the reservation (tickets/passage-hook.ts), after which the
 * entry is counted in `entries_used` instead; a reservation never confirmed lapses after the gate's passage timeout
 * (nobody passed).
 *
 * Late answers are useless to the gate, which has already decided locally: a validation whose turn comes after the
 * request's `deadlineAt` is not worked on, and one not finished by then is rolled back (no reservation); neither is
 * answered.
 *
 * Cheap per request: the statements are precompiled (repo.ts), and what does not change from one request to the
 * next is kept — each time zone's venue clock, each type version's gate rules (a committed version never changes),
 * each gate settings JSON parsed once. Still read every time, in the transaction: the gate, the ticket, the type's
 * current version, the reservations and passages.
 */
import {
  type CredentialRecord,
  checkoutMinute,
  createVenueClock,
  decide,
  GROUP_IDLE_DEFAULT_MS,
  type TicketTypeRules,
  type ValidateRequest,
  type ValidateResponse,
  type VenueClock,
} from '@scenic/protocol';

import type { Connection, TransactionOf } from '../../db/scoped.js';
import { transaction } from '../../db/transaction.js';
import { type GateSettings, settingsOf } from '../gate-config/settings.js';
import { toTicketTypeRules } from '../ticket-types/gate-rules.js';
import type { TicketTypesService } from '../ticket-types/service.js';
import { recordOf } from '../tickets/reads.js';
import * as repo from './repo.js';
import { type ReservationDb, reservationTables } from './tables.js';

/** How far back passages matter: per-day limits need today, anti-passback at most 7 days (the protocol's bound). */
const RECENT_MS = 8 * 86_400_000;
/** Beyond the gate's passage timeout: the relay pulse, the passage event's trip to the cloud. */
const RESERVATION_SLACK_MS = 2_000;
/** Entries per small cache (type versions, settings texts); the oldest goes first. */
const CACHE_SIZE = 256;

class Late extends Error {}

function remember<K, V>(cache: Map<K, V>, key: K, value: V): V {
  cache.set(key, value);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as K);
  return value;
}

export class ValidationService {
  private readonly clocks = new Map<string, VenueClock>();
  private readonly rules = new Map<string, TicketTypeRules | null>();
  private readonly settings = new Map<string, GateSettings>();

  private readonly db: ReservationDb;

  constructor(
    db: Connection,
    private readonly types: TicketTypesService,
    private readonly now: () => number = Date.now,
  ) {
    this.db = reservationTables(db);
  }

  /** The answer for the gate, or null when there is none to give (unknown gate, deadline passed). */
  /** Deletes up to `batch` reservations that lapsed before `before` (the whitelist distributor's pruning round). */
  pruneReservations(before: number, batch: number): Promise<number> {
    return repo.pruneReservations(this.db, before, batch);
  }

  async validate(siteId: string, gateId: string, request: ValidateRequest): Promise<ValidateResponse | null> {
    const work = async (trx: TransactionOf<ReservationDb>) => {
      // Its turn may come late (a burst queued ahead of it): then the gate has decided already, and the work would
      // only delay the requests behind it.
      if (this.now() > request.deadlineAt) throw new Late();
      const answer = await this.decideIn(trx, siteId, gateId, request);
      if (answer && this.now() > request.deadlineAt) throw new Late();
      return answer;
    };
    try {
      // PostgreSQL: READ COMMITTED (see above), run again after a deadlock or a lost serialization race.
      return await transaction(this.db, work, { isolation: 'read committed' });
    } catch (error) {
      if (error instanceof Late) return null;
      throw error;
    }
  }

  private async decideIn(
    trx: TransactionOf<ReservationDb>,
    siteId: string,
    gateId: string,
    request: ValidateRequest,
  ): Promise<ValidateResponse | null> {
    const gate = await repo.gateOf(trx, gateId);
    if (!gate || gate.site_id !== siteId || gate.active !== 1) return null;
    const row = await repo.ticketFor(trx, siteId, request.credential);
    const answer = (
      reason: ValidateResponse['reason'],
      entriesLeft: number | null,
      record: CredentialRecord | null,
      persons?: number,
    ) =>
      ({
        type: 'validate_response',
        v: 1,
        correlationId: request.correlationId,
        decision: reason === 'OK' ? 'admit' : 'deny',
        reason,
        entriesLeft,
        // Only a group code's admit says how many persons it holds; every other answer is as before.
        ...(reason === 'OK' && record !== null && record.persons > 1 && persons !== undefined && { persons }),
        record,
      }) as ValidateResponse;
    if (!row) return answer('UNKNOWN_CREDENTIAL', null, null);

    const now = this.now();
    const rules = await this.rulesOf(trx, row.type_id, siteId);
    const open = await repo.openReservations(trx, row.id, now, gateId, request.correlationId);
    const record = recordOf(row);
    // A repeat of a request this gate made before (the answer was lost, or a second instance got it too): the admit
    // it was given, from its reservation — deciding again would count its own hold against it and refuse.
    const own = open.find((r) => r.gate_id === gateId && r.correlation_id === request.correlationId);
    if (own) return answer('OK', own.entries_left, record, own.consumes > 0 ? own.consumes : record.persons);
    const passages = await repo.passagesSince(trx, row.id, now - RECENT_MS);
    let reserved = 0;
    for (const reservation of open) {
      reserved += reservation.consumes;
      passages.push({
        at: Number(reservation.at),
        direction: reservation.direction,
        gateId: reservation.gate_id,
      });
    }
    const decision = decide({
      record: reserved === 0 ? record : { ...record, entriesUsed: record.entriesUsed + reserved },
      rules,
      gate: { siteId, gateId, zoneId: gate.zone_id, direction: gate.direction },
      direction: request.direction,
      now,
      clock: this.clockOf(gate.timezone),
      recent: passages,
      // The site's automatic check-out, as the gate applies it offline (protocol rules/auto-checkout.ts).
      checkoutMinute: gate.auto_checkout_at === null ? null : checkoutMinute(gate.auto_checkout_at),
    });
    if (decision.admit) {
      const settings = this.settingsOf(gate.settings_json);
      const counted = request.direction === 'in' && row.entries_total !== null;
      // A group pass: one more release per further person, each within the group idle timeout of the previous.
      const passMs =
        settings.passageTimeoutMs +
        settings.relayPulseMs +
        (decision.persons - 1) * ((settings.groupIdleMs ?? GROUP_IDLE_DEFAULT_MS) + settings.relayPulseMs);
      await repo.insertReservation(trx, {
        gate_id: gateId,
        correlation_id: request.correlationId,
        site_id: siteId,
        ticket_id: row.id,
        direction: request.direction,
        consumes: counted ? (record.persons > 1 ? decision.persons : 1) : 0,
        at: now,
        expires_at: now + passMs + RESERVATION_SLACK_MS,
        entries_left: decision.entriesLeft,
      });
    }
    // The stored record, without reservations: the gate counts the entry itself once the visitor has passed.
    return answer(decision.reason, decision.entriesLeft, record, decision.persons);
  }

  /** The rules gates run for the type (its current version), or null when gates do not know it (inactive). */
  private async rulesOf(
    trx: TransactionOf<ReservationDb>,
    typeId: number,
    siteId: string,
  ): Promise<TicketTypeRules | null> {
    const head = await repo.typeHeadOf(trx, typeId);
    if (head?.active !== 1 || head.site_id !== siteId) return null;
    const key = `${typeId}/${head.current_version}`;
    const known = this.rules.get(key);
    if (known !== undefined) return known;
    try {
      return remember(
        this.rules,
        key,
        toTicketTypeRules(await this.types.getVersion(typeId, head.current_version, trx)),
      );
    } catch {
      return null;
    }
  }

  private clockOf(timeZone: string): VenueClock {
    let clock = this.clocks.get(timeZone);
    if (!clock) {
      clock = createVenueClock(timeZone);
      this.clocks.set(timeZone, clock);
    }
    return clock;
  }

  private settingsOf(json: string | null): GateSettings {
    if (json === null) return settingsOf(json);
    return this.settings.get(json) ?? remember(this.settings, json, settingsOf(json));
  }
}
