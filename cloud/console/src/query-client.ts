import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './api/errors';

/**
 * One cache for the console. Reads retry once on a network failure but never on an API answer (a 4xx is final),
 * and money operations are never retried here: the sale's idempotency key makes the operator's retry safe instead.
 */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: (count, error) => count < 1 && !(error instanceof ApiError && error.status > 0),
      refetchOnWindowFocus: false,
      staleTime: 10_000,
    },
    mutations: { retry: false },
  },
});
