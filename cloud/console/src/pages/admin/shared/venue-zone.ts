/**
 * The time zone administration pages show times in: the first site's (an installation usually has one venue), else
 * the default. Operators without venues.read get the default without asking.
 */
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../api/client';
import type { Site } from '../../../api/types';
import { allows } from '../../../auth/access';
import { useMe } from '../../../auth/session';
import { DEFAULT_ZONE } from '../../../format/time';

export function useVenueZone(): string {
  const me = useMe().data ?? undefined;
  const first = useQuery({
    queryKey: ['sites', 'list', { limit: 1 }],
    queryFn: () => api.get<{ sites: Site[] }>('/sites', { limit: 1 }),
    enabled: allows(me, 'venues.read'),
  });
  return first.data?.sites[0]?.timezone ?? DEFAULT_ZONE;
}
