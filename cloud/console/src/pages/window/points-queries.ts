/**
 * What the till reads of an attached customer's points. Apart from queries.ts, which the console's boot preload
 * (prefetch.ts) takes into the shell: these are read only once a customer is attached.
 */
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { PointsAccount, PointsRules } from '../../api/types';

/** The site's points rules: whether points pay, and how many make a yuan. Asked for once a customer is attached. */
export function pointsRulesQuery(siteId: string) {
  return queryOptions({
    queryKey: ['points', 'rules', siteId],
    queryFn: () => api.get<PointsRules>(`/points/rules/${encodeURIComponent(siteId)}`),
    staleTime: 60_000,
  });
}

/** The attached customer's points: the balance and the newest ledger entries (a sale's accrual among them). */
export function pointsAccountQuery(customerId: string) {
  return queryOptions({
    queryKey: ['points', 'account', customerId],
    queryFn: () =>
      api.get<PointsAccount>(`/points/accounts/${encodeURIComponent(customerId)}`, { limit: '10' }),
  });
}
