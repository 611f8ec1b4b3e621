/**
 * What the ticket window reads, as query definitions shared by the page and by the boot preload (prefetch.ts), so a
 * preloaded answer lands under exactly the key the page asks for. `atBoot` reads are the preload's: started before
 * anyone knows who is signed in, so their 401 does not end a session.
 */
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { Availability, MyStock, Site, TicketType, TicketWindow } from '../../api/types';
import { type Read, reads } from './reads';

function read<T>(atBoot: boolean, { path, query }: Read): Promise<T> {
  return atBoot ? api.preload<T>(path, query) : api.get<T>(path, query);
}

export function siteQuery(siteId: string, atBoot = false) {
  return queryOptions({
    queryKey: ['sites', 'one', siteId],
    queryFn: () => read<Site>(atBoot, reads.site(siteId)),
  });
}

export function windowQuery(siteId: string, windowId: string, atBoot = false) {
  return queryOptions({
    queryKey: ['windows', 'one', siteId, windowId],
    queryFn: () => read<TicketWindow>(atBoot, reads.window(siteId, windowId)),
  });
}

export function siteTypesQuery(siteId: string, atBoot = false) {
  return queryOptions({
    queryKey: ['ticket-types', 'list', { siteId }],
    queryFn: () => read<TicketType[]>(atBoot, reads.siteTypes(siteId)),
  });
}

export function availabilityQuery(siteId: string, date: string, atBoot = false) {
  return queryOptions({
    queryKey: ['capacity', 'one', siteId, date],
    queryFn: () => read<Availability>(atBoot, reads.availability(siteId, date)),
    refetchInterval: 10_000,
    staleTime: 5_000,
  });
}

export function myStockQuery(atBoot = false) {
  return queryOptions({
    queryKey: ['stock', 'mine'],
    queryFn: () => read<MyStock>(atBoot, reads.myStock()),
    staleTime: 30_000,
  });
}
