/**
 * A shift report (modules/takings/shifts) as a print model (shift-report.ts): the names a printout needs — the
 * venue's, the window's, each ticket type's — read through their owners' services, every time in the site's zone.
 */
import type { ShiftReport } from '../takings/shifts/schemas.js';
import type { TicketTypesService } from '../ticket-types/service.js';
import type { VenuesService } from '../venues/service.js';
import type { BilingualText } from './model.js';
import type { ShiftReportPrintModel } from './shift-report.js';

export interface ShiftPrintDependencies {
  readonly venues: VenuesService;
  readonly ticketTypes: TicketTypesService;
}

export async function shiftReportPrintModel(
  report: ShiftReport,
  deps: ShiftPrintDependencies,
  printedAtMs: number,
): Promise<ShiftReportPrintModel> {
  const { shift } = report;
  const site = await deps.venues.getSite(shift.siteId);
  // A window removed since still printed by its code.
  const window = await deps.venues
    .getWindow(shift.siteId, shift.windowId)
    .catch(() => ({ name: { zh: shift.windowId, en: shift.windowId } }));
  const typeName = async (typeId: number): Promise<BilingualText> => {
    try {
      return (await deps.ticketTypes.get(typeId)).name;
    } catch {
      // A type deleted since: its number still identifies it on paper.
      return { zh: `票种 ${typeId}`, en: `Type ${typeId}` };
    }
  };
  const movements = [...report.drops, ...report.payouts, ...report.adjustments]
    .sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1))
    .map((e) => ({ kind: e.kind, method: e.method, amountFen: e.amountFen, reason: e.reason, atMs: e.at }));
  return {
    timeZone: site.timezone,
    venueName: site.name,
    window: window.name,
    cashier: shift.cashier.username,
    shiftId: shift.id,
    state: shift.state,
    openedAtMs: shift.openedAt,
    closedAtMs: shift.closedAt,
    hidden: report.expectedHidden,
    cash: report.cash && {
      floatFen: report.cash.floatFen,
      salesFen: report.cash.salesFen,
      refundsFen: report.cash.refundsFen,
      supplementsFen: report.cash.supplementsFen,
      ordersFen: report.cash.ordersFen,
      payoutsFen: report.cash.payoutsFen,
      dropsFen: report.cash.dropsFen,
      expectedFen: report.cash.expectedFen,
      countedFen: report.cash.countedFen,
      varianceFen: report.cash.varianceFen,
      adjustmentsFen: report.cash.adjustmentsFen,
    },
    denominations: (report.cash?.denominations ?? []).map((d) => ({
      code: d.code,
      count: d.count,
      amountFen: d.amountFen,
    })),
    tenders: report.tenders.map((t) => ({
      method: t.method,
      expectedFen: t.expectedFen,
      recordedFen: t.recordedFen,
      differenceFen: t.differenceFen,
    })),
    sources: report.sources.map((s) => ({
      source: s.source,
      count: s.count,
      amountFen: s.amountFen,
      tickets: s.tickets,
    })),
    ticketTypes: await Promise.all(
      report.ticketTypes.map(async (t) => ({
        name: await typeName(t.typeId),
        tickets: t.tickets,
        amountFen: t.amountFen,
      })),
    ),
    movements,
    approval: shift.approval && { by: shift.approval.by.username, note: shift.approval.note },
    handoverTo: shift.handoverToCashierId,
    printedAtMs,
  };
}
