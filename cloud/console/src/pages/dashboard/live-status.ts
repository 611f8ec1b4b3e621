/**
 * Today's live figures (实时状态) per site: the list route answers the first read, then the app's one EventSource for
 * `/live-status/stream` keeps the cached value current (the same way as the control room's streams, control/streams.ts).
 * `applyLiveStatus` (live-apply.ts) is the pure step from one frame's events to the new value.
 */
import { useQuery } from '@tanstack/react-query';
import { api, apiUrl } from '../../api/client';
import { type SharedStreamSource, useEventStream } from '../../components/use-event-stream';
import { queryClient } from '../../query-client';
import { applyLiveStatus, type LiveStatusList } from './live-apply';

export const LIVE_STATUS_KEY = ['live-status', 'list'] as const;

let source: SharedStreamSource | undefined;

function liveStatusSource(): SharedStreamSource {
  source ??= {
    url: apiUrl('/live-status/stream'),
    events: ['snapshot', 'figures', 'heartbeat'],
    snapshot: () => queryClient.getQueryData(LIVE_STATUS_KEY),
    apply: (batch) => {
      if (batch.some((item) => item.event === 'snapshot'))
        void queryClient.cancelQueries({ queryKey: LIVE_STATUS_KEY, exact: true });
      queryClient.setQueryData<LiveStatusList>(LIVE_STATUS_KEY, (current) => applyLiveStatus(current, batch));
    },
  };
  return source;
}

/** Every visible site's figures of today, kept current by the push stream (reports.read). */
export function useLiveStatus(enabled = true) {
  const stream = useEventStream(enabled ? liveStatusSource() : undefined);
  const query = useQuery({
    queryKey: LIVE_STATUS_KEY,
    queryFn: ({ signal }) => api.get<LiveStatusList>('/live-status', undefined, signal),
    staleTime: Number.POSITIVE_INFINITY,
    enabled,
  });
  return { query, stream };
}
