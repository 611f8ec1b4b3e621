/**
 * The control room's push streams, each feeding the TanStack Query cache through the app's one EventSource hook:
 * gate status, occupancy (figures and alerts) and the passage feed. The list routes answer the first read (with a
 * proper error when the operator lacks the permission); once the stream's snapshot arrives it replaces that answer
 * (cancelling a read still under way, so an older answer can never land on top of newer events), and every change
 * after it updates the cached value in place.
 */
import { type QueryKey, useQuery } from '@tanstack/react-query';
import { api, apiUrl } from '../../api/client';
import type { GateStatus, OccupancyAlert, PassageItem, SiteOccupancy } from '../../api/types';
import { type SharedStreamSource, type StreamEvent, useEventStream } from '../../components/use-event-stream';
import { queryClient } from '../../query-client';
import {
  applyGateStatus,
  applyOccupancy,
  applyOccupancyAlerts,
  applyPassages,
  type GateStatusList,
  type OccupancyList,
  type PassageFeed,
} from './live';

export const GATE_STATUS_KEY = ['gate-status', 'list'] as const;
export const OCCUPANCY_KEY = ['occupancy', 'list'] as const;
export const OCCUPANCY_ALERTS_KEY = ['occupancy', 'alerts', 'live'] as const;
export function passageFeedKey(siteId: string | undefined) {
  return ['passages', 'live', siteId ?? ''] as const;
}

const sources = new Map<string, SharedStreamSource>();

/**
 * One source object per URL, so every component showing a stream hands the hook the same one. `snapshot` is what
 * this tab's cache holds under `key`, for another tab that starts following the stream.
 */
function sourceFor(
  url: string,
  events: readonly string[],
  key: QueryKey,
  apply: SharedStreamSource['apply'],
): SharedStreamSource {
  let source = sources.get(url);
  if (!source) {
    source = { url, events, apply, snapshot: () => queryClient.getQueryData(key) };
    sources.set(url, source);
  }
  return source;
}

function intoCache<T>(
  key: QueryKey,
  reduce: (current: T | undefined, batch: readonly StreamEvent[]) => T | undefined,
  batch: readonly StreamEvent[],
): void {
  if (batch.some((item) => item.event === 'snapshot'))
    void queryClient.cancelQueries({ queryKey: key, exact: true });
  queryClient.setQueryData<T>(key, (current) => reduce(current, batch));
}

function gateStatusSource(): SharedStreamSource {
  return sourceFor(apiUrl('/gates/status/stream'), ['snapshot', 'status'], GATE_STATUS_KEY, (batch) =>
    intoCache<GateStatusList>(GATE_STATUS_KEY, applyGateStatus, batch),
  );
}

function occupancySource(): SharedStreamSource {
  return sourceFor(apiUrl('/occupancy/stream'), ['snapshot', 'figure', 'alert'], OCCUPANCY_KEY, (batch) => {
    intoCache<OccupancyList>(OCCUPANCY_KEY, applyOccupancy, batch);
    queryClient.setQueryData<OccupancyAlert[]>(OCCUPANCY_ALERTS_KEY, (current) =>
      applyOccupancyAlerts(current, batch),
    );
  });
}

function passageSource(siteId: string | undefined): SharedStreamSource {
  const key = passageFeedKey(siteId);
  return sourceFor(apiUrl('/passages/stream', { siteId }), ['snapshot', 'passage', 'denial'], key, (batch) =>
    intoCache<PassageFeed>(key, applyPassages, batch),
  );
}

/** Every gate's live status (gates.read). */
export function useLiveGateStatus(enabled = true) {
  const stream = useEventStream(enabled ? gateStatusSource() : undefined);
  const query = useQuery({
    queryKey: GATE_STATUS_KEY,
    queryFn: ({ signal }) => api.get<{ items: GateStatus[] }>('/gates/status', undefined, signal),
    staleTime: Number.POSITIVE_INFINITY,
    enabled,
  });
  return { query, stream };
}

/** Today's occupancy per site and zone (reports.read). */
export function useLiveOccupancy(enabled = true) {
  const stream = useEventStream(enabled ? occupancySource() : undefined);
  const query = useQuery({
    queryKey: OCCUPANCY_KEY,
    queryFn: ({ signal }) => api.get<{ items: SiteOccupancy[] }>('/occupancy', undefined, signal),
    staleTime: Number.POSITIVE_INFINITY,
    enabled,
  });
  return { query, stream };
}

/** The newest passages and denials, of one site or all (gates.read). */
export function useLivePassages(siteId: string | undefined, enabled = true) {
  const stream = useEventStream(enabled ? passageSource(siteId) : undefined);
  const query = useQuery({
    queryKey: passageFeedKey(siteId),
    queryFn: ({ signal }) =>
      api.get<{ items: PassageItem[]; next: string | null }>('/passages', { siteId, limit: 50 }, signal),
    staleTime: Number.POSITIVE_INFINITY,
    enabled,
  });
  return { query, stream };
}
