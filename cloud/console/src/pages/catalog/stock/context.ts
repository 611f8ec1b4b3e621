/** What every stock tab is given by the page: the site filter, names of ticket types, time zones and rights. */
import type { StockBatch, TicketType } from '../../../api/types';

export interface StockContext {
  /** The site filter; undefined = every site. */
  readonly siteId: string | undefined;
  readonly typeName: (typeId: number) => string;
  /** Ticket types the operator may pick (those of the filtered site, or all). */
  readonly types: readonly TicketType[];
  readonly zoneOf: (siteId: string) => string;
  readonly canManage: boolean;
}

export const stockKey = {
  batches: (siteId: string | undefined) => ['stock', 'list', 'batches', siteId ?? null] as const,
  batchCodes: (batchId: number, page: { after: number; limit: number; state?: string | undefined }) =>
    ['stock', 'one', 'batch', batchId, 'codes', page.after, page.limit, page.state ?? null] as const,
  warehouse: (siteId: string | undefined) => ['stock', 'list', 'warehouse', siteId ?? null] as const,
  cashiers: (siteId: string | undefined) => ['stock', 'list', 'cashier-balances', siteId ?? null] as const,
  code: (code: string) => ['stock', 'one', 'code', code] as const,
  reconciliation: (siteId: string | undefined) =>
    ['stock', 'list', 'reconciliation', siteId ?? null] as const,
  mine: ['stock', 'one', 'mine'] as const,
};

/** "#7 · 成人票（#1） · 100 张" */
export function batchLabel(
  batch: StockBatch,
  typeName: (typeId: number) => string,
  t: (key: 'stock.batchLabel', options: { id: number; type: string; count: number }) => string,
): string {
  return t('stock.batchLabel', { id: batch.batchId, type: typeName(batch.ticketTypeId), count: batch.count });
}
