/**
 * The sites and windows the desk pages need: a site's time zone for every date shown (the venue's clock, not the
 * PC's) and the windows a supplement is taken at. Both need venues.read; an operator without it (finance) sees
 * dates in the default zone and site ids instead of names.
 */
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { Site, TicketWindow } from '../../api/types';
import { allows } from '../../auth/access';
import { useMe } from '../../auth/session';
import { DEFAULT_ZONE } from '../../format/time';
import { nameOf } from './labels';

export function useCanReadVenues(): boolean {
  return allows(useMe().data ?? undefined, 'venues.read');
}

/** Every site (one page of up to 500: venues have a handful). */
export function useSites() {
  const enabled = useCanReadVenues();
  return useQuery({
    queryKey: ['sites', 'list', { limit: 500 }],
    queryFn: () => api.get<{ sites: Site[]; next: string | null }>('/sites', { limit: 500 }),
    enabled,
    staleTime: 60_000,
  });
}

/** siteId → time zone, from the site list. */
export function useSiteZones(): (siteId: string | undefined) => string {
  const sites = useSites().data?.sites;
  return (siteId) => sites?.find((site) => site.id === siteId)?.timezone ?? DEFAULT_ZONE;
}

/** siteId → the site's name in the console's language (the id itself without venues.read). */
export function useSiteLabel(): (siteId: string) => string {
  const sites = useSites().data?.sites;
  return (siteId) => {
    const site = sites?.find((candidate) => candidate.id === siteId);
    return site ? nameOf(site.name) : siteId;
  };
}

export function useSiteZone(siteId: string | undefined): string {
  return useSiteZones()(siteId);
}

export function useWindows(siteId: string | undefined) {
  const enabled = useCanReadVenues() && Boolean(siteId);
  return useQuery({
    queryKey: ['windows', 'list', siteId, { limit: 500 }],
    queryFn: () =>
      api.get<{ windows: TicketWindow[]; next: string | null }>(`/sites/${siteId}/windows`, { limit: 500 }),
    enabled,
    staleTime: 60_000,
  });
}

const WINDOW_KEY = 'console.desk.window';

/** The window this terminal last took a supplement at, per site (kept on the terminal like the language). */
export function savedWindow(siteId: string): string | undefined {
  try {
    const saved = JSON.parse(globalThis.localStorage?.getItem(WINDOW_KEY) ?? '{}') as Record<string, string>;
    return saved[siteId];
  } catch {
    return undefined;
  }
}

export function saveWindow(siteId: string, windowId: string): void {
  try {
    const saved = JSON.parse(globalThis.localStorage?.getItem(WINDOW_KEY) ?? '{}') as Record<string, string>;
    globalThis.localStorage?.setItem(WINDOW_KEY, JSON.stringify({ ...saved, [siteId]: windowId }));
  } catch {
    globalThis.localStorage?.setItem(WINDOW_KEY, JSON.stringify({ [siteId]: windowId }));
  }
}
