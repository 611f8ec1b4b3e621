/**
 * The registry the control room names things by: sites (with their time zones), zones and gates (venues.read). The
 * lists are short (a site has at most a few hundred gates) and every screen here needs them whole, for filters and
 * to name the gates in a grid, so they are read page by page to the end and cached.
 */
import { useQueries, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { api } from '../../api/client';
import type { Gate, Permission, Site, Zone } from '../../api/types';
import { allows } from '../../auth/access';
import { useMe } from '../../auth/session';
import { DEFAULT_ZONE } from '../../format/time';
import { currentLanguage } from '../../i18n';

const PAGE = 500;

async function everyPage<T, K extends string>(path: string, field: K, signal: AbortSignal): Promise<T[]> {
  const items: T[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await api.get<Record<K, T[]> & { next: string | null }>(
      path,
      { limit: PAGE, after },
      signal,
    );
    items.push(...page[field]);
    if (!page.next) return items;
    after = page.next;
  }
}

export function useCan(permission: Permission): boolean {
  return allows(useMe().data ?? undefined, permission);
}

export function useSites() {
  const enabled = useCan('venues.read');
  return useQuery({
    queryKey: ['sites', 'list', 'all'],
    queryFn: ({ signal }) => everyPage<Site, 'sites'>('/sites', 'sites', signal),
    staleTime: 60_000,
    enabled,
  });
}

export function useZones(siteId: string | undefined) {
  const enabled = useCan('venues.read') && siteId !== undefined;
  return useQuery({
    queryKey: ['zones', 'list', siteId, 'all'],
    queryFn: ({ signal }) =>
      everyPage<Zone, 'zones'>(`/sites/${encodeURIComponent(siteId ?? '')}/zones`, 'zones', signal),
    staleTime: 60_000,
    enabled,
  });
}

/** Every site, and the ids of those a page's site filter keeps in view (all of them when no site is picked). */
export function useSitesInView(siteId: string | undefined) {
  const sites = useSites();
  const siteIds = useMemo(
    () => (sites.data ?? []).map((site) => site.id).filter((id) => !siteId || id === siteId),
    [sites.data, siteId],
  );
  return { sites, siteIds };
}

/** The registered gates of these sites, flattened (and whether any list is still loading). */
export function useRegistryGates(siteIds: readonly string[]) {
  const enabled = useCan('venues.read');
  const results = useQueries({
    queries: siteIds.map((siteId) => ({
      queryKey: ['gates', 'list', siteId, 'all'],
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        everyPage<Gate, 'gates'>(`/sites/${encodeURIComponent(siteId)}/gates`, 'gates', signal),
      staleTime: 60_000,
      enabled,
    })),
  });
  return {
    gates: results.flatMap((result) => result.data ?? []),
    pending: enabled && results.some((result) => result.isPending),
    error: results.find((result) => result.error)?.error,
  };
}

/** Every zone of these sites, flattened. */
export function useZonesOf(siteIds: readonly string[]) {
  const enabled = useCan('venues.read');
  const results = useQueries({
    queries: siteIds.map((siteId) => ({
      queryKey: ['zones', 'list', siteId, 'all'],
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        everyPage<Zone, 'zones'>(`/sites/${encodeURIComponent(siteId)}/zones`, 'zones', signal),
      staleTime: 60_000,
      enabled,
    })),
  });
  return results.flatMap((result) => result.data ?? []);
}

/** A venue name in the console's language. */
export function localName(name: { zh: string; en: string } | undefined, fallback: string): string {
  if (!name) return fallback;
  return currentLanguage() === 'en' ? name.en : name.zh;
}

/** "北门一号闸（N1）" / "North gate 1 (N1)": a name with its id, in the language's own brackets. */
export function nameWithId(name: string, id: string): string {
  return currentLanguage() === 'en' ? `${name} (${id})` : `${name}（${id}）`;
}

export function siteZone(sites: readonly Site[] | undefined, siteId: string | undefined): string {
  return sites?.find((site) => site.id === siteId)?.timezone ?? DEFAULT_ZONE;
}
