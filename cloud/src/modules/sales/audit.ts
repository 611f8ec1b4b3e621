/**
 * The sale's operation-log entry (`sale.create`): what was sold, for how much, the tickets it issued and, for a
 * customer, the points it spent and earned.
 */
import type { AuditEntry } from '../../platform/audit/record.js';
import type { ChangeContext } from '../../platform/change-context.js';
import type { LoyaltyOutcome } from './loyalty.js';
import type { SoldSale } from './sold.js';

export function saleAuditEntry(
  sold: SoldSale,
  context: ChangeContext,
  ticketIds: readonly number[],
  points: LoyaltyOutcome | null = null,
): AuditEntry {
  const { order } = sold;
  return {
    actor: context.actor,
    ip: context.ip,
    action: 'sale.create',
    entity: 'sale',
    entityId: sold.id,
    after: {
      siteId: order.siteId,
      windowId: order.windowId,
      totalFen: sold.totalFen,
      paidFen: sold.paidFen,
      changeFen: sold.changeFen,
      payments: order.payments,
      ...(points && { customerId: order.customerId, points }),
      lines: sold.lines.map((line) => ({
        typeId: line.type.typeId,
        typeVersion: line.type.version,
        visitDay: line.visitDay,
        slotId: line.slot?.id ?? null,
        quantity: line.quantity,
        amountFen: line.amountFen,
        ...(line.tickets.some((ticket) => ticket.cardUid) && {
          cardUids: line.tickets.map((ticket) => ticket.cardUid ?? null),
        }),
      })),
      ticketIds,
    },
  };
}
