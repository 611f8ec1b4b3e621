/**
 * 闸机监控: every gate as a tile, live from the gate status stream — online, silent (online but three heartbeats
 * missed), offline or never connected, in words and colour; its mode (the last reported one, marked so, when the
 * gate is not talking); how far its whitelist is behind; when it was last heard and last scanned. Occupancy gauges
 * and alert banners above. Site, zone and state filters live in the URL, so a screen can be bookmarked per area.
 */
import { useQueries } from '@tanstack/react-query';
import { Alert, Card, Empty, Flex, Select, Space, Tag, Tooltip, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { type CSSProperties, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import type { Gate, GateStatus, WhitelistLag } from '../../../api/types';
import { ErrorAlert, Loading } from '../../../components/feedback';
import { StreamStatusBadge } from '../../../components/stream-status';
import { formatDateTime } from '../../../format/time';
import { type Liveness, livenessOf, modeIsCurrent, whitelistBehind } from '../gate-health';
import { Ago, LivenessTag, ModeTag, useNow } from '../labels';
import { OccupancyPanel } from '../occupancy-panel';
import { useLiveGateStatus, useLivePassages } from '../streams';
import { useUrlFilters } from '../url-filters';
import { localName, siteZone, useCan, useRegistryGates, useSites, useZonesOf } from '../venues';

const LIVENESS_ORDER: readonly Liveness[] = ['online', 'stale', 'offline', 'unknown'];
const BORDER: Record<Liveness, string> = {
  online: '#16a34a',
  stale: '#d97706',
  offline: '#dc2626',
  unknown: '#9ca3af',
};
const DEFAULT_HEARTBEAT_SEC = 30;

interface Tile {
  readonly gateId: string;
  readonly siteId: string;
  readonly zoneId: string | null;
  readonly gate: Gate | undefined;
  readonly status: GateStatus | undefined;
  readonly liveness: Liveness;
}

const GRID: CSSProperties = {
  display: 'grid',
  gridTemplateColumns: 'repeat(auto-fill, minmax(250px, 1fr))',
  gap: 12,
};

export default function GatesPage() {
  const { t } = useTranslation('control');
  const { params, setParam } = useUrlFilters();
  const siteId = params.get('site') || undefined;
  const zoneId = params.get('zone') || undefined;
  const stateParam = params.get('state');
  const state = LIVENESS_ORDER.find((value) => value === stateParam);
  const now = useNow(1_000);
  const canVenues = useCan('venues.read');
  const canOccupancy = useCan('reports.read');

  const sites = useSites();
  const { query, stream } = useLiveGateStatus();
  const feed = useLivePassages(undefined).query.data;
  const statuses = query.data?.items;

  const allSiteIds = useMemo(() => {
    const ids = new Set<string>(sites.data?.map((site) => site.id) ?? []);
    for (const status of statuses ?? []) ids.add(status.siteId);
    return [...ids].sort();
  }, [sites.data, statuses]);
  const siteIds = useMemo(
    () => allSiteIds.filter((id) => siteId === undefined || id === siteId),
    [allSiteIds, siteId],
  );
  const registry = useRegistryGates(siteIds);
  const zones = useZonesOf(siteIds);
  const lags = useQueries({
    queries: siteIds.map((id) => ({
      queryKey: ['whitelist-lag', 'one', id],
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        api.get<WhitelistLag>(`/sites/${encodeURIComponent(id)}/whitelist/lag`, undefined, signal),
      refetchInterval: 15_000,
    })),
  });
  const heads = new Map(lags.flatMap((lag) => (lag.data ? [[lag.data.siteId, lag.data.head] as const] : [])));

  const lastScan = useMemo(() => {
    const latest = new Map<string, number>();
    for (const item of feed?.items ?? [])
      latest.set(item.gateId, Math.max(latest.get(item.gateId) ?? 0, item.at));
    return latest;
  }, [feed]);

  const tiles = useMemo(() => {
    const byId = new Map((statuses ?? []).map((status) => [status.gateId, status]));
    const out: Omit<Tile, 'liveness'>[] = [];
    const seen = new Set<string>();
    for (const gate of registry.gates) {
      const status = byId.get(gate.id);
      if (!gate.active && !status) continue;
      seen.add(gate.id);
      out.push({ gateId: gate.id, siteId: gate.siteId, zoneId: gate.zoneId, gate, status });
    }
    for (const status of statuses ?? [])
      if (!seen.has(status.gateId) && siteIds.includes(status.siteId))
        out.push({ gateId: status.gateId, siteId: status.siteId, zoneId: null, gate: undefined, status });
    return out
      .filter((tile) => zoneId === undefined || tile.zoneId === zoneId)
      .sort(
        (a, b) =>
          a.siteId.localeCompare(b.siteId) ||
          (a.zoneId ?? '').localeCompare(b.zoneId ?? '') ||
          a.gateId.localeCompare(b.gateId),
      );
  }, [registry.gates, statuses, siteIds, zoneId]);

  const withLiveness: Tile[] = tiles.map((tile) => ({ ...tile, liveness: livenessOf(tile.status, now) }));
  const counts = { online: 0, stale: 0, offline: 0, unknown: 0 };
  for (const tile of withLiveness) counts[tile.liveness] += 1;
  const visible = withLiveness.filter((tile) => state === undefined || tile.liveness === state);

  const siteName = (id: string) => localName(sites.data?.find((site) => site.id === id)?.name, id);
  const zoneName = (site: string, id: string | null) =>
    id === null ? '' : localName(zones.find((zone) => zone.siteId === site && zone.id === id)?.name, id);

  return (
    <Flex vertical gap={16}>
      <Flex align="center" justify="space-between" wrap gap={12}>
        <Space size="large" align="center">
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('gates.title')}
          </Typography.Title>
          <StreamStatusBadge status={stream} testId="gates-stream" />
        </Space>
        <Space wrap>
          <Select
            aria-label={t('filters.site')}
            placeholder={t('filters.allSites')}
            allowClear
            style={{ width: 180 }}
            value={siteId}
            onChange={(value?: string) => setParam({ site: value, zone: undefined })}
            options={allSiteIds.map((id) => ({ value: id, label: siteName(id) }))}
            data-testid="filter-site"
          />
          <Select
            aria-label={t('filters.zone')}
            placeholder={t('filters.allZones')}
            allowClear
            disabled={!siteId || !canVenues}
            style={{ width: 160 }}
            value={zoneId}
            onChange={(value?: string) => setParam({ zone: value })}
            options={zones
              .filter((zone) => zone.siteId === siteId)
              .map((zone) => ({ value: zone.id, label: localName(zone.name, zone.id) }))}
            data-testid="filter-zone"
          />
          <Select
            aria-label={t('filters.state')}
            placeholder={t('filters.allStates')}
            allowClear
            style={{ width: 140 }}
            value={state}
            onChange={(value?: string) => setParam({ state: value })}
            options={LIVENESS_ORDER.map((value) => ({ value, label: t(`liveness.${value}`) }))}
            data-testid="filter-state"
          />
        </Space>
      </Flex>

      {canVenues ? null : <Alert type="info" showIcon title={t('gates.noRegistry')} />}
      {canOccupancy ? <OccupancyPanel siteId={siteId} zoneId={zoneId} /> : null}

      <Typography.Text type="secondary" data-testid="gate-counts">
        {t('gates.counts', counts)}
      </Typography.Text>
      <ErrorAlert error={query.error ?? registry.error ?? sites.error} />
      {query.isPending || registry.pending ? (
        <Loading />
      ) : visible.length === 0 ? (
        <Empty description={t('gates.none')} />
      ) : (
        <div style={GRID} data-testid="gate-grid">
          {visible.map((tile) => (
            <GateTile
              key={tile.gateId}
              tile={tile}
              now={now}
              siteName={siteName(tile.siteId)}
              timeZone={siteZone(sites.data, tile.siteId)}
              zoneName={zoneName(tile.siteId, tile.zoneId)}
              head={heads.get(tile.siteId)}
              lastScanAt={lastScan.get(tile.gateId)}
            />
          ))}
        </div>
      )}
    </Flex>
  );
}

function GateTile({
  tile,
  now,
  siteName,
  timeZone,
  zoneName,
  head,
  lastScanAt,
}: {
  tile: Tile;
  now: number;
  siteName: string;
  timeZone: string;
  zoneName: string;
  head: number | undefined;
  lastScanAt: number | undefined;
}) {
  const { t } = useTranslation('control');
  const { status, gate, liveness } = tile;
  const behind = whitelistBehind(head, status?.whitelistVersion);
  const name = localName(gate?.name, tile.gateId);
  return (
    <Card
      size="small"
      data-testid={`gate-${tile.gateId}`}
      data-liveness={liveness}
      role="group"
      aria-label={`${name} ${t(`liveness.${liveness}`)}`}
      styles={{ body: { padding: 12 } }}
      style={{ borderLeft: `4px solid ${BORDER[liveness]}` }}
    >
      <Flex vertical gap={6}>
        <Flex justify="space-between" align="start" gap={8}>
          <div style={{ minWidth: 0 }}>
            <Typography.Text strong ellipsis style={{ display: 'block' }}>
              {name}
            </Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {tile.gateId}
              {gate ? ` · ${t(`directions.${gate.direction}`)}` : ''}
            </Typography.Text>
          </div>
          <LivenessTag liveness={liveness} heartbeatSec={status?.heartbeatSec ?? DEFAULT_HEARTBEAT_SEC} />
        </Flex>
        <Typography.Text type="secondary" ellipsis style={{ fontSize: 12 }}>
          {gate ? `${siteName} · ${zoneName}` : `${siteName} · ${t('gates.registryOnly')}`}
        </Typography.Text>
        <Flex gap={4} wrap align="center">
          {status ? <ModeTag mode={status.mode} current={modeIsCurrent(liveness)} /> : null}
          {status && behind !== null ? (
            behind === 0 ? (
              <Tag variant="outlined" data-testid="gate-whitelist">
                {t('gates.whitelistSynced', { version: status.whitelistVersion })}
              </Tag>
            ) : (
              <Tag color="warning" data-testid="gate-whitelist">
                {t('gates.whitelistBehind', { count: behind })}
              </Tag>
            )
          ) : status ? (
            <Tag variant="outlined">{t('gates.whitelistUnknown')}</Tag>
          ) : null}
          {status?.denyUnauthorized === false ? (
            <Tag variant="outlined">{t('gates.staffDecides')}</Tag>
          ) : null}
          {status?.floodedUntil ? (
            <Tooltip title={t('gates.floodedHint')}>
              <Tag color="error" data-testid="gate-flooded">
                {t('gates.flooded', { until: formatDateTime(status.floodedUntil, timeZone) })}
              </Tag>
            </Tooltip>
          ) : null}
          {status?.degraded?.length ? (
            <Tag color="error" data-testid="gate-degraded">
              {t('gates.degraded', {
                devices: status.degraded.map((name) => deviceLabel(t, name)).join(', '),
              })}
            </Tag>
          ) : null}
        </Flex>
        <dl
          style={{ margin: 0, display: 'grid', gridTemplateColumns: 'auto 1fr', columnGap: 8, fontSize: 12 }}
        >
          <dt style={{ color: '#6b7280' }}>{t('gates.lastSeen')}</dt>
          <dd style={{ margin: 0 }} data-testid="gate-last-seen">
            <Tooltip title={status ? formatDateTime(status.lastSeenAt, timeZone) : undefined}>
              <span>
                <Ago at={status?.lastSeenAt} now={now} />
              </span>
            </Tooltip>
          </dd>
          <dt style={{ color: '#6b7280' }}>{t('gates.lastScan')}</dt>
          <dd style={{ margin: 0 }} data-testid="gate-last-scan">
            <Tooltip title={lastScanAt ? formatDateTime(lastScanAt, timeZone) : undefined}>
              <span>
                <Ago at={lastScanAt} now={now} />
              </span>
            </Tooltip>
          </dd>
        </dl>
        {status?.counters ? (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('gates.counters', status.counters)}
          </Typography.Text>
        ) : null}
        {status?.firmware ? (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('gates.firmware', { version: status.firmware })}
          </Typography.Text>
        ) : null}
        {status?.outboxDepth ? (
          <Typography.Text type="warning" style={{ fontSize: 12 }}>
            {t('gates.outbox', { count: status.outboxDepth })}
          </Typography.Text>
        ) : null}
      </Flex>
    </Card>
  );
}

/** A device name the gate reports (`voice`, `passage.in`, …) in words; a name this console does not know as it is. */
function deviceLabel(t: TFunction<'control'>, name: string): string {
  const labels = t('gates.devices', { returnObjects: true }) as Record<string, string>;
  return labels[name.replace('.', '_')] ?? name;
}
