/**
 * Lines, date or slot before pick-up: the old places are given back and the new ones taken in one transaction
 * (so a decrease frees places and an increase is refused when they are gone), the lines priced again at today's
 * terms, and for an order already paid from the ledger the difference debited or credited.
 */
import { dayNumberOf, parseIsoDate } from '../../platform/identity/civil-date.js';
import { clockOf, isoDateOfDay } from '../capacity/local-time.js';
import type { OrderChange } from './changes.js';
import { requireBookableDay, visitorsDueAt } from './policy.js';
import * as repo from './repo.js';
import { hasRealName, lineRows } from './rows.js';
import type { ModifyGroupOrder } from './schemas.js';
import type { GroupOrdersDependencies, OrderStep } from './service.js';
import { priceOrder } from './terms.js';

/** What a modification does outside the order's own tables, in its transaction. */
export interface ModifyMoves {
  /** Gives the order's current places back. */
  release(): Promise<void>;
  /** Moves `fen` more from, or back to, the agency's ledger. */
  debit(fen: number): Promise<void>;
  credit(fen: number): Promise<void>;
}

export async function modifyOrder(
  deps: GroupOrdersDependencies,
  { trx, row, now }: OrderStep,
  input: ModifyGroupOrder,
  moves: ModifyMoves,
): Promise<OrderChange> {
  const site = await deps.venues.getSite(row.site_id, trx);
  const visitDate = input.visitDate ?? isoDateOfDay(row.visit_day);
  const visitOn = parseIsoDate(visitDate)!;
  const visitDay = dayNumberOf(visitOn);
  if (input.visitDate !== undefined)
    requireBookableDay(visitDate, visitDay, clockOf(site.timezone).dayNumber(now));
  const slotId =
    input.slotId !== undefined ? input.slotId : input.visitDate !== undefined ? null : row.slot_id;
  const lines =
    input.lines ??
    (await repo.linesOf(trx, row.id)).map((l) => ({ typeId: l.type_id, quantity: l.quantity }));
  await moves.release();
  const priced = await priceOrder(deps, trx, {
    siteId: row.site_id,
    agencyId: row.agency_id,
    visitDate,
    visitOn,
    lines,
  });
  const claim = await deps.capacity.consume(trx, {
    siteId: row.site_id,
    visitDate,
    visitDay,
    slotId,
    persons: priced.headcount,
  });
  let paid = row.paid_fen;
  if (row.state === 'confirmed' && row.payment_mode !== 'window' && priced.totalFen !== paid) {
    const difference = priced.totalFen - paid;
    if (difference > 0) await moves.debit(difference);
    else await moves.credit(-difference);
    paid = priced.totalFen;
  }
  await repo.replaceLines(trx, row.id, lineRows(row.id, priced));
  const before = {
    visitDate: isoDateOfDay(row.visit_day),
    slotId: row.slot_id,
    headcount: row.headcount,
    totalFen: row.total_fen,
  };
  return {
    patch: {
      visit_day: visitDay,
      slot_id: claim.slot?.id ?? null,
      slot_start: claim.slot?.startAt ?? null,
      slot_end: claim.slot?.endAt ?? null,
      headcount: priced.headcount,
      total_fen: priced.totalFen,
      paid_fen: paid,
      visitors_due_at: visitorsDueAt(visitDay, site.timezone, deps.policy, hasRealName(priced)),
    },
    details: {
      before,
      after: {
        visitDate,
        slotId: claim.slot?.id ?? null,
        headcount: priced.headcount,
        totalFen: priced.totalFen,
      },
      ledgerFen: paid - row.paid_fen,
    },
  };
}
