/**
 * Upgrade / extension: pay the difference to another type or a later visit date. The old credential is revoked, its
 * places go back to capacity and the new date's are taken, and a new ticket is issued under the same sale line (so
 * the sale's printouts and refunds see it) carrying the stub barcode, card and holder over.
 */
import { QR_FLAGS } from '@scenic/protocol';
import { AppError } from '../../platform/errors.js';
import { clockOf, dayOfIsoDate, isoDateOfDay } from '../capacity/local-time.js';
import type { Quote, TicketType } from '../ticket-types/schemas.js';
import { issuableWindow, MAX_ADVANCE_DAYS } from '../ticket-types/validity.js';
import type { TicketRow } from '../tickets/reads.js';
import type { TicketToIssue } from '../tickets/service.js';
import {
  type Db,
  type FlowDependencies,
  type FlowOutcome,
  type FlowStep,
  holderOf,
  REPLACED,
  requireUsable,
  type Trx,
} from './flow.js';
import type { CreateSupplement } from './schemas.js';

export type Upgrade = Extract<CreateSupplement, { kind: 'upgrade' }>;

/** What an upgrade will be, worked out from reads alone (the quote that decides on approval, then the write). */
export interface UpgradePlan {
  readonly siteTimezone: string;
  readonly type: TicketType;
  readonly visitDate: string;
  readonly visitDay: number;
  readonly holder: TicketToIssue['holder'];
  readonly quote: Quote;
  readonly amountFen: number;
}

export async function planUpgrade(
  deps: FlowDependencies,
  db: Db,
  input: Upgrade,
  old: TicketRow,
  now: number,
): Promise<UpgradePlan> {
  requireUsable(old, now);
  if (old.entries_used > 0) throw new AppError('TICKET_USED', { ticketId: old.id });
  const site = await deps.venues.getSite(old.site_id, db);
  const type = await deps.ticketTypes.get(input.toTypeId ?? old.type_id, db);
  if (type.siteId !== old.site_id)
    throw new AppError('TICKET_TYPE_OTHER_SITE', { typeId: type.typeId, siteId: old.site_id });
  const visitDate = input.visitDate ?? isoDateOfDay(old.visit_day);
  const visitDay = input.visitDate === undefined ? old.visit_day : dayOfIsoDate(input.visitDate)!;
  if (type.typeId === old.type_id && visitDay === old.visit_day && input.slotId === undefined)
    throw new AppError('SUPPLEMENT_NOTHING_CHANGES');
  const today = clockOf(site.timezone).dayNumber(now);
  if (visitDay < today || visitDay > today + MAX_ADVANCE_DAYS)
    throw new AppError('VISIT_DATE_OUT_OF_RANGE', {
      date: visitDate,
      from: isoDateOfDay(today),
      to: isoDateOfDay(today + MAX_ADVANCE_DAYS),
    });
  const holder = holderOf(old);
  if (type.realName === 'per_ticket' && !holder)
    throw new AppError('HOLDERS_REQUIRED', { typeId: type.typeId, quantity: 1, count: 0 });
  // The type and its site were read above in this snapshot: priced as priceFor would, without reading them again.
  // The holder's age on the new date, as the sale priced it on the old one (a child's free ticket stays free).
  const birthDay = holder?.birthDay ?? null;
  const quote = deps.ticketTypes.quote(type, site.agePolicy, {
    channel: 'window',
    visitDate,
    ...(type.kind === 'group' && { persons: old.persons }),
    ...(birthDay !== null && type.kind !== 'group' && { birthDate: isoDateOfDay(birthDay) }),
  });
  const amountFen = quote.priceFen - old.price_fen;
  if (amountFen < 0)
    throw new AppError('SUPPLEMENT_PRICE_LOWER', { price: quote.priceFen, paid: old.price_fen });
  return { siteTimezone: site.timezone, type, visitDate, visitDay, holder, quote, amountFen };
}

export async function applyUpgrade(
  deps: FlowDependencies,
  trx: Trx,
  { input, old, plan, now, signer }: FlowStep<Upgrade, UpgradePlan>,
): Promise<FlowOutcome> {
  const { siteTimezone, type, visitDate, visitDay, holder, quote } = plan;
  await deps.capacity.release(trx, {
    siteId: old.site_id,
    visitDate: isoDateOfDay(old.visit_day),
    visitDay: old.visit_day,
    slotId: old.slot_id,
    persons: old.persons,
  });
  const claim = await deps.capacity.consume(trx, {
    siteId: old.site_id,
    visitDate,
    visitDay,
    slotId: input.slotId ?? (visitDay === old.visit_day ? old.slot_id : null),
    persons: quote.persons,
  });
  // The stub and the card go over to the new ticket: the visitor keeps what they hold.
  await deps.tickets.change(
    trx,
    old.id,
    'revoke',
    { status: 'revoked', barcode: null, cardUid: null },
    { allowedFrom: ['active'], action: REPLACED },
  );
  const { validFrom, validTo, activation } = issuableWindow(type, visitDay, now, siteTimezone);
  const [issued] = await deps.tickets.issue(
    trx,
    [
      {
        siteId: old.site_id,
        typeId: type.typeId,
        typeVersion: type.version,
        saleId: old.sale_id,
        saleLine: old.sale_line,
        visitDay,
        validFrom,
        validTo,
        activation,
        entriesTotal: type.entries,
        persons: quote.persons,
        slot: claim.slot,
        holder,
        priceFen: quote.priceFen,
        flags:
          (old.flags & ~(QR_FLAGS.REAL_NAME | QR_FLAGS.GROUP)) | (type.kind === 'group' ? QR_FLAGS.GROUP : 0),
        barcode: old.barcode,
        cardUid: old.card_uid,
      },
    ],
    signer,
  );
  return { newTicketId: issued!.id, reason: null, note: null };
}
