/**
 * The session: who is signed in (GET /auth/me, cached by TanStack Query), sign-in, sign-out and the forced
 * password change. The token lives in the cloud's HttpOnly cookie; the console never sees or stores it.
 */
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { ApiError } from '../api/errors';
import type { Me } from '../api/types';

export const ME_KEY = ['auth', 'me'] as const;

/** The operator, or null when nobody is signed in (a 401 is an answer here, not an error). */
export const meQuery = queryOptions({
  queryKey: ME_KEY,
  queryFn: async (): Promise<Me | null> => {
    try {
      return await api.get<Me>('/auth/me');
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null;
      throw error;
    }
  },
  staleTime: 60_000,
  retry: false,
});

export function useMe() {
  return useQuery(meQuery);
}

export function mustChangePassword(me: Me | null | undefined): boolean {
  return Boolean(me?.mustChangePassword);
}

export function useSignIn() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { username: string; password: string }) =>
      api.post<{ operator: Me }>('/auth/login', input),
    onSuccess: (result) => {
      client.clear();
      client.setQueryData(ME_KEY, result.operator);
    },
  });
}

export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<void>('/auth/logout'),
    onSettled: () => {
      client.clear();
      client.setQueryData(ME_KEY, null);
    },
  });
}

export function useChangePassword() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { currentPassword: string; newPassword: string }) =>
      api.post<void>('/auth/password', input),
    onSuccess: () => client.invalidateQueries({ queryKey: ME_KEY }),
  });
}
