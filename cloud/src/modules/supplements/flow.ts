/**
 * What the three supplement flows (upgrade.ts, fee.ts, reissue.ts) share: each is planned from reads alone (the
 * plan's amount decides on second approval, and the write plans again and compares) and then applied in the
 * supplement's transaction, where every credential change goes through TicketsService (feed rows).
 */
import type { SigningKeyPair } from '@scenic/protocol';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../platform/errors.js';
import type { Localized } from '../../platform/language.js';
import type { CapacityService } from '../capacity/service.js';
import type { TicketTypesService } from '../ticket-types/service.js';
import type { TicketRow } from '../tickets/reads.js';
import type { TicketsService, TicketToIssue } from '../tickets/service.js';
import type { VenuesService } from '../venues/service.js';

export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;

export const REPLACED: Localized = { 'zh-CN': '升级或补办', en: 'upgraded or reissued' };

export interface FlowDependencies {
  readonly venues: VenuesService;
  readonly ticketTypes: TicketTypesService;
  readonly capacity: CapacityService;
  readonly tickets: TicketsService;
}

/** What every plan knows: what the supplement charges. */
export interface FlowPlan {
  readonly amountFen: number;
}

/** One flow's write: the request, the ticket it concerns and the plan, as of `now`. */
export interface FlowStep<Input, Plan extends FlowPlan> {
  readonly input: Input;
  readonly old: TicketRow;
  readonly plan: Plan;
  readonly now: number;
  readonly signer: SigningKeyPair;
}

/** What a flow did, for the supplement row and its audit entry. */
export interface FlowOutcome {
  readonly newTicketId: number | null;
  readonly reason: string | null;
  readonly note: string | null;
}

export function holderOf(row: TicketRow): TicketToIssue['holder'] {
  return row.holder_name === null
    ? null
    : {
        name: row.holder_name,
        idMasked: row.holder_id_masked ?? '',
        idHash: row.holder_id_hash ?? '',
        birthDay: row.holder_birth_day,
      };
}

/** An upgrade or a reissue replaces a ticket that is active and not yet expired. */
export function requireUsable(old: TicketRow, now: number): void {
  if (old.status !== 'active')
    throw new AppError('TICKET_STATE_CONFLICT', { ticketId: old.id, status: old.status, action: REPLACED });
  if (now >= old.valid_to) throw new AppError('TICKET_EXPIRED', { ticketId: old.id });
}
