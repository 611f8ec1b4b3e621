/**
 * The signed-in operator's own agency (GET /agencies/mine), or null when they are not linked to one (404). The shell
 * asks it only for operators of the agency role, to offer "My account" in the menu; the page reads the same entry.
 * No second permission list: the link itself, as the API resolves it, decides.
 */
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { ApiError } from '../../api/errors';
import type { Agency } from '../../api/types';

export const MINE = '/agencies/mine';

export function useMyAgency(enabled = true) {
  return useQuery({
    queryKey: ['agencies', 'one', MINE, 'account'],
    queryFn: async ({ signal }) => {
      try {
        return await api.get<Agency>(MINE, undefined, signal);
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
    enabled,
    staleTime: 60_000,
  });
}
