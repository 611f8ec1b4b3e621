/**
 * 通行记录: today's entries, exits and denials by reason; the live feed of passages and denials from the passage
 * stream; and the history, searched by site, zone, gate, kind, reason and a time range on the venue's clock, read
 * page by page with the API's cursor. The filters live in the URL.
 */
import { CheckCircleFilled, CloseCircleFilled, WarningFilled } from '@ant-design/icons';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import {
  Button,
  Card,
  Checkbox,
  Col,
  Empty,
  Flex,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import type { PassageItem, PassageSummary } from '../../../api/types';
import { ErrorAlert, QueryView } from '../../../components/feedback';
import { StreamStatusBadge } from '../../../components/stream-status';
import { formatDateTime, today } from '../../../format/time';
import { control } from '../../../i18n/areas/control';
import { ConflictTag, ReasonText, reasonLabel } from '../labels';
import { SiteFilter } from '../site-filter';
import { useLivePassages } from '../streams';
import { type FilterPatch, numberParam, useUrlFilters } from '../url-filters';
import { localName, nameWithId, siteZone, useRegistryGates, useSitesInView, useZonesOf } from '../venues';
import { WallTimeRange } from '../wall-time-range';

const PAGE = 50;
/** Denial reasons a search can name (every decision reason but OK). */
const DENIAL_REASONS = Object.keys(control['zh-CN'].reasons).filter((reason) => reason !== 'OK');

interface Filters {
  siteId?: string;
  zoneId?: string;
  gateId?: string;
  kind?: 'passage' | 'denial';
  reason?: string;
  /** Only offline conflicts: passages decided offline the cloud would have refused. */
  conflict?: 'true';
  from?: number;
  to?: number;
}

export default function PassagesPage() {
  const { t } = useTranslation('control');
  const { params, setParam } = useUrlFilters();
  const kindParam = params.get('kind');
  const filters: Filters = {
    siteId: params.get('site') || undefined,
    zoneId: params.get('zone') || undefined,
    gateId: params.get('gate') || undefined,
    kind: kindParam === 'passage' || kindParam === 'denial' ? kindParam : undefined,
    reason: params.get('reason') || undefined,
    conflict: params.get('conflict') === 'true' ? 'true' : undefined,
    from: numberParam(params.get('from')),
    to: numberParam(params.get('to')),
  };
  const tab = params.get('tab') === 'history' ? 'history' : 'live';

  const { sites, siteIds } = useSitesInView(filters.siteId);
  const zones = useZonesOf(siteIds);
  const registry = useRegistryGates(siteIds);
  const zone = siteZone(sites.data, filters.siteId);

  const names = {
    site: (id: string) => localName(sites.data?.find((site) => site.id === id)?.name, id),
    zone: (siteId: string, zoneId: string) =>
      localName(zones.find((z) => z.siteId === siteId && z.id === zoneId)?.name, zoneId),
    gate: (id: string) => localName(registry.gates.find((gate) => gate.id === id)?.name, id),
    timeZone: (siteId: string) => siteZone(sites.data, siteId),
  };

  return (
    <Flex vertical gap={16}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('passages.title')}
      </Typography.Title>
      <Space wrap>
        <SiteFilter
          sites={sites.data}
          value={filters.siteId}
          onChange={(value) => setParam({ site: value, zone: undefined, gate: undefined })}
          testId="passages-site"
        />
        <Select
          aria-label={t('filters.zone')}
          placeholder={t('filters.allZones')}
          allowClear
          disabled={!filters.siteId}
          style={{ width: 150 }}
          value={filters.zoneId}
          onChange={(value?: string) => setParam({ zone: value, gate: undefined })}
          options={zones
            .filter((z) => z.siteId === filters.siteId)
            .map((z) => ({ value: z.id, label: localName(z.name, z.id) }))}
        />
        <Select
          aria-label={t('filters.gate')}
          placeholder={t('filters.allGates')}
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          style={{ width: 200 }}
          value={filters.gateId}
          onChange={(value?: string) => setParam({ gate: value })}
          options={registry.gates
            .filter((gate) => !filters.zoneId || gate.zoneId === filters.zoneId)
            .map((gate) => ({ value: gate.id, label: nameWithId(localName(gate.name, gate.id), gate.id) }))}
        />
        <Select
          aria-label={t('filters.kind')}
          placeholder={t('filters.allKinds')}
          allowClear
          style={{ width: 120 }}
          value={filters.kind}
          onChange={(value?: string) =>
            setParam({ kind: value, reason: value === 'passage' ? undefined : filters.reason })
          }
          options={[
            { value: 'passage', label: t('passages.kinds.passage') },
            { value: 'denial', label: t('passages.kinds.denial') },
          ]}
        />
        <Select
          aria-label={t('filters.reason')}
          placeholder={t('filters.allReasons')}
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          disabled={filters.kind === 'passage'}
          style={{ width: 180 }}
          value={filters.reason}
          onChange={(value?: string) => setParam({ reason: value })}
          options={DENIAL_REASONS.map((reason) => ({ value: reason, label: reasonLabel(t, reason) }))}
        />
        <Checkbox
          data-testid="conflicts-only"
          checked={filters.conflict === 'true'}
          onChange={(event) => setParam({ conflict: event.target.checked ? 'true' : undefined })}
        >
          {t('passages.conflictsOnly')}
        </Checkbox>
      </Space>
      <DaySummary siteId={filters.siteId} timeZone={zone} />
      <Card size="small">
        <Tabs
          activeKey={tab}
          onChange={(key) => setParam({ tab: key === 'history' ? 'history' : undefined })}
          items={[
            {
              key: 'live',
              label: t('passages.live'),
              children: <LiveFeed filters={filters} names={names} />,
            },
            {
              key: 'history',
              label: t('passages.history'),
              children: <History filters={filters} names={names} timeZone={zone} setParam={setParam} />,
            },
          ]}
        />
      </Card>
    </Flex>
  );
}

type Names = {
  site(id: string): string;
  zone(siteId: string, zoneId: string): string;
  gate(id: string): string;
  timeZone(siteId: string): string;
};

function DaySummary({ siteId, timeZone }: { siteId: string | undefined; timeZone: string }) {
  const { t } = useTranslation('control');
  const date = today(timeZone);
  const query = useQuery({
    queryKey: ['passages', 'summary', { siteId, date }],
    queryFn: ({ signal }) => api.get<PassageSummary>('/passages/summary', { siteId, date }, signal),
    refetchInterval: 10_000,
  });
  return (
    <Card size="small" title={t('passages.today', { date })}>
      <QueryView query={query}>
        {(summary) => (
          <Row gutter={[16, 16]} align="middle">
            <Col xs={8} md={4}>
              <Statistic
                title={t('passages.entries')}
                value={summary.entries}
                data-testid="summary-entries"
              />
            </Col>
            <Col xs={8} md={4}>
              <Statistic title={t('passages.exits')} value={summary.exits} />
            </Col>
            <Col xs={8} md={4}>
              <Statistic
                title={t('passages.denials')}
                value={summary.denials}
                data-testid="summary-denials"
              />
            </Col>
            <Col xs={8} md={4}>
              <Statistic
                title={t('passages.conflicts')}
                value={summary.conflicts}
                valueStyle={summary.conflicts > 0 ? { color: '#d4380d' } : undefined}
                prefix={summary.conflicts > 0 ? <WarningFilled /> : undefined}
                data-testid="summary-conflicts"
              />
            </Col>
            <Col xs={24} md={8}>
              <Typography.Text type="secondary">{t('passages.byReason')}</Typography.Text>
              <div style={{ marginTop: 4 }}>
                {summary.denialsByReason.length === 0 ? (
                  <Typography.Text>{t('passages.noDenials')}</Typography.Text>
                ) : (
                  <Space size={[4, 4]} wrap>
                    {summary.denialsByReason.map((item) => (
                      <Tag
                        key={item.reason}
                        color="red"
                        variant="outlined"
                      >{`${reasonLabel(t, item.reason)} ${item.count}`}</Tag>
                    ))}
                  </Space>
                )}
              </div>
            </Col>
          </Row>
        )}
      </QueryView>
    </Card>
  );
}

function KindTag({ kind }: { kind: PassageItem['kind'] }) {
  const { t } = useTranslation('control');
  return kind === 'passage' ? (
    <Tag color="success" icon={<CheckCircleFilled />}>
      {t('passages.kinds.passage')}
    </Tag>
  ) : (
    <Tag color="error" icon={<CloseCircleFilled />}>
      {t('passages.kinds.denial')}
    </Tag>
  );
}

function PassageTable({
  items,
  names,
  testId,
  loading,
}: {
  items: PassageItem[];
  names: Names;
  testId: string;
  loading?: boolean;
}) {
  const { t } = useTranslation('control');
  const { t: tc } = useTranslation();
  return (
    <Table<PassageItem>
      size="small"
      rowKey="eventId"
      loading={loading}
      dataSource={items}
      pagination={false}
      data-testid={testId}
      locale={{ emptyText: <Empty description={tc('states.empty')} /> }}
      scroll={{ x: 900 }}
      columns={[
        {
          title: t('passages.at'),
          width: 170,
          render: (_, item) => formatDateTime(item.at, names.timeZone(item.siteId)),
        },
        { title: t('passages.gate'), render: (_, item) => nameWithId(names.gate(item.gateId), item.gateId) },
        { title: t('passages.zone'), render: (_, item) => names.zone(item.siteId, item.zoneId) },
        { title: t('passages.result'), width: 90, render: (_, item) => <KindTag kind={item.kind} /> },
        { title: t('passages.direction'), width: 70, render: (_, item) => t(`directions.${item.direction}`) },
        { title: t('passages.persons'), width: 70, dataIndex: 'persons' },
        {
          title: t('passages.reason'),
          // A passage shows the offline conflict it is flagged with, a denial its reason.
          render: (_, item) =>
            item.conflict ? (
              <ConflictTag code={item.conflict} overdraft={item.overdraft} />
            ) : (
              <ReasonText code={item.reason} />
            ),
        },
        { title: t('passages.ticket'), width: 130, render: (_, item) => item.ticketId ?? '—' },
        {
          title: t('passages.offline'),
          width: 130,
          // Unconfirmed: the gate restarted after releasing the turnstile, before its sensor saw anyone pass.
          render: (_, item) => (
            <>
              {item.decidedOffline ? <Tag>{t('passages.offline')}</Tag> : null}
              {item.unconfirmed ? <Tag color="warning">{t('passages.unconfirmed')}</Tag> : null}
            </>
          ),
        },
      ]}
    />
  );
}

function LiveFeed({ filters, names }: { filters: Filters; names: Names }) {
  const { t } = useTranslation('control');
  const { query, stream } = useLivePassages(filters.siteId);
  const items = (query.data?.items ?? []).filter(
    (item) =>
      (!filters.zoneId || item.zoneId === filters.zoneId) &&
      (!filters.gateId || item.gateId === filters.gateId) &&
      (!filters.kind || item.kind === filters.kind) &&
      (!filters.reason || item.reason === filters.reason) &&
      (!filters.conflict || item.conflict !== null),
  );
  const conflicts = (query.data?.items ?? []).filter((item) => item.conflict !== null).length;
  return (
    <Flex vertical gap={8}>
      <Space>
        <StreamStatusBadge status={stream} testId="passages-stream" />
        {conflicts > 0 ? (
          <Tag color="volcano" icon={<WarningFilled />} data-testid="live-conflicts">
            {t('passages.conflictsSeen', { count: conflicts })}
          </Tag>
        ) : null}
      </Space>
      <ErrorAlert error={query.error} />
      {query.data && items.length === 0 ? (
        <Empty description={t('passages.liveEmpty')} />
      ) : (
        <PassageTable items={items} names={names} testId="live-feed" loading={query.isPending} />
      )}
    </Flex>
  );
}

function History({
  filters,
  names,
  timeZone,
  setParam,
}: {
  filters: Filters;
  names: Names;
  timeZone: string;
  setParam: (patch: FilterPatch) => void;
}) {
  const { t } = useTranslation('control');
  const query = useInfiniteQuery({
    queryKey: ['passages', 'list', filters],
    queryFn: ({ pageParam, signal }) =>
      api.get<{ items: PassageItem[]; next: string | null }>(
        '/passages',
        { ...filters, before: pageParam, limit: PAGE },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
  });
  const items = query.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Flex vertical gap={12}>
      <Space wrap>
        <WallTimeRange from={filters.from} to={filters.to} timeZone={timeZone} onChange={setParam} />
        <Typography.Text type="secondary">{t('filters.timesIn', { zone: timeZone })}</Typography.Text>
      </Space>
      <ErrorAlert error={query.error} />
      <PassageTable items={items} names={names} testId="history" loading={query.isPending} />
      <Flex justify="center">
        {query.hasNextPage ? (
          <Button onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage}>
            {t('passages.loadMore')}
          </Button>
        ) : items.length > 0 ? (
          <Typography.Text type="secondary">{t('passages.end')}</Typography.Text>
        ) : null}
      </Flex>
    </Flex>
  );
}
