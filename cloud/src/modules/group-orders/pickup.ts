/**
 * The two transitions that touch tickets: pick-up issues them (through the tickets service, signed like a sale's)
 * and takes the window payment; closing after the visit withdraws the unused ones and refunds their persons.
 */
import { QR_FLAGS, type SigningKeyPair } from '@scenic/protocol';
import type { Connection } from '../../db/scoped.js';
import { AppError } from '../../platform/errors.js';
import { clockOf, isoDateOfDay } from '../capacity/local-time.js';
import { settle } from '../sales/payments.js';
import type { TicketTypeVersion } from '../ticket-types/schemas.js';
import { issuableWindow } from '../ticket-types/validity.js';
import type { TicketToIssue } from '../tickets/service.js';
import type { OrderChange } from './changes.js';
import { permilleOf, visitDayEnd } from './policy.js';
import { personsLeft, personsRedeemed } from './redemption.js';
import * as repo from './repo.js';
import type { CloseGroupOrder, PickUp } from './schemas.js';
import type { GroupOrdersDependencies, OrderStep } from './service.js';
import { closeTaking, pickUpTaking, type WithdrawnTicket } from './takings.js';
import { requireVisitorsFit } from './visitors.js';

export interface OrderLineOfType {
  readonly lineNo: number;
  readonly quantity: number;
  readonly unitPriceFen: number;
  readonly type: TicketTypeVersion;
}

type Deps = Pick<
  GroupOrdersDependencies,
  | 'venues'
  | 'tickets'
  | 'maxChangeFen'
  | 'ticketTypes'
  | 'capacity'
  | 'keys'
  | 'secrets'
  | 'policy'
  | 'takings'
>;

/**
 * Confirmed → picked up. Real-name lines are always one ticket per visitor (a code carries one holder); the others
 * one group code per line (persons = the line's persons, its entries counted in persons: a scan admits up to the
 * persons left and shows N人, and the gate's headcount is what each passage uses) or one ticket per person. An order paid at the window pays here (sales' `settle`: exact, or cash with change).
 */
export async function pickUpOrder(
  deps: Deps,
  { trx, row, now, actorId }: OrderStep,
  input: PickUp,
  signer: SigningKeyPair,
  linesOf: (trx: Connection, row: repo.OrderRow) => Promise<OrderLineOfType[]>,
): Promise<OrderChange> {
  const window = await deps.venues.getWindow(row.site_id, input.windowId, trx);
  if (!window.active) throw new AppError('WINDOW_INACTIVE', { windowId: input.windowId });
  const lines = await linesOf(trx, row);
  const visitors = await repo.visitorsOf(trx, row.id);
  requireVisitorsFit(
    lines,
    visitors.map((v) => ({ row: v })),
    'exactly',
  );
  const tendered = input.payments ?? [];
  let changeFen = 0;
  if (row.payment_mode === 'window') changeFen = settle(row.total_fen, tendered, deps.maxChangeFen).changeFen;
  else if (tendered.length > 0) throw new AppError('ORDER_PAID_BY_LEDGER');

  const site = await deps.venues.getSite(row.site_id, trx);
  const slot =
    row.slot_id === null ? null : { id: row.slot_id, startAt: row.slot_start ?? 0, endAt: row.slot_end ?? 0 };
  const toIssue: TicketToIssue[] = [];
  const lineNos: number[] = [];
  const heldToday = new Map<string, number>();
  for (const line of lines) {
    const { type } = line;
    const base = {
      siteId: row.site_id,
      typeId: type.typeId,
      typeVersion: type.version,
      saleId: null,
      saleLine: null,
      visitDay: row.visit_day,
      ...issuableWindow(type, row.visit_day, now, site.timezone),
      entriesTotal: type.entries,
      slot,
    };
    const groupFlag = type.kind === 'group' ? QR_FLAGS.GROUP : 0;
    const add = (ticket: TicketToIssue) => {
      toIssue.push(ticket);
      lineNos.push(line.lineNo);
    };
    if (type.realName === 'per_ticket') {
      for (const visitor of visitors.filter((v) => v.type_id === type.typeId)) {
        await requirePerIdLimit(deps, trx, type, row.visit_day, visitor, heldToday);
        add({
          ...base,
          persons: 1,
          // Group tickets are priced per order line, not by age: no birth date is kept for a later re-pricing.
          holder: {
            name: visitor.name,
            idMasked: visitor.id_masked,
            idHash: visitor.id_hash,
            birthDay: null,
          },
          priceFen: line.unitPriceFen,
          flags: groupFlag,
        });
      }
    } else if (input.issue === 'group') {
      add({
        ...base,
        persons: line.quantity,
        holder: null,
        priceFen: line.unitPriceFen * line.quantity,
        flags: QR_FLAGS.GROUP,
      });
    } else {
      for (let i = 0; i < line.quantity; i++)
        add({ ...base, persons: 1, holder: null, priceFen: line.unitPriceFen, flags: groupFlag });
    }
  }
  const issued = await deps.tickets.issue(trx, toIssue, signer);
  await repo.addTickets(
    trx,
    issued.map((ticket, i) => ({
      order_id: row.id,
      ticket_id: ticket.id,
      line_no: lineNos[i]!,
      persons: ticket.persons,
    })),
  );
  await repo.addPayments(
    trx,
    row.id,
    tendered.map((p) => ({ kind: 'payment' as const, method: p.method, amount_fen: p.amountFen, at: now })),
  );
  await deps.takings.record(
    trx,
    pickUpTaking(
      row,
      { at: now, day: clockOf(site.timezone).dayNumber(now) },
      { windowId: input.windowId, cashierId: actorId, tendered, changeFen, issued: toIssue },
    ),
  );
  return {
    patch: {
      paid_fen: row.payment_mode === 'window' ? row.total_fen : row.paid_fen,
      change_fen: changeFen,
      issue_mode: input.issue,
      window_id: input.windowId,
    },
    details: {
      windowId: input.windowId,
      issue: input.issue,
      payments: tendered,
      changeFen,
      ticketIds: issued.map((ticket) => ticket.id),
    },
  };
}

/** A real-name type's per-ID daily limit, counting tickets already held and those of this pick-up. */
async function requirePerIdLimit(
  deps: Deps,
  trx: Connection,
  type: TicketTypeVersion,
  visitDay: number,
  visitor: repo.VisitorRow,
  heldToday: Map<string, number>,
): Promise<void> {
  const limit = type.perIdDailyLimit;
  if (limit === null) return;
  const key = `${type.typeId}/${visitor.id_hash}`;
  const already =
    heldToday.get(key) ?? (await deps.tickets.countForHolder(trx, visitor.id_hash, visitDay, type.typeId));
  if (already + 1 > limit)
    throw new AppError('PER_ID_LIMIT_EXCEEDED', {
      idNumber: visitor.id_masked,
      date: isoDateOfDay(visitDay),
      typeId: type.typeId,
      limit,
    });
  heldToday.set(key, already + 1);
}

/**
 * Picked up → closed, once the visit day is over (site time). The persons of a live code who did not go in are
 * unused: a code nobody used is withdrawn as refunded, a group code partly redeemed (25 of 30 went in: the gates
 * counted them, redemption.ts) is closed as used, so no gate admits anyone more on it; the order's policy gives back
 * `unusedRefundPermille` of the unused persons' share of its price. An agency is credited; an order paid at the
 * window records the refund paid out at the window.
 */
export async function closeOrder(
  deps: Deps,
  { trx, row, now, actorId }: OrderStep,
  input: CloseGroupOrder,
  creditAgency: (trx: Connection, row: repo.OrderRow, fen: number, at: number) => Promise<void>,
): Promise<OrderChange> {
  const site = await deps.venues.getSite(row.site_id, trx);
  if (now < visitDayEnd(row.visit_day, site.timezone))
    throw new AppError('ORDER_VISIT_NOT_OVER', { date: isoDateOfDay(row.visit_day) });
  const held = await repo.ticketsOf(trx, row.id);
  const tickets = await deps.tickets.byIds(
    held.map((t) => t.ticket_id),
    trx,
  );
  let unusedPersons = 0;
  let usedPersons = 0;
  let refundFen = 0;
  const withdrawn: number[] = [];
  const takenBack: WithdrawnTicket[] = [];
  for (const ticket of tickets) {
    const redeemed = personsRedeemed(ticket);
    const unused = personsLeft(ticket);
    usedPersons += redeemed;
    if (unused === 0) continue;
    await deps.tickets.change(trx, ticket.ticketId, 'refund', {
      status: redeemed === 0 ? 'refunded' : 'used',
    });
    withdrawn.push(ticket.ticketId);
    unusedPersons += unused;
    // The unused persons' share of the code's price (a group code's price is its line's unit price × persons).
    const unusedFen = Math.floor((ticket.priceFen * unused) / ticket.persons);
    const ticketRefundFen = permilleOf(unusedFen, row.unused_refund_permille);
    refundFen += ticketRefundFen;
    takenBack.push({
      typeId: ticket.typeId,
      unused: redeemed === 0,
      unusedPersons: unused,
      refundFen: ticketRefundFen,
    });
  }
  if (refundFen > 0) {
    if (row.payment_mode === 'window')
      await repo.addPayments(trx, row.id, [
        { kind: 'refund', method: input.refundMethod, amount_fen: refundFen, at: now },
      ]);
    else await creditAgency(trx, row, refundFen, now);
  }
  await deps.takings.record(
    trx,
    closeTaking(
      row,
      { at: now, day: clockOf(site.timezone).dayNumber(now) },
      { cashierId: actorId, refundMethod: input.refundMethod, withdrawn: takenBack },
    ),
  );
  return {
    patch: { refunded_fen: row.refunded_fen + refundFen },
    details: { usedPersons, unusedPersons, refundFen, withdrawnTicketIds: withdrawn },
  };
}
