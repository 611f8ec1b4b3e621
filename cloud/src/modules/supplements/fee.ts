/**
 * Fee: an overstay or re-entry charge (the type's standing rate or an amount given with a reason). A re-entry also
 * gives back one entry of a used ticket, which the gates learn from the feed.
 */
import { AppError } from '../../platform/errors.js';
import type { Localized } from '../../platform/language.js';
import type { TicketRow } from '../tickets/reads.js';
import type { Db, FlowDependencies, FlowOutcome, FlowPlan, FlowStep, Trx } from './flow.js';
import * as repo from './repo.js';
import type { CreateSupplement } from './schemas.js';
import type { FeeReason } from './tables.js';

export type Fee = Extract<CreateSupplement, { kind: 'fee' }>;

const READMITTED: Localized = { 'zh-CN': '再次入园', en: 're-admitted' };
const CHARGED: Localized = { 'zh-CN': '收取费用', en: 'charged a fee' };

/**
 * A fee's amount, and its checks: a refunded or revoked ticket is no longer the visitor's to be charged on (an
 * overstay may follow expiry or use, so those are allowed); a re-entry needs a used entry to give back.
 */
export async function planFee(db: Db, input: Fee, old: TicketRow, now: number): Promise<FlowPlan> {
  if (old.status === 'refunded' || old.status === 'revoked')
    throw new AppError('TICKET_STATE_CONFLICT', { ticketId: old.id, status: old.status, action: CHARGED });
  let amountFen = input.amountFen;
  if (amountFen === undefined && input.reason !== 'other')
    amountFen = await repo.feeRate(db, old.type_id, input.reason as FeeReason);
  if (amountFen === undefined)
    throw new AppError('SUPPLEMENT_FEE_UNKNOWN', { typeId: old.type_id, reason: input.reason });
  if (input.reason === 'reentry' && old.entries_total !== null) {
    if (now >= old.valid_to) throw new AppError('TICKET_EXPIRED', { ticketId: old.id });
    if (old.entries_used === 0 || !['active', 'used'].includes(old.status))
      throw new AppError('TICKET_STATE_CONFLICT', {
        ticketId: old.id,
        status: old.status,
        action: READMITTED,
      });
  }
  return { amountFen };
}

export async function applyFee(
  deps: FlowDependencies,
  trx: Trx,
  { input, old }: FlowStep<Fee, FlowPlan>,
): Promise<FlowOutcome> {
  if (input.reason === 'reentry' && old.entries_total !== null)
    // Re-entry gives one entry back, so a used ticket admits its holder once more.
    await deps.tickets.change(
      trx,
      old.id,
      'update',
      { status: 'active', entriesUsed: old.entries_used - 1 },
      { allowedFrom: ['active', 'used'], action: READMITTED },
    );
  return { newTicketId: null, reason: input.reason, note: input.note ?? null };
}
