/**
 * The venue API as query hooks: keyset-paged lists (`after` = the previous page's `next`), a gate's credential and
 * the broker gates connect to. Keys follow `[resource, 'list' | 'one', …params]`; mutations invalidate the resource.
 */
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { ApiError } from '../../../api/errors';
import type { Gate, GateBroker, GateCredential, Site, TicketWindow, Zone } from '../../../api/types';

export const PAGE_SIZE = 50;

type Paged<K extends string, T> = { [key in K]: T[] } & { next: string | null };

function usePagedVenues<K extends string, T>(
  resource: string,
  key: K,
  path: string | undefined,
  params: readonly unknown[],
) {
  const query = useInfiniteQuery({
    queryKey: [resource, 'list', ...params],
    queryFn: ({ pageParam, signal }) =>
      api.get<Paged<K, T>>(path!, { limit: PAGE_SIZE, after: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next ?? undefined,
    enabled: path !== undefined,
  });
  return { ...query, items: query.data?.pages.flatMap((page) => page[key]) ?? [] };
}

export function useSites() {
  return usePagedVenues<'sites', Site>('sites', 'sites', '/sites', []);
}

export function useZones(siteId: string | undefined) {
  return usePagedVenues<'zones', Zone>('zones', 'zones', siteId && `/sites/${siteId}/zones`, [siteId]);
}

export function useWindows(siteId: string | undefined) {
  return usePagedVenues<'windows', TicketWindow>('windows', 'windows', siteId && `/sites/${siteId}/windows`, [
    siteId,
  ]);
}

export function useGates(siteId: string | undefined) {
  return usePagedVenues<'gates', Gate>('gates', 'gates', siteId && `/sites/${siteId}/gates`, [siteId]);
}

/** A gate's credential, or null when none was ever issued (404). */
export function useGateCredential(gateId: string, enabled = true) {
  return useQuery({
    queryKey: ['gate-credentials', 'one', gateId],
    queryFn: async () => {
      try {
        return await api.get<GateCredential>(`/gates/${gateId}/credentials`);
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
    enabled,
  });
}

export function useGateBroker() {
  return useQuery({
    queryKey: ['gate-broker', 'one'],
    queryFn: () => api.get<GateBroker>('/gates/broker'),
    staleTime: 5 * 60_000,
  });
}

/** In-park capacity per site (GET /occupancy; reports.read), as siteId → capacity or null. */
export function useInParkCapacities(enabled: boolean) {
  return useQuery({
    queryKey: ['occupancy', 'list', 'capacities'],
    queryFn: async () => {
      const { items } = await api.get<{ items: { siteId: string; site: { capacity: number | null } }[] }>(
        '/occupancy',
      );
      return new Map(items.map((item) => [item.siteId, item.site.capacity]));
    },
    enabled,
  });
}
