/**
 * Saving a site from a form (the wizard's first step and the Sites and gates dialog): the site itself, then its
 * in-park capacity, which lives in the occupancy API (PUT /occupancy/sites/:id/capacity) and is sent only when it
 * changed.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client';
import type { CreateSite, Site } from '../../../api/types';
import { allows } from '../../../auth/access';
import { useMe } from '../../../auth/session';

export interface SiteValues {
  id: string;
  name: { zh: string; en: string };
  timezone: string;
  dailyCapacity?: number | null;
  inParkCapacity?: number | null;
}

/** Saves a site and its in-park capacity (a separate API, PUT /occupancy/sites/:id/capacity). */
export function useSaveSite() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({
      values,
      existing,
      inParkBefore,
    }: {
      values: SiteValues;
      existing: boolean;
      inParkBefore: number | null | undefined;
    }) => {
      const body = {
        name: values.name,
        timezone: values.timezone,
        dailyCapacity: values.dailyCapacity ?? null,
      };
      const site = existing
        ? await api.patch<Site>(`/sites/${values.id}`, body)
        : await api.post<Site>('/sites', { id: values.id, ...body } satisfies Partial<CreateSite>);
      const inPark = values.inParkCapacity ?? null;
      if (inPark !== (inParkBefore ?? null))
        await api.put(`/occupancy/sites/${site.id}/capacity`, { capacity: inPark });
      return site;
    },
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: ['sites'] }),
        client.invalidateQueries({ queryKey: ['occupancy'] }),
      ]),
  });
}

/** The site's in-park capacity when the operator may read occupancy (reports.read); undefined otherwise. */
export function useInParkCapacity(siteId: string | undefined) {
  const me = useMe().data ?? undefined;
  return useQuery({
    queryKey: ['occupancy', 'one', siteId],
    queryFn: async () => {
      const { items } = await api.get<{ items: { site: { capacity: number | null } }[] }>('/occupancy', {
        siteId,
      });
      return items[0]?.site.capacity ?? null;
    },
    enabled: siteId !== undefined && allows(me, 'reports.read'),
  });
}
