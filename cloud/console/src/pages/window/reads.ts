/**
 * The addresses the ticket window reads, in one place: the page's queries (queries.ts) and the early reads inlined
 * in index.html (early.ts) both take them from here, so a response the browser preloaded is the one the page asks
 * for. No imports beyond types: this module is part of the inlined script.
 */
import type { Query } from '../../api/url';
import type { Terminal } from './terminal';

export interface Read {
  readonly path: string;
  readonly query?: Query;
}

const at = encodeURIComponent;

export const reads = {
  site: (siteId: string): Read => ({ path: `/sites/${at(siteId)}` }),
  window: (siteId: string, windowId: string): Read => ({
    path: `/sites/${at(siteId)}/windows/${at(windowId)}`,
  }),
  siteTypes: (siteId: string): Read => ({ path: '/ticket-types', query: { siteId } }),
  availability: (siteId: string, date: string): Read => ({
    path: '/capacity/availability',
    query: { siteId, date },
  }),
  myStock: (): Read => ({ path: '/stock/balances/mine' }),
};

/** What the till shows first at a terminal, for the visit day `date` in the venue's usual zone. */
export function firstReads({ siteId, windowId }: Terminal, date: string): Read[] {
  return [
    reads.site(siteId),
    reads.availability(siteId, date),
    reads.window(siteId, windowId),
    reads.siteTypes(siteId),
    reads.myStock(),
  ];
}
