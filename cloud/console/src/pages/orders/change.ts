/** An action on an order: a POST or PATCH that answers the order, which the cache takes; the board reads again. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { GroupOrder } from '../../api/types';
import { orderKey } from './shared';

export function useOrderChange<T>(order: GroupOrder, send: (body: T) => Promise<GroupOrder>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: async (updated) => {
      client.setQueryData(orderKey.one(order.id), updated);
      await client.invalidateQueries({ queryKey: orderKey.all });
    },
  });
}

export const orderPath = (order: GroupOrder, action = '') =>
  `/group-orders/${encodeURIComponent(order.id)}${action}`;
