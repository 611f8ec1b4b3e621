/**
 * Reissue: a lost ticket's credential is revoked and a new one issued with the same remaining rights (validity,
 * entries left, slot, holder) — never the lost stub's barcode — for an optional fee.
 */
import { checkCardUid, QR_FLAGS } from '@scenic/protocol';
import { invalidInput } from '../../platform/validation.js';
import type { TicketRow } from '../tickets/reads.js';
import { entriesPerPerson } from '../tickets/service.js';
import {
  type FlowDependencies,
  type FlowOutcome,
  type FlowPlan,
  type FlowStep,
  holderOf,
  REPLACED,
  requireUsable,
  type Trx,
} from './flow.js';
import type { CreateSupplement } from './schemas.js';

export type Reissue = Extract<CreateSupplement, { kind: 'reissue' }>;

export function planReissue(input: Reissue, old: TicketRow, now: number): FlowPlan {
  requireUsable(old, now);
  return { amountFen: input.feeFen };
}

/** The card UID given for the new ticket, checked (its absence leaves the new ticket without a card). */
function cardUidOf(input: Reissue): string | null {
  if (input.cardUid === undefined) return null;
  const checked = checkCardUid(input.cardUid);
  if (checked.ok) return checked.uid;
  throw invalidInput('body', [
    { path: ['cardUid'], code: 'custom', messages: { 'zh-CN': 'IC 卡号无效', en: checked.message } },
  ]);
}

export async function applyReissue(
  deps: FlowDependencies,
  trx: Trx,
  { input, old, signer }: FlowStep<Reissue, FlowPlan>,
): Promise<FlowOutcome> {
  const cardUid = cardUidOf(input);
  // The lost stub's barcode stays with the revoked ticket: whoever finds it must not get in.
  await deps.tickets.change(
    trx,
    old.id,
    'revoke',
    { status: 'revoked', cardUid: null },
    { allowedFrom: ['active'], action: REPLACED },
  );
  const [issued] = await deps.tickets.issue(
    trx,
    [
      {
        siteId: old.site_id,
        typeId: old.type_id,
        typeVersion: old.type_version,
        saleId: old.sale_id,
        saleLine: old.sale_line,
        visitDay: old.visit_day,
        validFrom: old.valid_from,
        validTo: old.valid_to,
        // A replaced card of a first-use ticket keeps its activation: the period runs from the first entry it had.
        activation:
          old.activate_by === null || old.activation_unit === null || old.activation_count === null
            ? null
            : { by: old.activate_by, unit: old.activation_unit, count: old.activation_count },
        firstEntryAt: old.first_entry_at,
        visitDays: old.visit_days,
        lastVisitAt: old.last_visit_at,
        // The stored count is the code's (a group code's is in persons); issue takes one person's.
        entriesTotal: entriesPerPerson(old.entries_total, old.persons),
        persons: old.persons,
        slot:
          old.slot_id === null || old.slot_start === null || old.slot_end === null
            ? null
            : { id: old.slot_id, startAt: old.slot_start, endAt: old.slot_end },
        holder: holderOf(old),
        priceFen: old.price_fen,
        flags: old.flags & ~QR_FLAGS.REAL_NAME,
        cardUid,
      },
    ],
    signer,
  );
  let newTicketId = issued!.id;
  if (old.entries_used > 0)
    newTicketId = (await deps.tickets.change(trx, newTicketId, 'update', { entriesUsed: old.entries_used }))
      .id;
  return { newTicketId, reason: null, note: input.note ?? null };
}
